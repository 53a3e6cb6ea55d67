import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KnowledgeBaseError } from "../src/knowledge/errors.js";
import { loadKnowledgeBase } from "../src/knowledge/load.js";
import { loadKnowledgeBaseCached } from "../src/knowledge/snapshot.js";
import { copyKnowledge, editFile } from "./helpers/knowledge-copy.js";

const snapshotsIn = (root: string) => {
  const dir = join(root, "node_modules", ".cache", "hourglass-faq-kb");
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe("the knowledge-base snapshot", () => {
  it("gives the same frozen knowledge base as a full load, from the snapshot the second time", () => {
    const dir = copyKnowledge();
    const cacheRoot = mkdtempSync(join(tmpdir(), "kb-cache-"));
    const first = loadKnowledgeBaseCached(dir, cacheRoot);
    expect(snapshotsIn(cacheRoot)).toHaveLength(1);
    const second = loadKnowledgeBaseCached(dir, cacheRoot);
    expect(second).toEqual(loadKnowledgeBase(dir));
    expect(second).toEqual(first);
    expect(Object.isFrozen(second.entries[0])).toBe(true);
  });

  it("is not used once a file changes, so new problems are always reported", () => {
    const dir = copyKnowledge();
    const cacheRoot = mkdtempSync(join(tmpdir(), "kb-cache-"));
    loadKnowledgeBaseCached(dir, cacheRoot);
    editFile(dir, "entries/surgeon.yaml", "  alternates:", "  alternatse:");
    expect(() => loadKnowledgeBaseCached(dir, cacheRoot)).toThrow(KnowledgeBaseError);
    expect(snapshotsIn(cacheRoot)).toHaveLength(1);
  });

  it("picks up an edited answer", () => {
    const dir = copyKnowledge();
    const cacheRoot = mkdtempSync(join(tmpdir(), "kb-cache-"));
    loadKnowledgeBaseCached(dir, cacheRoot);
    editFile(dir, "entries/revision.yaml", "A revision normally uses your own fat.", "A revision usually uses your own fat.");
    const kb = loadKnowledgeBaseCached(dir, cacheRoot);
    expect(kb.entries.find((entry) => entry.id === "revision-implant")!.answer).toMatch(/^A revision usually uses/);
  });
});
