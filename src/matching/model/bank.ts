import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { compiledDotKernel, createDotKernel, instantiateDotKernel, KERNEL_QUERIES, KERNEL_ROWS, type DotKernel } from "./dot-kernel.js";

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
 * Similarity of many vectors to every class of the bank: the dot products come from the bank's
 * SIMD kernel (dot-kernel.ts) or, where there is none, from a JavaScript loop that computes the
 * same sums bit for bit. `exclude[q]` is a row left out for query q (the example itself, when
 * training), or -1.
 */
export function similarities(bank: VectorBank, queries: readonly Float32Array[], exclude: readonly number[] = []): Similarity[] {
  const kernel = kernelOf(bank);
  const ranking = createRanking(bank.classes, queries.length, exclude);
  if (kernel) sweepKernel(kernel, bank.labels, queries, ranking.add, KERNEL_QUERIES, KERNEL_ROWS);
  else dotsInJs(bank, queries, ranking.add);
  return ranking.result();
}

/** Fewer queries than this are not worth a worker thread's start (a few tens of milliseconds). */
const QUERIES_PER_THREAD = 256;
const MAX_THREADS = 4;

/**
 * `similarities` spread over the cores, for training: the queries are cut into consecutive
 * shares, this thread computes the first and a worker thread each of the others with the same
 * kernel, so the result is the same bit for bit. A worker that fails only costs time: this
 * thread computes its share.
 */
export async function similaritiesOnThreads(
  bank: VectorBank,
  queries: readonly Float32Array[],
  exclude: readonly number[] = [],
  threads = Math.min(availableParallelism(), MAX_THREADS),
): Promise<Similarity[]> {
  const module = compiledDotKernel();
  const shares = Math.min(threads, Math.floor(queries.length / QUERIES_PER_THREAD));
  if (shares < 2 || module === null || kernelOf(bank) === null) return similarities(bank, queries, exclude);
  const bounds = Array.from({ length: shares + 1 }, (_, i) => Math.round((i * queries.length) / shares));
  const shareOf = (i: number) => ({ queries: queries.slice(bounds[i], bounds[i + 1]), exclude: exclude.slice(bounds[i], bounds[i + 1]) });
  const delegated = Array.from({ length: shares - 1 }, (_, w) => {
    const share = shareOf(w + 1);
    return similaritiesOnWorker(module, bank, share.queries, share.exclude).catch(() => similarities(bank, share.queries, share.exclude));
  });
  const first = shareOf(0);
  const own = similarities(bank, first.queries, first.exclude);
  return [own, ...(await Promise.all(delegated))].flat();
}

/** `similarities` on a worker thread, started for these queries and stopped after them. */
export async function similaritiesOnWorker(module: object, bank: VectorBank, queries: Float32Array[], exclude: number[]): Promise<Similarity[]> {
  // __name: what esbuild's keepNames (tsx, vitest) wraps nested functions in; plain node has none.
  const source = `const { parentPort } = require("node:worker_threads"); const __name = (target) => target;
    const instantiateDotKernel = ${instantiateDotKernel.toString()};
    const createRanking = ${createRanking.toString()};
    const sweepKernel = ${sweepKernel.toString()};
    parentPort.once("message", ({ module, vectors, dimension, labels, classes, queries, exclude, blockQueries, blockRows }) => {
      const kernel = instantiateDotKernel(WebAssembly, module, vectors, dimension, blockQueries, blockRows);
      if (!kernel) throw new Error("the dot-product kernel could not be made");
      const ranking = createRanking(classes, queries.length, exclude);
      sweepKernel(kernel, labels, queries, ranking.add, blockQueries, blockRows);
      parentPort.postMessage(ranking.result());
    });`;
  const worker = new Worker(source, { eval: true });
  try {
    return await new Promise<Similarity[]>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`a similarity worker stopped (exit code ${code}) before answering`)));
      const { vectors, dimension, labels, classes } = bank;
      worker.postMessage({ module, vectors, dimension, labels, classes, queries, exclude, blockQueries: KERNEL_QUERIES, blockRows: KERNEL_ROWS });
    });
  } finally {
    await worker.terminate();
  }
}

/**
 * Every query's dot product with every bank row, from the kernel, in blocks of queries and
 * rows. It reads nothing but its parameters, so that a worker thread can run its source.
 */
function sweepKernel(
  kernel: DotKernel,
  labels: Int32Array,
  queries: readonly Float32Array[],
  add: (query: number, row: number, label: number, dot: number) => void,
  blockQueries: number,
  blockRows: number,
): void {
  const rows = labels.length;
  for (let start = 0; start < queries.length; start += blockQueries) {
    const end = Math.min(queries.length, start + blockQueries);
    kernel.load(queries.slice(start, end));
    for (let rowStart = 0; rowStart < rows; rowStart += blockRows) {
      const rowEnd = Math.min(rows, rowStart + blockRows);
      const dots = kernel.dots(rowStart, rowEnd);
      let at = 0;
      for (let row = rowStart; row < rowEnd; row++) {
        for (let q = start; q < end; q++, at++) add(q, row, labels[row]!, dots[at]!);
      }
    }
  }
}

/** `similarities` without the kernel: the JavaScript loop alone (tests compare the two). */
export function similaritiesInJs(bank: VectorBank, queries: readonly Float32Array[], exclude: readonly number[] = []): Similarity[] {
  const ranking = createRanking(bank.classes, queries.length, exclude);
  dotsInJs(bank, queries, ranking.add);
  return ranking.result();
}

/** Queries compared with one bank row while it is in the processor's cache. */
const BLOCK = 32;

/**
 * Every query's dot product with every bank row, in four running sums (the kernel's order).
 * The bank is read once per block of queries rather than once per query: for a bank larger
 * than the processor's cache, reading it is what costs.
 */
function dotsInJs(bank: VectorBank, queries: readonly Float32Array[], add: (query: number, row: number, label: number, dot: number) => void): void {
  const { dimension, vectors, labels } = bank;
  for (let start = 0; start < queries.length; start += BLOCK) {
    const end = Math.min(queries.length, start + BLOCK);
    for (let row = 0; row < labels.length; row++) {
      const offset = row * dimension;
      for (let q = start; q < end; q++) {
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
        add(q, row, labels[row]!, s0 + s1 + s2 + s3);
      }
    }
  }
}

/**
 * Per query and class, the three best similarities (float32 places) and the row of the best.
 * It reads nothing but its parameters, so that a worker thread can run its source.
 */
function createRanking(classes: number, queries: number, exclude: readonly number[]) {
  const firsts = Array.from({ length: queries }, () => new Float32Array(classes).fill(-2));
  const seconds = Array.from({ length: queries }, () => new Float32Array(classes).fill(-2));
  const thirds = Array.from({ length: queries }, () => new Float32Array(classes).fill(-2));
  const nearests = Array.from({ length: queries }, () => new Int32Array(classes).fill(-1));
  return {
    add(q: number, row: number, k: number, sum: number): void {
      if (exclude[q] === row) return;
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
    },
    result(): Similarity[] {
      return firsts.map((first, q) => {
        const top3 = new Float32Array(classes);
        for (let k = 0; k < classes; k++) {
          const found = [first[k]!, seconds[q]![k]!, thirds[q]![k]!].filter((value) => value > -2);
          top3[k] = found.length ? found.reduce((a, b) => a + b, 0) / found.length : 0;
          if (first[k] === -2) first[k] = 0;
        }
        return { max: first, top3, nearest: nearests[q]! };
      });
    },
  };
}

export function createBank(dimension: number, classes: number, rows: readonly { vector: Float32Array; label: number }[]): VectorBank {
  const vectors = new Float32Array(rows.length * dimension);
  rows.forEach((row, index) => vectors.set(row.vector, index * dimension));
  return prepareBank({ dimension, vectors, labels: Int32Array.from(rows, (row) => row.label), classes });
}
