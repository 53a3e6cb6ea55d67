import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** The Node.js flags before dist/main.js in a command line ("node --x=1 dist/main.js" → ["--x=1"]). */
function flagsOf(command: string): string[] {
  const words = command.split(/[\s,"[\]]+/).filter(Boolean);
  const node = words.findIndex((word) => /(^|\/)node$/.test(word));
  const main = words.indexOf("dist/main.js");
  expect(node, command).toBeGreaterThanOrEqual(0);
  expect(main, command).toBeGreaterThan(node);
  return words.slice(node + 1, main);
}

describe("the ways of starting the bot", () => {
  it("give it the same Node.js flags: npm start, the Dockerfile and the systemd unit", () => {
    const start = (JSON.parse(read("package.json")) as { scripts: { start: string } }).scripts.start;
    const docker = read("Dockerfile").split("\n").find((line) => line.startsWith("CMD ["))!;
    const systemd = read("deploy/hourglass-faq-bot.service").split("\n").find((line) => line.startsWith("ExecStart="))!;
    const flags = flagsOf(start);
    // Not for the limit itself: below it, V8 lets the heap grow far less between collections (README.md, "Memory").
    expect(flags).toContain("--max-old-space-size=512");
    expect(flagsOf(docker)).toEqual(flags);
    expect(flagsOf(systemd)).toEqual(flags);
  });
});
