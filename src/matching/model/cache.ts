import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cacheDir, keepNewest } from "../../cache-dir.js";
import type { KnowledgeBase } from "../../knowledge/types.js";
import type { SentenceEncoder } from "./encoder.js";
import { prepareBank } from "./bank.js";
import { deserializeModel, serializeModel } from "./serialize.js";
import { MODEL_FORMAT, trainModel, type Progress, type TrainedModel } from "./train.js";
import { createVectorStore } from "./vector-store.js";

/** Trained models kept in the cache folder; older ones are deleted. */
const MODELS_KEPT = 4;

/** Where trained models and sentence vectors are kept (see cacheDir). */
export const modelCacheDir = cacheDir;

/**
 * What a model is trained from: the entries' phrasings (not their answers, which a clinic may
 * edit without retraining), the examples and vocabulary, the encoder and the training format.
 */
export function trainingKey(kb: KnowledgeBase, encoderId: string): string {
  const entries = kb.entries.map(({ id, title, question, alternates }) => ({ id, title, question, alternates }));
  const { examples, vocabulary } = kb;
  return createHash("sha256")
    .update(JSON.stringify({ format: MODEL_FORMAT, encoder: encoderId, entries, examples, vocabulary }))
    .digest("hex")
    .slice(0, 32);
}

/** Whether the cache already holds the model for this knowledge base (so loading it trains nothing). */
export function isModelCached(kb: KnowledgeBase, encoderId: string, dir: string = modelCacheDir()): boolean {
  return existsSync(join(dir, `model-${trainingKey(kb, encoderId)}.json`));
}

export interface LoadModelOptions {
  readonly cacheDir?: string;
  /** Called with each step of a training; a cached model prints nothing. */
  readonly progress?: Progress;
  /** Fail instead of training when the cache has no usable model (a running bot must not train on its own thread). */
  readonly cachedOnly?: boolean;
}

/**
 * The model trained from this knowledge base with this encoder: from the cache when it holds
 * one for exactly the same content, else trained now (reusing cached sentence vectors) and
 * cached. A cache folder that cannot be written only costs a retraining at the next start.
 */
export async function loadOrTrainModel(kb: KnowledgeBase, encoder: SentenceEncoder, options: LoadModelOptions = {}): Promise<TrainedModel> {
  const dir = options.cacheDir ?? modelCacheDir();
  const key = trainingKey(kb, encoder.id);
  const file = join(dir, `model-${key}.json`);
  if (existsSync(file)) {
    try {
      const model = deserializeModel(readFileSync(file, "utf8"));
      if (model.bank.dimension !== encoder.dimension) throw new Error("the cached model was trained with another encoder");
      prepareBank(model.bank);
      prepareBank(model.urgentBank);
      touch(file);
      return model;
    } catch {
      // A damaged file is only a missed shortcut: train again below.
    }
  }
  if (options.cachedOnly) {
    throw new Error("the trained model for these files is not in the cache (they changed during the reload, or another process pruned it); reload again");
  }
  const vectorsFile = vectorsFileOf(dir, encoder.id);
  const store = readVectors(vectorsFile);
  const before = store.size;
  const model = await trainModel(kb, encoder, { store, ...(options.progress ? { progress: options.progress } : {}) });
  try {
    mkdirSync(dir, { recursive: true });
    if (store.size > before) writeAtomically(vectorsFile, JSON.stringify(Object.fromEntries([...store.entries()].map(([text, vector]) => [text, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString("base64")]))));
    writeAtomically(file, serializeModel(model));
    // Older models belong to knowledge bases edited since.
    keepNewest(dir, /^model-[0-9a-f]+\.json$/, MODELS_KEPT);
  } catch {
    // Read-only cache folder: the next start trains again.
  }
  return model;
}

function vectorsFileOf(dir: string, encoderId: string): string {
  return join(dir, `vectors-${createHash("sha256").update(encoderId).digest("hex").slice(0, 16)}.json`);
}

/** The sentence vectors cached for an encoder (for training variants of a model, as the benchmark does). */
export function loadVectorStore(dir: string, encoderId: string): ReturnType<typeof createVectorStore> {
  return readVectors(vectorsFileOf(dir, encoderId));
}

function readVectors(file: string): ReturnType<typeof createVectorStore> {
  const store = createVectorStore();
  if (!existsSync(file)) return store;
  try {
    const saved = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
    for (const [text, base64] of Object.entries(saved)) {
      const bytes = Buffer.from(base64, "base64");
      const copy = new ArrayBuffer(bytes.byteLength);
      new Uint8Array(copy).set(bytes);
      store.set(text, new Float32Array(copy));
    }
  } catch {
    // Unreadable vectors are computed again.
  }
  return store;
}

/** Marks a model as recently used, so that pruning keeps it. */
function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // A read-only cache: nothing is pruned there either.
  }
}

function writeAtomically(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}
