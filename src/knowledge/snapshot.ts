import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { deepFreeze, ENTRIES_DIR, KNOWLEDGE_FILES, loadKnowledgeBase } from "./load.js";
import type { KnowledgeBase } from "./types.js";

/** Bump when the loader's output or its checks change, so older snapshots are ignored. */
const SNAPSHOT_FORMAT = 1;
const CACHE_DIR = join("node_modules", ".cache", "hourglass-faq-kb");

/** Hash of every knowledge-base file's name and content: any edit gives a new key. */
function contentKey(dir: string): string | undefined {
  const hash = createHash("sha256").update(`format ${SNAPSHOT_FORMAT}\n`);
  const entriesDir = join(dir, ENTRIES_DIR);
  const entryFiles = existsSync(entriesDir) ? readdirSync(entriesDir).filter((name) => /\.ya?ml$/.test(name)).sort() : [];
  const files = [...Object.values(KNOWLEDGE_FILES), ...entryFiles.map((name) => join(ENTRIES_DIR, name))];
  for (const file of files) {
    const path = join(dir, file);
    if (!existsSync(path)) return undefined;
    hash.update(`${file}\n`).update(readFileSync(path)).update("\n");
  }
  return hash.digest("hex");
}

/**
 * Loads the knowledge base like `loadKnowledgeBase`, but reuses the result of an earlier
 * successful validation of exactly the same files (a JSON snapshot under node_modules/.cache).
 * Parsing YAML with positions is most of a cold start; reading the snapshot is not.
 * A knowledge base with problems is never cached, so its errors are always reported.
 */
export function loadKnowledgeBaseCached(dir: string, cacheRoot: string = process.cwd()): KnowledgeBase {
  const key = contentKey(dir);
  const snapshot = key ? join(cacheRoot, CACHE_DIR, `${key}.json`) : undefined;
  if (snapshot && existsSync(snapshot)) {
    try {
      const cached = JSON.parse(readFileSync(snapshot, "utf8")) as KnowledgeBase;
      return deepFreeze({ ...cached, dir });
    } catch {
      // A damaged snapshot is only a missed shortcut: validate the files again below.
    }
  }
  const kb = loadKnowledgeBase(dir);
  if (snapshot) {
    try {
      mkdirSync(join(cacheRoot, CACHE_DIR), { recursive: true });
      const temporary = `${snapshot}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify({ ...kb, dir: resolve(dir) }));
      renameSync(temporary, snapshot);
    } catch {
      // Read-only installs simply validate on every start.
    }
  }
  return kb;
}
