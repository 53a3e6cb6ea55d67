import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Most test files spend their time waiting on child processes (bots, a retraining, npm), so
    // two files at a time pay even on two cores (vitest's default there is one): 174 s -> 107 s warm.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
