import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import Sqlite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import { Migrator } from "kysely";
import pg from "pg";
import { migrations, type Dialect } from "./migrations.js";
import type { Tables } from "./schema.js";

export interface Database {
  readonly db: Kysely<Tables>;
  readonly dialect: Dialect;
  /** Where it is, for messages: the SQLite file, or host:port/database (never the password). */
  readonly location: string;
  close(): Promise<void>;
}

/** The database could not be opened or migrated; the message is one line, fit for a start-up error. */
export class DatabaseUnavailableError extends Error {
  override readonly name = "DatabaseUnavailableError";
}

export interface DatabaseOptions {
  /** postgres://… for PostgreSQL; undefined for SQLite in `sqlitePath`. */
  readonly url?: string | undefined;
  /** The SQLite file (created with its folder if missing), or ":memory:". */
  readonly sqlitePath?: string | undefined;
}

/** Opens the database, checks that it answers, and brings its schema up to date. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.url ? openPostgres(options.url) : openSqlite(options.sqlitePath ?? ":memory:");
  try {
    const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations(database.dialect) } });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
  } catch (error) {
    await database.close().catch(() => undefined);
    throw new DatabaseUnavailableError(`Cannot use the database at ${database.location}: ${describe(error)}`);
  }
  return database;
}

function openSqlite(path: string): Database {
  let connection: Sqlite.Database;
  try {
    if (path !== ":memory:") {
      mkdirSync(dirname(path), { recursive: true });
      // Created readable by its owner only (it holds patients' questions to the clinic);
      // SQLite gives its -wal and -shm files the same permissions.
      closeSync(openSync(path, "a", 0o600));
    }
    connection = new Sqlite(path);
    // Write-ahead logging lets the report read while the bot writes; foreign keys are off by default.
    connection.pragma("journal_mode = WAL");
    connection.pragma("foreign_keys = ON");
    connection.pragma("busy_timeout = 5000");
  } catch (error) {
    throw new DatabaseUnavailableError(`Cannot open the SQLite database at ${path}: ${describe(error)}`);
  }
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: connection }) });
  return { db, dialect: "sqlite", location: path, close: () => db.destroy() };
}

function openPostgres(url: string): Database {
  const parsed = new URL(url);
  const location = `${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}`;
  // Every wait is bounded: a database that hangs (a network partition) fails a query in a few
  // seconds instead of holding up patients' conversations.
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    query_timeout: 5_000,
    statement_timeout: 5_000,
    keepAlive: true,
  });
  // An idle connection that breaks (the server restarted) must not crash the process; the
  // pool opens a new one for the next query.
  pool.on("error", () => undefined);
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: "postgres", location, close: () => db.destroy() };
}

/** An error as one line: the driver's code and message, without a stack. */
export function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message || String(code ?? error.name);
    return typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message;
  }
  return String(error);
}
