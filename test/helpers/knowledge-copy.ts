import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { temporaryDir } from "./temporary.js";

export const SHIPPED_KNOWLEDGE_DIR = join(import.meta.dirname, "..", "..", "knowledge");

/** A fresh copy of the shipped knowledge base in a temporary directory. */
export function copyKnowledge(): string {
  const dir = temporaryDir("kb-");
  cpSync(SHIPPED_KNOWLEDGE_DIR, dir, { recursive: true });
  return dir;
}

/**
 * A copy of the shipped knowledge base with at most `keep` items in every list of phrasings and
 * examples: a model for it trains in seconds (its texts' vectors are cached already), for tests
 * that must watch a whole retraining. List items are one line each in the shipped files.
 */
export function copySmallKnowledge(keep = 16): string {
  const dir = copyKnowledge();
  for (const file of [...readdirSync(join(dir, "entries")).map((name) => `entries/${name}`), ...readdirSync(join(dir, "examples")).map((name) => `examples/${name}`)]) {
    const path = join(dir, file);
    let listed = 0;
    const lines = readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => {
        if (!/^\s*- /.test(line) || /^\s*- (id|topic):/.test(line)) {
          listed = 0;
          return true;
        }
        return ++listed <= keep;
      });
    writeFileSync(path, lines.join("\n"));
  }
  return dir;
}

/** Replaces the first occurrence of `from` in a file of the copy; fails loudly if it is not there. */
export function editFile(dir: string, file: string, from: string | RegExp, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  const edited = text.replace(from, to);
  if (edited === text) throw new Error(`${file} does not contain ${String(from)}`);
  writeFileSync(path, edited);
}

/** 1-based number of the first line of the file that contains `needle`. */
export function lineOf(dir: string, file: string, needle: string): number {
  const index = readFileSync(join(dir, file), "utf8").split("\n").findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`${file} has no line containing ${needle}`);
  return index + 1;
}
