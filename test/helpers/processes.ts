import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface RunningProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the first output line matching the pattern. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Sends a signal to the bot's own node process (npm passes its exit code on), once it has said its pid. */
  signal(signal: NodeJS.Signals): Promise<void>;
  /**
   * Kills the whole process group (npm, its shell, the bot) and waits until none of it is left.
   * Resolves false if some process of the group still ran after the wait.
   */
  stop(): Promise<boolean>;
}

/** True while the process (a pid) or any process of the group (a negative pid) is alive. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `npm start` (or another npm script) in the project with extra environment variables.
 * Unless told otherwise, its SQLite database is a new file in a temporary folder, removed at stop.
 */
export function startNpm(script: string, env: Record<string, string>): RunningProcess {
  const scratch = mkdtempSync(join(tmpdir(), "hourglass-bot-"));
  // Without the pre-script's build (the global setup built dist/ once): test files run side by
  // side, and one's build rewriting dist/main.js while another's bot loads it made that bot
  // exit at once, silently, having read a file cut short.
  const child = spawn("npm", [script === "start" ? "start" : `run`, ...(script === "start" ? [] : [script]), "--silent", "--ignore-scripts"], {
    cwd: ROOT,
    env: { ...process.env, SQLITE_PATH: join(scratch, "bot.sqlite"), ...env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: npm starts a shell that starts the bot, and killing npm alone
    // would leave the bot running.
    detached: true,
  });
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    for (const listener of listeners) listener();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  // Resolved once the process has exited and everything it wrote has been read: 'exit' alone
  // can come before the last output.
  const streamsClosed = Promise.all([child.stdout!, child.stderr!].map((stream) => new Promise((resolve) => stream.once("close", resolve))));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => void streamsClosed.then(() => resolve(code))));
  const handle: RunningProcess = {
    child,
    output: () => output,
    exited,
    async stop() {
      // The bot's own pid, when it has said it, is checked too: it must not escape the group.
      const pids = [-child.pid!, ...[...output.matchAll(/"pid":(\d+)/g)].map((match) => Number(match[1]))];
      if (alive(-child.pid!)) process.kill(-child.pid!, "SIGKILL");
      const deadline = Date.now() + 5_000;
      while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      rmSync(scratch, { recursive: true, force: true });
      return !pids.some(alive);
    },
    async signal(signal) {
      const line = await handle.waitFor(/"pid":\d+/);
      process.kill(Number(/"pid":(\d+)/.exec(line)![1]), signal);
    },
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = output.split("\n").find((candidate) => pattern.test(candidate));
          if (line !== undefined) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(line);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${output}`));
        }, timeoutMs);
        listeners.add(check);
        check();
        void exited.then(() => {
          if (listeners.has(check)) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`process exited before printing ${pattern}; output:\n${output}`));
          }
        });
      });
    },
  };
  return handle;
}

/** Polls until the condition holds. */
export async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The environment of a bot in webhook mode on 127.0.0.1:port, talking to a local Bot API. */
export function webhookEnv(options: { token: string; apiRoot: string; port: number; secret: string }): Record<string, string> {
  return {
    BOT_TOKEN: options.token,
    TELEGRAM_API_ROOT: options.apiRoot,
    BOT_MODE: "webhook",
    WEBHOOK_URL: `http://127.0.0.1:${options.port}/hook`,
    WEBHOOK_SECRET: options.secret,
    HOST: "127.0.0.1",
    PORT: String(options.port),
  };
}
