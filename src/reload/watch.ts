import { watch, type FSWatcher } from "node:fs";
import type { Logger } from "../logger.js";

/** Editors save in bursts (a temporary file, a rename, a second write): wait for quiet. */
export const WATCH_DEBOUNCE_MS = 500;

/** Calls `onChange` once a burst of changes to the knowledge-base folder has settled. Returns a function that stops watching. */
export function watchKnowledge(dir: string, onChange: () => void, options: { logger: Logger; debounceMs?: number }): () => void {
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher;
  try {
    watcher = watch(dir, { recursive: true, persistent: false }, (_event, file) => {
      // Editors' swap and backup files are not part of the knowledge base.
      if (file && /(^|\/)(\.[^/]*\.swp|.*~|\.#.*)$/.test(String(file))) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, options.debounceMs ?? WATCH_DEBOUNCE_MS);
    });
  } catch (error) {
    options.logger.warn("cannot watch the knowledge base; reload it with SIGHUP instead", { dir, error: error instanceof Error ? error.message : String(error) });
    return () => undefined;
  }
  watcher.on("error", (error) => options.logger.warn("watching the knowledge base stopped; reload it with SIGHUP instead", { dir, error: error.message }));
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
