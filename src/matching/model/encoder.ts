/**
 * A sentence encoder: turns texts into vectors whose cosine similarity tracks meaning.
 * The engine depends only on this interface, so another encoder can replace the default one.
 */
export interface SentenceEncoder {
  /** Names the encoder and its version: part of the trained model's cache key. */
  readonly id: string;
  readonly dimension: number;
  /** Unit-length vectors, one per text, in order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /**
   * Like embed, for the many texts of a training: may spread them over several threads. A text's
   * vector must not depend on how many threads there are or which one computed it.
   */
  embedMany?(texts: readonly string[], progress?: (done: number) => void): Promise<Float32Array[]>;
  /** Stops what the encoder started (threads); it must not be used afterwards. */
  close?(): Promise<void>;
}

export function normalize(vector: ArrayLike<number>): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return Float32Array.from(vector, (value) => value * scale);
}
