import { describe, expect, it } from "vitest";
import { gemmKernelModule, type Gemm } from "../src/encoders/gemm-kernel.js";
import { createRandom } from "../src/matching/model/random.js";

const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => { buffer: ArrayBuffer }; Instance: new (m: object, i: object) => { exports: { gemm: Gemm } }; Module: new (b: Uint8Array) => object } }).WebAssembly;

/** Guard values around the output: the kernel must write its rows and nothing else. */
const GUARD = 64;
const GUARD_VALUE = 12_345.5;

/** Runs the kernel on a (rows × depth) and w (depth × columns, row-major), packing w into its panels of 8 columns. */
function product(a: Float32Array, rows: number, depth: number, w: Float32Array, columns: number, bias: Float32Array, relu: boolean): Float32Array {
  const floats = rows * depth + depth * columns + columns + 2 * GUARD + rows * columns;
  const memory = new wasm.Memory({ initial: Math.ceil((floats * 4) / 65_536) + 1 });
  const { gemm } = new wasm.Instance(new wasm.Module(gemmKernelModule()), { m: { memory } }).exports;
  const heap = new Float32Array(memory.buffer);
  const [aAt, wAt] = [0, rows * depth * 4];
  const biasAt = wAt + depth * columns * 4;
  const outAt = biasAt + columns * 4 + GUARD * 4;
  const afterOut = outAt / 4 + rows * columns;
  heap.set(a, aAt / 4);
  for (let panel = 0; panel < columns / 8; panel++) for (let k = 0; k < depth; k++) for (let c = 0; c < 8; c++) heap[wAt / 4 + (panel * depth + k) * 8 + c] = w[k * columns + panel * 8 + c]!;
  heap.set(bias, biasAt / 4);
  heap.fill(GUARD_VALUE, outAt / 4 - GUARD, outAt / 4);
  heap.fill(GUARD_VALUE, afterOut, heap.length);
  gemm(aAt, rows, depth, wAt, columns, biasAt, outAt, relu ? 1 : 0);
  expect(heap.subarray(outAt / 4 - GUARD, outAt / 4).every((value) => value === GUARD_VALUE), "written before the output").toBe(true);
  expect(heap.subarray(afterOut).every((value) => value === GUARD_VALUE), "written after the output").toBe(true);
  return heap.slice(outAt / 4, afterOut);
}

describe("the sentence encoder's matrix-product kernel", () => {
  it("computes a × w + bias, with and without max(0, ·), for the shapes the encoder uses", () => {
    const random = createRandom(7);
    for (const [rows, depth, columns] of [[4, 4, 8], [8, 64, 16], [12, 256, 768], [4, 1536, 512], [20, 128, 24]] as const) {
      const a = Float32Array.from({ length: rows * depth }, () => random() * 2 - 1);
      const w = Float32Array.from({ length: depth * columns }, () => random() * 2 - 1);
      const bias = Float32Array.from({ length: columns }, () => random() * 2 - 1);
      for (const relu of [false, true]) {
        const out = product(a, rows, depth, w, columns, bias, relu);
        let worst = 0;
        let negatives = 0;
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < columns; j++) {
            let sum = bias[j]!;
            for (let k = 0; k < depth; k++) sum += a[i * depth + k]! * w[k * columns + j]!;
            if (relu) sum = Math.max(0, sum);
            negatives += out[i * columns + j]! < 0 ? 1 : 0;
            worst = Math.max(worst, Math.abs(sum - out[i * columns + j]!) / Math.sqrt(depth));
          }
        }
        expect(worst, `${rows} × ${depth} × ${columns}`).toBeLessThan(1e-5);
        if (relu) expect(negatives).toBe(0);
        else expect(negatives).toBeGreaterThan(0);
      }
    }
  });

  it("gives each row the same result, bit for bit, whatever the other rows", () => {
    const random = createRandom(11);
    const [depth, columns] = [64, 16];
    const w = Float32Array.from({ length: depth * columns }, () => random() * 2 - 1);
    const bias = new Float32Array(columns);
    const many = Float32Array.from({ length: 16 * depth }, () => random() * 2 - 1);
    const together = product(many, 16, depth, w, columns, bias, false);
    const alone = new Float32Array(4 * depth);
    alone.set(many.subarray(9 * depth, 10 * depth));
    expect(product(alone, 4, depth, w, columns, bias, false).subarray(0, columns)).toEqual(together.subarray(9 * columns, 10 * columns));
  });
});
