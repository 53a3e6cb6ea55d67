import { execFileSync } from "node:child_process";
import type { TestProject } from "vitest/node";
import { startPostgresServer } from "./helpers/postgres-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The PostgreSQL server the storage tests share; each test file makes its own database on it. */
    postgresUrl: string;
  }
}

/**
 * The CLI tests run the bundled programs, exactly as `npm run chat` does: bundle them once first.
 * Then train the matcher for the shipped knowledge base once (a no-op when the cache has it),
 * so that no test worker trains it on its own. And start one PostgreSQL server for the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  execFileSync("npm", ["run", "-s", "build"], { stdio: "inherit" });
  execFileSync("node", ["dist/cli/train.js"], { stdio: "inherit" });
  const postgres = await startPostgresServer();
  project.provide("postgresUrl", postgres.url);
  return () => postgres.stop();
}
