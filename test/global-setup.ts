import { execFileSync } from "node:child_process";

/**
 * The CLI tests run the bundled programs, exactly as `npm run chat` does: bundle them once first.
 * Then train the matcher for the shipped knowledge base once (a no-op when the cache has it),
 * so that no test worker trains it on its own.
 */
export default function setup(): void {
  execFileSync("npm", ["run", "-s", "build"], { stdio: "inherit" });
  execFileSync("node", ["dist/cli/train.js"], { stdio: "inherit" });
}
