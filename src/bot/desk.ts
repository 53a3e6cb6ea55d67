import type { Logger } from "../logger.js";
import { describe } from "../storage/database.js";
import type { Store } from "../storage/store.js";

/** What the storage-backed features need: the store, the staff chat, the clock. */
export interface Desk {
  /** The clinic staff's group; undefined turns the hand-off off (feedback and statistics stay). */
  readonly staffChatId?: number;
  readonly retentionDays: number;
  readonly now: () => Date;
  /**
   * Runs a store operation. When the database fails, the bot goes on without it: the caller
   * gets `UNAVAILABLE`, and one warning is logged per outage (and one line when it is back).
   */
  attempt<T>(operation: (store: Store) => Promise<T>): Promise<T | typeof UNAVAILABLE>;
  /** Runs a write nobody waits for (the daily counters), as `attempt` does. */
  background(operation: (store: Store) => Promise<unknown>): void;
  /** Resolves once every background write has finished (shutdown, tests). */
  settled(): Promise<void>;
}

export const UNAVAILABLE = Symbol("database unavailable");

/** Errors that mean the database cannot be reached or does not answer, rather than one failed statement. */
function isOutage(error: unknown): boolean {
  const code = String((error as { code?: unknown } | undefined)?.code ?? "");
  const message = error instanceof Error ? error.message : String(error);
  return (
    /^(08|57P|53)/.test(code) || // PostgreSQL: connection exceptions, shutdown, insufficient resources
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EPIPE|EAI_AGAIN)$/.test(code) ||
    /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|CORRUPT)/.test(code) ||
    /timeout|terminat|Connection|connect/i.test(message)
  );
}

/** How long, after a failure, the database is left alone before one operation tries it again. */
export const PROBE_PAUSE_MS = 5_000;

export function createDesk(options: {
  store: Store;
  staffChatId?: number | undefined;
  retentionDays: number;
  logger: Logger;
  now?: () => Date;
  /** See PROBE_PAUSE_MS (tests shorten it). */
  probePauseMs?: number;
}): Desk {
  let down = false;
  // While the database is down, one operation at a time probes it (after a pause); the rest
  // give up at once, so that a hanging database costs each patient's message nothing.
  let probeAfter = 0;
  let probing = false;
  const now = options.now ?? (() => new Date());
  const pending = new Set<Promise<unknown>>();
  async function attempt<T>(operation: (store: Store) => Promise<T>): Promise<T | typeof UNAVAILABLE> {
    if (down && (probing || Date.now() < probeAfter)) return UNAVAILABLE;
    const isProbe = down;
    if (isProbe) probing = true;
    try {
      const result = await operation(options.store);
      // Only a probe (or an operation begun after it) tells that the database is back.
      if (isProbe) {
        down = false;
        options.logger.info("database reachable again");
      }
      return result;
    } catch (error) {
      if (!isOutage(error)) {
        // A failed statement (a constraint, a slow query) says nothing about the others.
        options.logger.warn("database operation failed", { error: describe(error) });
        return UNAVAILABLE;
      }
      if (!down) {
        down = true;
        options.logger.warn("database unreachable; answering without it (no hand-off, feedback or statistics) until it is back", { error: describe(error) });
      }
      probeAfter = Date.now() + (options.probePauseMs ?? PROBE_PAUSE_MS);
      return UNAVAILABLE;
    } finally {
      if (isProbe) probing = false;
    }
  }

  return {
    attempt,
    ...(options.staffChatId !== undefined ? { staffChatId: options.staffChatId } : {}),
    retentionDays: options.retentionDays,
    now,
    background(operation) {
      const write = attempt(operation);
      pending.add(write);
      void write.finally(() => pending.delete(write));
    },
    async settled() {
      await Promise.all([...pending]);
    },
  };
}
