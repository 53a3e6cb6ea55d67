import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { temporaryDir } from "./temporary.js";

export const SHIPPED_KNOWLEDGE_DIR = join(import.meta.dirname, "..", "..", "knowledge");

/** A fresh copy of the shipped knowledge base in a temporary directory. */
export function copyKnowledge(): string {
  const dir = temporaryDir("kb-");
  cpSync(SHIPPED_KNOWLEDGE_DIR, dir, { recursive: true });
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
