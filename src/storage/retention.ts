import type { Logger } from "../logger.js";
import { describe } from "./database.js";
import type { Store } from "./store.js";

const HOUR_MS = 3_600_000;

/**
 * Deletes tickets and votes older than the retention period: now, then every hour. Several
 * instances may all run it; the deletes are idempotent. Returns a function that stops it.
 */
export function startRetention(store: Store, options: { days: number; logger: Logger; everyMs?: number; now?: () => Date }): () => void {
  const now = options.now ?? (() => new Date());
  const purge = async () => {
    const cutoff = new Date(now().getTime() - options.days * 24 * HOUR_MS);
    try {
      const { tickets, votes } = await store.purgeBefore(cutoff);
      if (tickets + votes > 0) options.logger.info("purged old data", { tickets, votes, olderThanDays: options.days });
    } catch (error) {
      options.logger.warn("purging old data failed; will try again", { error: describe(error) });
    }
  };
  void purge();
  const timer = setInterval(() => void purge(), options.everyMs ?? HOUR_MS);
  timer.unref();
  return () => clearInterval(timer);
}
