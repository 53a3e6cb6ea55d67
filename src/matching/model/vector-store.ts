import type { SentenceEncoder } from "./encoder.js";

/**
 * Vectors of texts already embedded, kept between trainings: after an edit of the knowledge
 * base only the new or changed texts go through the encoder again.
 */
export interface VectorStore {
  get(text: string): Float32Array | undefined;
  set(text: string, vector: Float32Array): void;
  readonly size: number;
}

export function createVectorStore(): VectorStore & { entries(): IterableIterator<[string, Float32Array]> } {
  const vectors = new Map<string, Float32Array>();
  return {
    get: (text) => vectors.get(text),
    set: (text, vector) => void vectors.set(text, vector),
    get size() {
      return vectors.size;
    },
    entries: () => vectors.entries(),
  };
}

const CHUNK = 128;
/** From this many new texts on, an encoder that can spread them over threads is asked to. */
const MANY = 1_000;

/** Embeds texts through the store: only the texts it lacks reach the encoder, in chunks, with progress. */
export async function embedAll(
  encoder: SentenceEncoder,
  store: VectorStore,
  texts: readonly string[],
  progress: (done: number, total: number) => void = () => {},
): Promise<Map<string, Float32Array>> {
  const missing = [...new Set(texts.filter((text) => store.get(text) === undefined))];
  // Similar lengths side by side, so that the batches (spread over threads) cost about the same.
  missing.sort((a, b) => a.length - b.length);
  if (encoder.embedMany && missing.length >= MANY) {
    const vectors = await encoder.embedMany(missing, (done) => progress(done, missing.length));
    vectors.forEach((vector, index) => store.set(missing[index]!, vector));
  } else {
    for (let start = 0; start < missing.length; start += CHUNK) {
      const chunk = missing.slice(start, start + CHUNK);
      (await encoder.embed(chunk)).forEach((vector, index) => store.set(chunk[index]!, vector));
      progress(Math.min(start + CHUNK, missing.length), missing.length);
    }
  }
  return new Map(texts.map((text) => [text, store.get(text)!]));
}
