import type { Logger } from "../logger.js";
import { describe } from "../storage/database.js";
import type { Store } from "../storage/store.js";

/** What the storage-backed features need: the store, the staff chat, the clock. */
export interface Desk {
  readonly store: Store;
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

export function createDesk(options: { store: Store; staffChatId?: number | undefined; retentionDays: number; logger: Logger; now?: () => Date }): Desk {
  let down = false;
  const pending = new Set<Promise<unknown>>();
  async function attempt<T>(operation: (store: Store) => Promise<T>): Promise<T | typeof UNAVAILABLE> {
    try {
      const result = await operation(options.store);
      if (down) {
        down = false;
        options.logger.info("database reachable again");
      }
      return result;
    } catch (error) {
      if (!down) {
        down = true;
        options.logger.warn("database error; answering without it (no hand-off, feedback or statistics) until it works again", { error: describe(error) });
      }
      return UNAVAILABLE;
    }
  }

  return {
    attempt,
    store: options.store,
    ...(options.staffChatId !== undefined ? { staffChatId: options.staffChatId } : {}),
    retentionDays: options.retentionDays,
    now: options.now ?? (() => new Date()),
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
