/**
 * A fixed window per user: each user's window starts at their first update and lasts
 * `windowMs`, whatever other users do. Windows that have ended are forgotten.
 */
export interface RateLimiter {
  /** Counts an update of this user: allowed, or refused (and whether it is the first refusal of the window). */
  hit(key: string): { readonly allowed: boolean; readonly firstRefusal: boolean };
}

export function createRateLimiter(options: { limit: number; windowMs: number; now?: () => number }): RateLimiter {
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; hits: number }>();
  let lastSweep = now();
  return {
    hit(key) {
      const time = now();
      // Now and then, drop every window that has ended, so idle users cost no memory.
      if (time - lastSweep > options.windowMs) {
        for (const [user, window] of windows) if (time - window.start >= options.windowMs) windows.delete(user);
        lastSweep = time;
      }
      let window = windows.get(key);
      if (!window || time - window.start >= options.windowMs) {
        window = { start: time, hits: 0 };
        windows.set(key, window);
      }
      window.hits++;
      return { allowed: window.hits <= options.limit, firstRefusal: window.hits === options.limit + 1 };
    },
  };
}
