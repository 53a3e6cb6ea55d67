import { execFileSync } from "node:child_process";

/** The CLI tests run the bundled programs, exactly as `npm run chat` does: bundle them once first. */
export default function setup(): void {
  execFileSync("npm", ["run", "-s", "build"], { stdio: "inherit" });
}
