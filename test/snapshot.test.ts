import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KnowledgeBaseError } from "../src/knowledge/errors.js";
import { loadKnowledgeBase } from "../src/knowledge/load.js";
import { cacheDir } from "../src/cache-dir.js";
import { loadKnowledgeBaseCached } from "../src/knowledge/snapshot.js";
import { copyKnowledge, editFile } from "./helpers/knowledge-copy.js";
import { temporaryDir } from "./helpers/temporary.js";

const snapshotsIn = (root: string) => (existsSync(root) ? readdirSync(root).filter((name) => name.startsWith("kb-")) : []);

describe("the knowledge-base snapshot", () => {
  it("gives the same frozen knowledge base as a full load, from the snapshot the second time", () => {
    const dir = copyKnowledge();
    const cacheRoot = temporaryDir("kb-cache-");
    const first = loadKnowledgeBaseCached(dir, cacheRoot);
    expect(snapshotsIn(cacheRoot)).toHaveLength(1);
    const second = loadKnowledgeBaseCached(dir, cacheRoot);
    expect(second).toEqual(loadKnowledgeBase(dir));
    expect(second).toEqual(first);
    expect(Object.isFrozen(second.entries[0])).toBe(true);
  });

  it("is not used once a file changes, so new problems are always reported", () => {
    const dir = copyKnowledge();
    const cacheRoot = temporaryDir("kb-cache-");
    loadKnowledgeBaseCached(dir, cacheRoot);
    editFile(dir, "entries/surgeon.yaml", "  alternates:", "  alternatse:");
    expect(() => loadKnowledgeBaseCached(dir, cacheRoot)).toThrow(KnowledgeBaseError);
    expect(snapshotsIn(cacheRoot)).toHaveLength(1);
  });

  it("picks up an edited answer", () => {
    const dir = copyKnowledge();
    const cacheRoot = temporaryDir("kb-cache-");
    loadKnowledgeBaseCached(dir, cacheRoot);
    editFile(dir, "entries/revision.yaml", "A revision normally uses your own fat.", "A revision usually uses your own fat.");
    const kb = loadKnowledgeBaseCached(dir, cacheRoot);
    expect(kb.entries.find((entry) => entry.id === "revision-implant")!.answer).toMatch(/^A revision usually uses/);
  });

  it("lives in the cache folder (CACHE_DIR, else under XDG_CACHE_HOME), never under the working directory", () => {
    expect(cacheDir({ CACHE_DIR: "/srv/cache" })).toBe("/srv/cache");
    expect(cacheDir({ XDG_CACHE_HOME: "/home/x/.cache" })).toBe(join("/home/x/.cache", "hourglass-faq-bot"));
    const dir = copyKnowledge();
    const cacheRoot = temporaryDir("kb-cache-");
    const before = existsSync(join(process.cwd(), "node_modules", ".cache", "hourglass-faq-kb")) ? readdirSync(join(process.cwd(), "node_modules", ".cache", "hourglass-faq-kb")).length : 0;
    loadKnowledgeBaseCached(dir, cacheRoot);
    const after = existsSync(join(process.cwd(), "node_modules", ".cache", "hourglass-faq-kb")) ? readdirSync(join(process.cwd(), "node_modules", ".cache", "hourglass-faq-kb")).length : 0;
    expect(after).toBe(before);
  });

  it("keeps only the newest snapshots", () => {
    const dir = copyKnowledge();
    const cacheRoot = temporaryDir("kb-cache-");
    for (let edit = 0; edit < 12; edit++) {
      editFile(dir, "entries/revision.yaml", /A revision (normally|usually \d+) uses/, `A revision usually ${edit} uses`);
      loadKnowledgeBaseCached(dir, cacheRoot);
    }
    expect(snapshotsIn(cacheRoot).length).toBeLessThanOrEqual(8);
  });
});
