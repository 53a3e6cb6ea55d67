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
   * What one call costs on top of its work, in characters of key. A batch costs its number of
   * keys times its longest key's length (every key is padded to the longest), so a key joins a
   * batch only where that costs less than a call of its own. Infinity batches keys in order of
   * arrival, whatever their lengths.
   */
  readonly callOverhead?: number;
}

/**
 * `lanes` compute batches side by side (copies of a model on threads of their own, say); each
 * takes the next batch when it is free.
 */
export function coalesce<T>(lanes: readonly BatchRun<T>[], options: CoalesceOptions): (keys: readonly string[]) => Promise<T[]> {
  const { maxBatch, callOverhead = Infinity } = options;
  if (lanes.length === 0) throw new Error("coalesce needs at least one lane");
  const waiting = new Map<string, Deferred<T>>();
  const running = new Map<string, Promise<T>>();
  const idle = [...lanes].reverse();
  let scheduled = false;

  /** The oldest waiting key, with the waiting keys whose padding costs less than a call of their own. */
  function nextBatch(): [string, Deferred<T>][] {
    const entries = [...waiting];
    const [first] = entries;
    if (callOverhead === Infinity) return entries.slice(0, maxBatch);
    const batch = [first!];
    let largest = first![0].length;
    const others = entries.slice(1).map((entry) => ({ entry, length: entry[0].length }));
    others.sort((a, b) => Math.abs(a.length - largest) - Math.abs(b.length - largest));
    for (const other of others) {
      if (batch.length >= maxBatch) break;
      const larger = Math.max(largest, other.length);
      // Together: (n + 1) keys padded to the larger. Apart: this batch as it is, plus a call of its own.
      if ((batch.length + 1) * larger <= batch.length * largest + other.length + callOverhead) {
        batch.push(other.entry);
        largest = larger;
      }
    }
    return batch;
  }

  async function drain(lane: BatchRun<T>): Promise<void> {
    while (waiting.size > 0) {
      const batch = nextBatch();
      for (const [key, deferred] of batch) {
        waiting.delete(key);
        running.set(key, deferred.promise);
      }
      // The keys this batch leaves go to an idle lane now, not on a later turn.
      dispatch();
      try {
        const values = await lane(batch.map(([key]) => key));
        batch.forEach(([, deferred], index) => deferred.resolve(values[index]!));
      } catch (error) {
        for (const [, deferred] of batch) deferred.reject(error);
      } finally {
        for (const [key] of batch) running.delete(key);
      }
    }
    idle.push(lane);
  }

  /** Hands the waiting keys to an idle lane (which hands what it leaves to the next one). */
  function dispatch(): void {
    const lane = waiting.size > 0 ? idle.pop() : undefined;
    if (lane) void drain(lane);
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
