import type { Context, MiddlewareFn } from "grammy";

/** Counts updates being handled, so a shutdown can wait for them to finish. */
export interface UpdateTracker {
  readonly middleware: MiddlewareFn<Context>;
  /** Resolves once no update is being handled. */
  idle(): Promise<void>;
}

export function createUpdateTracker(): UpdateTracker {
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  return {
    middleware: async (_ctx, next) => {
      inFlight++;
      try {
        await next();
      } finally {
        inFlight--;
        if (inFlight === 0) {
          for (const resolve of waiters) resolve();
          waiters = [];
        }
      }
    },
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
  };
}
