import { ConfigError } from "../config.js";
import { KnowledgeBaseError, formatProblem } from "../knowledge/errors.js";

export interface CliArgs {
  readonly positional: string[];
  readonly flags: Record<string, boolean>;
  readonly values: Record<string, string | undefined>;
}

/** `--flag`, `--name value` / `--name=value`, and positional arguments; unknown options throw. */
export function parseCliArgs(argv: readonly string[], flagNames: readonly string[], valueNames: readonly string[] = []): CliArgs {
  const positional: string[] = [];
  const flags: Record<string, boolean> = Object.fromEntries(flagNames.map((name) => [name, false]));
  const values: Record<string, string | undefined> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--") || arg === "--") {
      if (arg !== "--") positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (flagNames.includes(name)) flags[name] = true;
    else if (valueNames.includes(name)) values[name] = inline ?? argv[++i];
    else throw new Error(`unknown option --${name}`);
  }
  return { positional, flags, values };
}

/**
 * Prints a knowledge-base or configuration error the way every entry point does (each
 * problem on its own line) and returns true; returns false for any other error.
 */
export function printStartupError(error: unknown): boolean {
  if (error instanceof KnowledgeBaseError) {
    for (const problem of error.problems) console.error(formatProblem(problem));
    console.error("The knowledge base has problems: fix them, then run `npm run kb:check`.");
    return true;
  }
  if (error instanceof ConfigError) {
    console.error(error.message);
    return true;
  }
  return false;
}

/** Runs a command-line main, turning known errors into a clear message and exit code 1. */
export function runCli(main: () => number | Promise<number>): void {
  Promise.resolve()
    .then(main)
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        if (!printStartupError(error)) console.error(error instanceof Error ? error.message : String(error));
        process.exitCode = 1;
      },
    );
}
