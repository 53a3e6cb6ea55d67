import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheDir, keepNewest } from "../cache-dir.js";
import { deepFreeze, ENTRIES_DIR, KNOWLEDGE_FILES, loadKnowledgeBase, MAX_FILE_BYTES } from "./load.js";
import type { KnowledgeBase } from "./types.js";

/** Snapshots kept; older ones belong to edited knowledge bases or older versions of the loader. */
const SNAPSHOTS_KEPT = 8;

/**
 * The loader's own source: a snapshot made by another version of the loader (other checks,
 * another output) is never reused. Bundled, this is the whole program; from source, the
 * loader's modules.
 */
let loaderVersion: string | undefined;
function ownSourceHash(): string {
  if (loaderVersion !== undefined) return loaderVersion;
  const hash = createHash("sha256");
  const here = fileURLToPath(import.meta.url);
  for (const file of [here, ...["load.ts", "errors.ts", "types.ts"].map((name) => join(dirname(here), name))]) {
    if (existsSync(file)) hash.update(readFileSync(file));
  }
  return (loaderVersion = hash.digest("hex"));
}

/** Hash of the loader's version and every knowledge-base file's name and content: any edit gives a new key. */
function contentKey(dir: string): string | undefined {
  const hash = createHash("sha256").update(`loader ${ownSourceHash()}\n`);
  const entriesDir = join(dir, ENTRIES_DIR);
  const entryFiles = existsSync(entriesDir) ? readdirSync(entriesDir).filter((name) => /\.ya?ml$/.test(name)).sort() : [];
  const files = [...Object.values(KNOWLEDGE_FILES), ...entryFiles.map((name) => join(ENTRIES_DIR, name))];
  for (const file of files) {
    const path = join(dir, file);
    // Anything but a regular file within the limit (a pipe, a link to a device) is the full
    // loader's to report: reading it here could block or never end.
    let stats;
    try {
      stats = statSync(path);
    } catch {
      return undefined;
    }
    if (!stats.isFile() || stats.size > MAX_FILE_BYTES) return undefined;
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
export function loadKnowledgeBaseCached(dir: string, cacheRoot: string = cacheDir()): KnowledgeBase {
  const key = contentKey(dir);
  const snapshot = key ? join(cacheRoot, `kb-${key}.json`) : undefined;
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
      mkdirSync(cacheRoot, { recursive: true });
      const temporary = `${snapshot}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify({ ...kb, dir: resolve(dir) }));
      renameSync(temporary, snapshot);
      keepNewest(cacheRoot, /^kb-[0-9a-f]+\.json$/, SNAPSHOTS_KEPT);
    } catch {
      // Read-only installs simply validate on every start.
    }
  }
  return kb;
}
