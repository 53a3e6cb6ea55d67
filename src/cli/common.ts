import { ConfigError, DEFAULT_KNOWLEDGE_DIR } from "../config.js";
import { KnowledgeBaseError, formatProblem } from "../knowledge/errors.js";

export interface CliArgs {
  readonly positional: string[];
  readonly flags: Record<string, boolean>;
  readonly values: Record<string, string | undefined>;
}

export interface CliSpec {
  /** Printed for `--help` / `-h`, and in the error for wrong arguments. */
  readonly usage: string;
  readonly flags?: readonly string[];
  readonly values?: readonly string[];
}

/** `--help` was asked for: the command prints its usage and does nothing else (see runCli). */
export class HelpRequested extends Error {}

/**
 * `--flag`, `--name value` / `--name=value`, and positional arguments (all of them after `--`).
 * `--help` / `-h` throws HelpRequested; an unknown `--option`, or a value option without its
 * value, throws an error.
 */
export function parseCliArgs(argv: readonly string[], { usage, flags: flagNames = [], values: valueNames = [] }: CliSpec): CliArgs {
  const positional: string[] = [];
  const flags: Record<string, boolean> = Object.fromEntries(flagNames.map((name) => [name, false]));
  const values: Record<string, string | undefined> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    // After "--" everything is positional: `ask -- "--why is one hip bigger?"`.
    if (arg === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "--help" || arg === "-h") throw new HelpRequested(usage);
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (flagNames.includes(name)) flags[name] = true;
    else if (valueNames.includes(name)) {
      const value = inline ?? (argv[i + 1]?.startsWith("-") ? undefined : argv[++i]);
      if (value === undefined || value === "") throw new Error(`--${name} needs a value`);
      values[name] = value;
    } else throw new Error(`unknown option --${name}`);
  }
  return { positional, flags, values };
}

/** The knowledge-base folder a command reads: its --knowledge, else KNOWLEDGE_DIR, else the shipped one. */
export function knowledgeDirOf(values: CliArgs["values"]): string {
  return values.knowledge ?? process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR;
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
        if (error instanceof HelpRequested) {
          console.log(error.message);
          return;
        }
        if (!printStartupError(error)) console.error(error instanceof Error ? error.message : String(error));
        process.exitCode = 1;
      },
    );
}
