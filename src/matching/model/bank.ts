import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { createDotKernel, KERNEL_QUERIES, KERNEL_ROWS, type DotKernel } from "./dot-kernel.js";

/**
 * The knowledge base's example messages as vectors, grouped by class: the memory the
 * embedding scorer compares a message with (nearest neighbours).
 */
export interface VectorBank {
  readonly dimension: number;
  /** size × dimension, row-major, unit-length rows. */
  readonly vectors: Float32Array;
  /** Class of each row. */
  readonly labels: Int32Array;
  readonly classes: number;
}

export interface Similarity {
  /** Best cosine similarity to each class's examples. */
  readonly max: Float32Array;
  /** Mean of the best three similarities to each class's examples. */
  readonly top3: Float32Array;
  /** Row of the most similar example of each class (-1 when the class has none). */
  readonly nearest: Int32Array;
}

/** Below 4 × 32 queries (the JavaScript loop's block), training compares on this thread alone. */
const BLOCK = 32;

/** Each bank's dot-product kernel (null: none to be had), made on first use. Banks are never modified. */
const kernels = new WeakMap<Float32Array, DotKernel | null>();

/**
 * Makes the bank's kernel now rather than at its first comparison: at load time, not in the
 * first reply (copying a large bank's rows takes a few tens of milliseconds).
 */
export function prepareBank(bank: VectorBank): VectorBank {
  kernelOf(bank);
  return bank;
}

/** Whether the bank's kernel is made already (tests). */
export function isPrepared(bank: VectorBank): boolean {
  return kernels.has(bank.vectors);
}

function kernelOf(bank: VectorBank): DotKernel | null {
  let kernel = kernels.get(bank.vectors);
  if (kernel === undefined) {
    kernel = createDotKernel(bank.vectors, bank.dimension) ?? null;
    kernels.set(bank.vectors, kernel);
  }
  return kernel;
}

/**
 * Similarity of many vectors to every class of the bank. `exclude[q]` is a row left out for
 * query q (the example itself, when training), or -1. The dot products come from a WebAssembly
 * SIMD kernel (dot-kernel.ts) that computes them bit for bit as `similaritiesInJs` does; where
 * there is none, from `similaritiesInJs` itself.
 */
export function similarities(bank: VectorBank, queries: readonly Float32Array[], exclude: readonly number[] = []): Similarity[] {
  const kernel = kernelOf(bank);
  if (!kernel) return similaritiesInJs(bank, queries, exclude);
  const { classes, labels } = bank;
  const rows = labels.length;
  const firsts = queries.map(() => new Float32Array(classes).fill(-2));
  const seconds = queries.map(() => new Float32Array(classes).fill(-2));
  const thirds = queries.map(() => new Float32Array(classes).fill(-2));
  const nearests = queries.map(() => new Int32Array(classes).fill(-1));
  for (let start = 0; start < queries.length; start += KERNEL_QUERIES) {
    const end = Math.min(queries.length, start + KERNEL_QUERIES);
    kernel.load(queries.slice(start, end));
    for (let rowStart = 0; rowStart < rows; rowStart += KERNEL_ROWS) {
      const rowEnd = Math.min(rows, rowStart + KERNEL_ROWS);
      const dots = kernel.dots(rowStart, rowEnd);
      let at = 0;
      for (let row = rowStart; row < rowEnd; row++) {
        const k = labels[row]!;
        for (let q = start; q < end; q++, at++) {
          if (exclude[q] === row) continue;
          // The same ranking as in similaritiesInJs: a float64 sum against float32 places.
          const sum = dots[at]!;
          const first = firsts[q]!;
          const second = seconds[q]!;
          const third = thirds[q]!;
          if (sum > first[k]!) {
            third[k] = second[k]!;
            second[k] = first[k]!;
            first[k] = sum;
            nearests[q]![k] = row;
          } else if (sum > second[k]!) {
            third[k] = second[k]!;
            second[k] = sum;
          } else if (sum > third[k]!) third[k] = sum;
        }
      }
    }
  }
  return queries.map((_, q) => summarize(firsts[q]!, seconds[q]!, thirds[q]!, nearests[q]!));
}

function summarize(first: Float32Array, second: Float32Array, third: Float32Array, nearest: Int32Array): Similarity {
  const classes = first.length;
  const top3 = new Float32Array(classes);
  for (let k = 0; k < classes; k++) {
    const found = [first[k]!, second[k]!, third[k]!].filter((value) => value > -2);
    top3[k] = found.length ? found.reduce((a, b) => a + b, 0) / found.length : 0;
    if (first[k] === -2) first[k] = 0;
  }
  return { max: first, top3, nearest };
}

/**
 * `similarities` in plain JavaScript. The training's worker threads run its source text, so it
 * uses nothing but its arguments and JavaScript's globals (a bundler may rename anything else).
 * The bank is read once per block of queries rather than once per query: for a bank larger
 * than the processor's cache, reading it is what costs.
 */
export function similaritiesInJs(bank: VectorBank, queries: readonly Float32Array[], exclude: readonly number[] = []): Similarity[] {
  const { dimension, vectors, labels, classes } = bank;
  const rows = labels.length;
  const firsts = queries.map(() => new Float32Array(classes).fill(-2));
  const seconds = queries.map(() => new Float32Array(classes).fill(-2));
  const thirds = queries.map(() => new Float32Array(classes).fill(-2));
  const nearests = queries.map(() => new Int32Array(classes).fill(-1));
  const block = 32; // queries compared with one bank row while it is in the processor's cache
  for (let start = 0; start < queries.length; start += block) {
    const end = Math.min(queries.length, start + block);
    for (let row = 0; row < rows; row++) {
      const offset = row * dimension;
      const k = labels[row]!;
      for (let q = start; q < end; q++) {
        if (exclude[q] === row) continue;
        const vector = queries[q]!;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let j = 0;
        for (; j + 3 < dimension; j += 4) {
          s0 += vector[j]! * vectors[offset + j]!;
          s1 += vector[j + 1]! * vectors[offset + j + 1]!;
          s2 += vector[j + 2]! * vectors[offset + j + 2]!;
          s3 += vector[j + 3]! * vectors[offset + j + 3]!;
        }
        for (; j < dimension; j++) s0 += vector[j]! * vectors[offset + j]!;
        const sum = s0 + s1 + s2 + s3;
        const first = firsts[q]!;
        const second = seconds[q]!;
        const third = thirds[q]!;
        if (sum > first[k]!) {
          third[k] = second[k]!;
          second[k] = first[k]!;
          first[k] = sum;
          nearests[q]![k] = row;
        } else if (sum > second[k]!) {
          third[k] = second[k]!;
          second[k] = sum;
        } else if (sum > third[k]!) third[k] = sum;
      }
    }
  }
  return queries.map((_, q) => {
    const first = firsts[q]!;
    const top3 = new Float32Array(classes);
    for (let k = 0; k < classes; k++) {
      const found = [first[k]!, seconds[q]![k]!, thirds[q]![k]!].filter((value) => value > -2);
      top3[k] = found.length ? found.reduce((a, b) => a + b, 0) / found.length : 0;
      if (first[k] === -2) first[k] = 0;
    }
    return { max: first, top3, nearest: nearests[q]! };
  });
}

/**
 * `similarities` on every core: the queries are split between this thread and worker threads.
 * For training, where tens of thousands of comparisons a second are the whole cost. Where the
 * SIMD kernel can be had, this thread alone is faster than JavaScript on four cores (about four
 * times one core), so the workers are only for machines without it.
 */
export async function similaritiesInParallel(bank: VectorBank, queries: readonly Float32Array[], exclude: readonly number[] = []): Promise<Similarity[]> {
  const threads = Math.min(availableParallelism(), 4);
  if (threads < 2 || queries.length < 4 * BLOCK || kernelOf(bank)) return similarities(bank, queries, exclude);
  const share = Math.ceil(queries.length / threads);
  const parts = Array.from({ length: threads }, (_, t) => ({ from: t * share, to: Math.min(queries.length, (t + 1) * share) }));
  // The plain JavaScript function runs as it is in each worker: it uses nothing but its arguments.
  const source = `const { parentPort, workerData } = require("node:worker_threads");
    const similarities = ${similaritiesInJs.toString()};
    parentPort.postMessage(similarities(workerData.bank, workerData.queries, workerData.exclude));`;
  const inWorkers = parts.slice(1).map(
    ({ from, to }) =>
      new Promise<Similarity[]>((resolve, reject) => {
        const worker = new Worker(source, { eval: true, workerData: { bank, queries: queries.slice(from, to), exclude: exclude.slice(from, to) } });
        worker.once("message", (result: Similarity[]) => {
          resolve(result);
          void worker.terminate();
        });
        worker.once("error", reject);
        worker.once("exit", (code) => reject(new Error(`a similarity worker stopped (exit code ${code}) before answering`)));
      }),
  );
  const here = similarities(bank, queries.slice(parts[0]!.from, parts[0]!.to), exclude.slice(parts[0]!.from, parts[0]!.to));
  return [here, ...(await Promise.all(inWorkers))].flat();
}

export function createBank(dimension: number, classes: number, rows: readonly { vector: Float32Array; label: number }[]): VectorBank {
  const vectors = new Float32Array(rows.length * dimension);
  rows.forEach((row, index) => vectors.set(row.vector, index * dimension));
  return prepareBank({ dimension, vectors, labels: Int32Array.from(rows, (row) => row.label), classes });
}
