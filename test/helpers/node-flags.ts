import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

/** The Node.js flags before dist/main.js in a command line ("node --x=1 dist/main.js" → ["--x=1"]). */
export function nodeFlagsOf(command: string): string[] {
  const words = command.split(/[\s,"[\]]+/).filter(Boolean);
  const node = words.findIndex((word) => /(^|\/)node$/.test(word));
  const main = words.indexOf("dist/main.js");
  if (node < 0 || main <= node) throw new Error(`not a "node … dist/main.js" command line: ${command}`);
  return words.slice(node + 1, main);
}

/** The Node.js flags `npm start` runs the bot with (package.json), which the Dockerfile and the systemd unit repeat. */
export function botNodeFlags(): string[] {
  return nodeFlagsOf((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start);
}
