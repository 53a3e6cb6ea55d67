import { fnv1a } from "./hash.js";

/** Length of the hashed character n-gram vector. */
export const CHAR_GRAM_DIMENSION = 1024;

const MARKS = /\p{M}/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/u;

/**
 * A text as a bag of its words and of their character 3- and 4-grams, hashed into a fixed-length,
 * unit-length vector. It sees what a sentence encoder trained on English misses: misspellings
 * ("fevr" shares "fev" with "fever"), words of other languages ("febre", "temperatura", a
 * Cyrillic greeting) and numbers ("38.9"). Accents are dropped: "fiebre" and "fièbre" are one.
 */
export function charGrams(text: string, dimension = CHAR_GRAM_DIMENSION): Float32Array {
  const counts = new Map<number, number>();
  const add = (gram: string) => {
    const hash = fnv1a(gram);
    // The hash's top bit gives the sign, so that colliding grams tend to cancel rather than add up.
    const slot = (hash & 0x7fffffff) % dimension;
    const signed = hash < 0 ? -(slot + 1) : slot + 1;
    counts.set(signed, (counts.get(signed) ?? 0) + 1);
  };
  const words = text.normalize("NFKD").replace(MARKS, "").toLowerCase().split(NOT_WORD).filter(Boolean);
  for (const word of words) {
    add(`w:${word}`);
    const padded = ` ${word} `;
    for (const size of [3, 4]) {
      for (let at = 0; at + size <= padded.length; at++) add(padded.slice(at, at + size));
    }
  }
  const vector = new Float32Array(dimension);
  for (const [signed, count] of counts) {
    const slot = Math.abs(signed) - 1;
    vector[slot] = vector[slot]! + Math.sign(signed) * (1 + Math.log(count));
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < dimension; i++) vector[i] = vector[i]! * scale;
  }
  return vector;
}

/** A sentence vector and the character n-grams of the same text, side by side. */
export function withCharGrams(vector: Float32Array, grams: Float32Array): Float32Array {
  const joined = new Float32Array(vector.length + grams.length);
  joined.set(vector);
  joined.set(grams, vector.length);
  return joined;
}
