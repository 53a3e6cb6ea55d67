/**
 * Micro-batching: one function for many concurrent callers. While a batch is being computed,
 * the keys other callers ask for wait and then go together in the next batch, so a model that
 * is cheaper per key in larger batches (the sentence encoder) runs fewer, larger batches when
 * several updates are handled at once. A caller alone waits no longer than one turn of the
 * event loop. A key already waiting or being computed is computed once for all who ask.
 * `run` must give each key the same value whatever the other keys of its batch.
 */
export function coalesce<T>(run: (keys: string[]) => Promise<T[]>, maxBatch: number): (keys: readonly string[]) => Promise<T[]> {
  const waiting = new Map<string, Deferred<T>>();
  const running = new Map<string, Promise<T>>();
  let busy = false;

  async function drain(): Promise<void> {
    try {
      while (waiting.size > 0) {
        const batch = [...waiting].slice(0, maxBatch);
        for (const [key, deferred] of batch) {
          waiting.delete(key);
          running.set(key, deferred.promise);
        }
        try {
          const values = await run(batch.map(([key]) => key));
          batch.forEach(([, deferred], index) => deferred.resolve(values[index]!));
        } catch (error) {
          for (const [, deferred] of batch) deferred.reject(error);
        } finally {
          for (const [key] of batch) running.delete(key);
        }
      }
    } finally {
      busy = false;
    }
  }

  return (keys) => {
    const values = keys.map((key) => {
      const known = running.get(key) ?? waiting.get(key)?.promise;
      if (known) return known;
      const deferred = defer<T>();
      waiting.set(key, deferred);
      return deferred.promise;
    });
    if (!busy && waiting.size > 0) {
      busy = true;
      // One turn of the event loop, so that updates arriving together share the first batch too.
      setImmediate(() => void drain());
    }
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
