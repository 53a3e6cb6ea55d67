import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startPostgresServer } from "./helpers/postgres-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The PostgreSQL server the storage tests share; each test file makes its own database on it. */
    postgresUrl: string;
    /** The folder every test's temporary folders go in (see helpers/temporary.ts), removed after the run. */
    temporaryRoot: string;
  }
}

/**
 * The CLI tests run the bundled programs, exactly as `npm run chat` does: bundle them once first.
 * Then train the matcher for the shipped knowledge base once (a no-op when the cache has it),
 * so that no test worker trains it on its own. Start one PostgreSQL server for the run, and make
 * the one folder the tests' temporary folders go in.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  execFileSync("npm", ["run", "-s", "build"], { stdio: "inherit" });
  execFileSync("node", ["dist/cli/train.js"], { stdio: "inherit" });
  const temporaryRoot = mkdtempSync(join(tmpdir(), "hourglass-tests-"));
  project.provide("temporaryRoot", temporaryRoot);
  const postgres = await startPostgresServer();
  project.provide("postgresUrl", postgres.url);
  return async () => {
    try {
      await postgres.stop();
    } finally {
      rmSync(temporaryRoot, { recursive: true, force: true });
    }
  };
}
