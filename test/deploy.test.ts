import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { botNodeFlags, nodeFlagsOf } from "./helpers/node-flags.js";

const ROOT = join(import.meta.dirname, "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

describe("the ways of starting the bot", () => {
  it("give it the same Node.js flags: npm start, the Dockerfile and the systemd unit", () => {
    const docker = read("Dockerfile").split("\n").find((line) => line.startsWith("CMD ["))!;
    const systemd = read("deploy/hourglass-faq-bot.service").split("\n").find((line) => line.startsWith("ExecStart="))!;
    const flags = botNodeFlags();
    // Not for the limit itself: below it, V8 lets the heap grow far less between collections (README.md, "Memory").
    expect(flags).toContain("--max-old-space-size=512");
    expect(nodeFlagsOf(docker)).toEqual(flags);
    expect(nodeFlagsOf(systemd)).toEqual(flags);
  });
});
