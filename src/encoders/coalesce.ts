/**
 * Micro-batching over one or more lanes: one function for many concurrent callers. Keys asked
 * for while every lane is busy wait, then go to the next lane free. A caller alone waits no
 * longer than one turn of the event loop. A key already waiting or being computed is computed
 * once for all who ask. Each lane's `run` must give each key the same value whatever the other
 * keys of its batch.
 */
export type BatchRun<T> = (keys: string[]) => Promise<T[]>;

export interface CoalesceOptions {
  /** Most keys in one batch. */
  readonly maxBatch: number;
  /**
   * What a key costs to compute (default: its length). Keys waiting while several lanes are idle
   * are shared out among them so that each lane's batch costs about the same: one message's
   * texts are computed side by side rather than one after another.
   */
  readonly cost?: (key: string) => number;
}

/**
 * `lanes` compute batches side by side (copies of a model on threads of their own, say); each
 * takes the next batch when it is free.
 */
export function coalesce<T>(lanes: readonly BatchRun<T>[], options: CoalesceOptions): (keys: readonly string[]) => Promise<T[]> {
  const { maxBatch, cost = (key: string) => key.length } = options;
  if (lanes.length === 0) throw new Error("coalesce needs at least one lane");
  const waiting = new Map<string, Deferred<T>>();
  const running = new Map<string, Promise<T>>();
  const idle = [...lanes].reverse();
  let scheduled = false;

  /** Up to `count` batches of the oldest waiting keys, of about equal cost, each at most maxBatch keys. */
  function shareOut(count: number): [string, Deferred<T>][][] {
    const entries = [...waiting].slice(0, count * maxBatch);
    if (count === 1) return [entries];
    const shares = Array.from({ length: count }, () => ({ entries: [] as [string, Deferred<T>][], cost: 0 }));
    // Costliest first, each to the cheapest share with room: about equal shares.
    const byCost = entries.map((entry) => ({ entry, cost: cost(entry[0]) })).sort((a, b) => b.cost - a.cost);
    for (const { entry, cost: keyCost } of byCost) {
      // The cheapest share with room; of equally cheap ones, the one with fewest keys.
      const share = shares
        .filter((candidate) => candidate.entries.length < maxBatch)
        .reduce((best, candidate) => (candidate.cost < best.cost || (candidate.cost === best.cost && candidate.entries.length < best.entries.length) ? candidate : best));
      share.entries.push(entry);
      share.cost += keyCost;
    }
    return shares.map((share) => share.entries).filter((batch) => batch.length > 0);
  }

  async function run(lane: BatchRun<T>, batch: [string, Deferred<T>][]): Promise<void> {
    try {
      // Called on a later tick: a lane that throws at once must not hand itself back while
      // dispatch is still handing out lanes.
      const values = await Promise.resolve().then(() => lane(batch.map(([key]) => key)));
      batch.forEach(([, deferred], index) => deferred.resolve(values[index]!));
    } catch (error) {
      for (const [, deferred] of batch) deferred.reject(error);
    } finally {
      for (const [key] of batch) running.delete(key);
    }
    idle.push(lane);
    dispatch();
  }

  /** Hands the waiting keys to the idle lanes, as many lanes as there are keys. */
  function dispatch(): void {
    const count = Math.min(idle.length, waiting.size);
    if (count === 0) return;
    const batches = shareOut(count);
    for (const batch of batches) {
      for (const [key, deferred] of batch) {
        waiting.delete(key);
        running.set(key, deferred.promise);
      }
    }
    for (const batch of batches) void run(idle.pop()!, batch);
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    // One turn of the event loop, so that keys arriving together share the first batch too.
    setImmediate(() => {
      scheduled = false;
      dispatch();
    });
  }

  return (keys: readonly string[]) => {
    const values = keys.map((key) => {
      const known = running.get(key) ?? waiting.get(key)?.promise;
      if (known) return known;
      const deferred = defer<T>();
      waiting.set(key, deferred);
      return deferred.promise;
    });
    if (waiting.size > 0) schedule();
    return Promise.all(values);
  };
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function defer<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}
