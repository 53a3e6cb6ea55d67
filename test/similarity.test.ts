import { describe, expect, it } from "vitest";
import {
  createBank,
  isPrepared,
  prepareBank,
  similarities,
  similaritiesInJs,
  similaritiesOnThreads,
  similaritiesOnWorker,
  type Similarity,
  type VectorBank,
} from "../src/matching/model/bank.js";
import { compiledDotKernel, createDotKernel, dotKernelModule, KERNEL_QUERIES, KERNEL_ROWS } from "../src/matching/model/dot-kernel.js";
import { createRandom } from "../src/matching/model/random.js";

function unitVector(random: () => number, dimension: number): Float32Array {
  const vector = Float32Array.from({ length: dimension }, () => random() * 2 - 1);
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

function randomBank(random: () => number, dimension: number, rows: number, classes: number): VectorBank {
  // The last class has no rows, the one before it a single row: both edge cases of top3 and nearest.
  const labels = Array.from({ length: rows }, (_, row) => (row === 0 ? classes - 2 : Math.floor(random() * (classes - 2))));
  return createBank(dimension, classes, labels.map((label) => ({ vector: unitVector(random, dimension), label })));
}

/** The textbook definition, written independently: one sum per dot product, sort, take the best three. */
function naiveSimilarities(bank: VectorBank, queries: readonly Float32Array[], exclude: readonly number[]) {
  const { dimension, vectors, labels, classes } = bank;
  return queries.map((query, q) => {
    const perClass: { value: number; row: number }[][] = Array.from({ length: classes }, () => []);
    for (let row = 0; row < labels.length; row++) {
      if (exclude[q] === row) continue;
      let dot = 0;
      for (let j = 0; j < dimension; j++) dot += query[j]! * vectors[row * dimension + j]!;
      perClass[labels[row]!]!.push({ value: dot, row });
    }
    return perClass.map((found) => {
      const best = [...found].sort((a, b) => b.value - a.value || a.row - b.row).slice(0, 3);
      return {
        max: best[0]?.value ?? 0,
        top3: best.length ? best.reduce((sum, { value }) => sum + value, 0) / best.length : 0,
        nearest: best[0]?.row ?? -1,
      };
    });
  });
}

function plain(found: Similarity[]) {
  return found.map(({ max, top3, nearest }) => ({ max: Array.from(max), top3: Array.from(top3), nearest: Array.from(nearest) }));
}

describe("the WebAssembly dot-product kernel", () => {
  it("is valid WebAssembly with SIMD in this Node.js, so the fast path is the one that runs", () => {
    const wasm = (globalThis as { WebAssembly?: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
    expect(wasm?.validate(dotKernelModule())).toBe(true);
    expect(createDotKernel(new Float32Array(8), 4)).toBeDefined();
  });

  it.each([1, 2, 3, 4, 5, 7, 13, 64, 510, 512])("computes what the JavaScript loop computes, bit for bit (dimension %i)", (dimension) => {
    const random = createRandom(dimension);
    const rows = 37;
    const bank = Float32Array.from({ length: rows * dimension }, () => random() * 2 - 1);
    const queries = Array.from({ length: 5 }, () => Float32Array.from({ length: dimension }, () => random() * 2 - 1));
    const kernel = createDotKernel(bank, dimension)!;
    kernel.load(queries);
    const dots = kernel.dots(3, 31);
    for (let row = 3; row < 31; row++) {
      for (let q = 0; q < queries.length; q++) {
        // The loop of similaritiesInJs: four running sums, the rest into the first.
        const query = queries[q]!;
        const offset = row * dimension;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let j = 0;
        for (; j + 3 < dimension; j += 4) {
          s0 += query[j]! * bank[offset + j]!;
          s1 += query[j + 1]! * bank[offset + j + 1]!;
          s2 += query[j + 2]! * bank[offset + j + 2]!;
          s3 += query[j + 3]! * bank[offset + j + 3]!;
        }
        for (; j < dimension; j++) s0 += query[j]! * bank[offset + j]!;
        expect(dots[(row - 3) * queries.length + q]).toBe(s0 + s1 + s2 + s3);
      }
    }
  });

  it("refuses more queries or rows than one call holds", () => {
    const kernel = createDotKernel(new Float32Array(4 * (KERNEL_ROWS + 1)), 4)!;
    expect(() => kernel.load(Array.from({ length: KERNEL_QUERIES + 1 }, () => new Float32Array(4)))).toThrow(RangeError);
    expect(() => kernel.dots(0, KERNEL_ROWS + 1)).toThrow(RangeError);
  });
});

describe("similarities", () => {
  it.each([
    { dimension: 512, rows: 300, classes: 12, queries: 3 },
    { dimension: 7, rows: 50, classes: 5, queries: 4 },
    { dimension: 13, rows: 2 * KERNEL_ROWS + 17, classes: 9, queries: KERNEL_QUERIES + 5 },
    { dimension: 1, rows: 20, classes: 4, queries: 2 },
  ])("match the JavaScript loop exactly and the textbook definition within 1e-5 ($rows rows × $dimension, $queries queries)", ({ dimension, rows, classes, queries: count }) => {
    const random = createRandom(rows * 31 + dimension);
    const bank = randomBank(random, dimension, rows, classes);
    const queries = Array.from({ length: count }, () => unitVector(random, dimension));
    // Some queries leave a row out (as in training), one of them the only row of its class.
    const exclude = queries.map((_, q) => (q % 3 === 0 ? -1 : q % 3 === 1 ? 0 : Math.floor(random() * rows)));

    const fast = plain(similarities(bank, queries, exclude));
    expect(fast).toEqual(plain(similaritiesInJs(bank, queries, exclude)));

    const reference = naiveSimilarities(bank, queries, exclude);
    fast.forEach((found, q) => {
      for (let k = 0; k < classes; k++) {
        const expected = reference[q]![k]!;
        expect(Math.abs(found.max[k]! - expected.max)).toBeLessThan(1e-5);
        expect(Math.abs(found.top3[k]! - expected.top3)).toBeLessThan(1e-5);
        expect(found.nearest[k]).toBe(expected.nearest);
      }
      expect(found.nearest[classes - 1]).toBe(-1);
      expect(found.max[classes - 1]).toBe(0);
    });
  });

  it("are ready at once for a new bank, and for a loaded one once prepared", () => {
    const bank = randomBank(createRandom(9), 8, 10, 4);
    expect(isPrepared(bank)).toBe(true);
    const loaded = { ...bank, vectors: Float32Array.from(bank.vectors) };
    expect(isPrepared(loaded)).toBe(false);
    expect(prepareBank(loaded)).toBe(loaded);
    expect(isPrepared(loaded)).toBe(true);
  });

  it.each([2, 3])("give the same answer bit for bit spread over %i threads (training)", async (threads) => {
    const random = createRandom(threads);
    const bank = randomBank(random, 24, 300, 7);
    const queries = Array.from({ length: 1000 }, () => unitVector(random, 24));
    const exclude = queries.map((_, q) => (q % 2 === 0 ? -1 : q % 300));
    const spread = await similaritiesOnThreads(bank, queries, exclude, threads);
    expect(plain(spread)).toEqual(plain(similarities(bank, queries, exclude)));
  });

  it("give the same answer bit for bit on a worker thread (a spread share's own path, which has no fallback)", async () => {
    const random = createRandom(11);
    const bank = randomBank(random, 24, 300, 7);
    const queries = Array.from({ length: 40 }, () => unitVector(random, 24));
    const exclude = queries.map((_, q) => q % 300);
    const onWorker = await similaritiesOnWorker(compiledDotKernel()!, bank, queries, exclude);
    expect(plain(onWorker)).toEqual(plain(similarities(bank, queries, exclude)));
  });

  it("give the same answer on a second call (the kernel's buffers are reused) and for no queries", () => {
    const random = createRandom(5);
    const bank = randomBank(random, 16, 40, 6);
    const first = [unitVector(random, 16), unitVector(random, 16)];
    const second = [unitVector(random, 16)];
    const once = plain(similarities(bank, first));
    similarities(bank, second);
    expect(plain(similarities(bank, first))).toEqual(once);
    expect(similarities(bank, [])).toEqual([]);
  });
});
