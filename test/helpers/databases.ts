import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { openDatabase, type Database } from "../../src/storage/database.js";
import { createTestDatabase } from "./postgres-server.js";

export const DIALECTS = ["sqlite", "postgres"] as const;
export type TestDialect = (typeof DIALECTS)[number];

export interface TestDatabase {
  readonly database: Database;
  /** What a bot process would be given to open the same database. */
  readonly env: Record<string, string>;
  dispose(): Promise<void>;
}

/** An empty, migrated database of the given kind: SQLite in a temporary folder, or a new database on the test run's PostgreSQL. */
export async function openTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  if (dialect === "sqlite") {
    const folder = mkdtempSync(join(tmpdir(), "hourglass-sqlite-"));
    const sqlitePath = join(folder, "bot.sqlite");
    const database = await openDatabase({ sqlitePath });
    return {
      database,
      env: { SQLITE_PATH: sqlitePath },
      async dispose() {
        await database.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  }
  const url = await createTestDatabase(inject("postgresUrl"));
  const database = await openDatabase({ url });
  return { database, env: { DATABASE_URL: url }, dispose: () => database.close() };
}
