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
}

export const UNAVAILABLE = Symbol("database unavailable");

export function createDesk(options: { store: Store; staffChatId?: number | undefined; retentionDays: number; logger: Logger; now?: () => Date }): Desk {
  let down = false;
  return {
    store: options.store,
    ...(options.staffChatId !== undefined ? { staffChatId: options.staffChatId } : {}),
    retentionDays: options.retentionDays,
    now: options.now ?? (() => new Date()),
    async attempt(operation) {
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
          options.logger.warn("database unavailable; answering without it (no hand-off, feedback or statistics)", { error: describe(error) });
        }
        return UNAVAILABLE;
      }
    },
  };
}
