/**
 * Dot products of bank rows with query vectors, as a small WebAssembly SIMD function written
 * out byte by byte below (no toolchain needed). It computes exactly what the plain JavaScript
 * loop of `similarities` computes, bit for bit: every float32 × float32 product is exact in a
 * float64, the products are summed in float64 into four running sums (element j goes to sum
 * j mod 4; the last dimension mod 4 elements go to the first sum), and the four sums are added
 * as ((s0 + s1) + s2) + s3. Here two float64 lanes hold (s0, s1) and two hold (s2, s3).
 *
 * Memory layout (one memory per bank): the bank's rows as float32 from byte 0, then the
 * queries as float64 (exact copies of their float32 values), then the output as float64,
 * one value per (row, query), row after row.
 */

/** Queries compared with the bank in one call (the caller splits larger sets). */
export const KERNEL_QUERIES = 32;
/** Rows of the bank per call: the output of one call stays in the processor's cache. */
export const KERNEL_ROWS = 1024;

export interface DotKernel {
  /** Copies up to KERNEL_QUERIES queries into the kernel's memory, for the next calls of `dots`. */
  load(queries: readonly Float32Array[]): void;
  /**
   * The dot product of each row in [rowStart, rowEnd) (at most KERNEL_ROWS rows) with each
   * loaded query: out[(row - rowStart) * queries + q]. The array is reused by the next call.
   */
  dots(rowStart: number, rowEnd: number): Float64Array;
}

import {
  BLOCK, BR, BR_IF, EMPTY, END, F32_LOAD, F64, F64_ADD, F64_LOAD, F64_MUL, F64_PROMOTE_F32, F64_STORE, F64X2_ADD, F64X2_EXTRACT_LANE, F64X2_MUL,
  F64X2_PROMOTE_LOW_F32X4, I32, I32_ADD, I32_AND, I32_GE_U, I32_GT_U, I32_MUL, I32_SHL, I8X16_SHUFFLE, LOOP, V128, V128_LOAD, V128_ZERO as ZERO,
  functionBody, get, i32, memarg, oneFunctionModule, set, wasmApi as wasm, type WasmApi,
} from "../../wasm/bytes.js";

// Parameters, then locals, by index.
const [ROW_START, ROW_END, QUERIES, DIMENSION, QUERY_BASE, OUT_BASE] = [0, 1, 2, 3, 4, 5];
const [ROW, ROW_PTR, QUERY, QUERY_PTR, J_END, ROW_AT, OUT_PTR] = [6, 7, 8, 9, 10, 11, 12];
/** Queries compared with one row at a time: their sums are independent, so the processor overlaps them. */
const INTERLEAVED = 4;
const QUERY_AT = 13; // one per interleaved query
const S0 = QUERY_AT + INTERLEAVED; // one float64 per interleaved query
const ACC01 = S0 + INTERLEAVED; // one v128 per interleaved query
const ACC23 = ACC01 + INTERLEAVED; // one v128 per interleaved query
const [PACK, LOW, HIGH] = [ACC23 + INTERLEAVED, ACC23 + INTERLEAVED + 1, ACC23 + INTERLEAVED + 2];

/**
 * The dot products of the current row (rowPtr) with `n` consecutive queries (from queryPtr),
 * stored at outPtr; advances query, queryPtr and outPtr past them. Each query keeps its own
 * sums, added in the order of the JavaScript loop.
 */
function dotsOfQueries(n: number): number[] {
  const each = (emit: (i: number) => number[]) => Array.from({ length: n }, (_, i) => emit(i)).flat();
  return [
    ...each((i) => [...ZERO, ...set(ACC01 + i), ...ZERO, ...set(ACC23 + i)]),
    // queryAt[i] = queryPtr + i * dimension * 8
    ...each((i) => [...get(QUERY_PTR), ...get(DIMENSION), ...i32(i * 8), I32_MUL, I32_ADD, ...set(QUERY_AT + i)]),
    ...get(ROW_PTR), ...set(ROW_AT),
    // jEnd = rowPtr + (dimension & ~3) * 4: the part in steps of four
    ...get(ROW_PTR), ...get(DIMENSION), ...i32(-4), I32_AND, ...i32(2), I32_SHL, I32_ADD, ...set(J_END),
    BLOCK, EMPTY,
    LOOP, EMPTY,
    ...get(ROW_AT), ...get(J_END), I32_GE_U, BR_IF, 1,
    // four float32 of the row, as float64 pairs: (r0, r1) and (r2, r3)
    ...get(ROW_AT), ...V128_LOAD, ...memarg(2), ...set(PACK),
    ...get(PACK), ...F64X2_PROMOTE_LOW_F32X4, ...set(LOW),
    ...get(PACK), ...get(PACK), ...I8X16_SHUFFLE, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15, ...F64X2_PROMOTE_LOW_F32X4, ...set(HIGH),
    // acc01 += (r0, r1) * query[j, j+1]; acc23 += (r2, r3) * query[j+2, j+3]
    ...each((i) => [
      ...get(ACC01 + i), ...get(LOW), ...get(QUERY_AT + i), ...V128_LOAD, ...memarg(3), ...F64X2_MUL, ...F64X2_ADD, ...set(ACC01 + i),
      ...get(ACC23 + i), ...get(HIGH), ...get(QUERY_AT + i), ...V128_LOAD, ...memarg(3, 16), ...F64X2_MUL, ...F64X2_ADD, ...set(ACC23 + i),
      ...get(QUERY_AT + i), ...i32(32), I32_ADD, ...set(QUERY_AT + i),
    ]),
    ...get(ROW_AT), ...i32(16), I32_ADD, ...set(ROW_AT),
    BR, 0,
    END,
    END,
    // s0 = acc01[0]; the remaining elements go to s0, one by one
    ...each((i) => [...get(ACC01 + i), ...F64X2_EXTRACT_LANE, 0, ...set(S0 + i)]),
    ...get(ROW_PTR), ...get(DIMENSION), ...i32(2), I32_SHL, I32_ADD, ...set(J_END),
    BLOCK, EMPTY,
    LOOP, EMPTY,
    ...get(ROW_AT), ...get(J_END), I32_GE_U, BR_IF, 1,
    ...each((i) => [
      ...get(S0 + i),
      ...get(ROW_AT), F32_LOAD, ...memarg(2), F64_PROMOTE_F32,
      ...get(QUERY_AT + i), F64_LOAD, ...memarg(3),
      F64_MUL, F64_ADD, ...set(S0 + i),
      ...get(QUERY_AT + i), ...i32(8), I32_ADD, ...set(QUERY_AT + i),
    ]),
    ...get(ROW_AT), ...i32(4), I32_ADD, ...set(ROW_AT),
    BR, 0,
    END,
    END,
    // out = ((s0 + s1) + s2) + s3
    ...each((i) => [
      ...get(OUT_PTR),
      ...get(S0 + i), ...get(ACC01 + i), ...F64X2_EXTRACT_LANE, 1, F64_ADD,
      ...get(ACC23 + i), ...F64X2_EXTRACT_LANE, 0, F64_ADD,
      ...get(ACC23 + i), ...F64X2_EXTRACT_LANE, 1, F64_ADD,
      F64_STORE, ...memarg(3, i * 8),
    ]),
    ...get(OUT_PTR), ...i32(n * 8), I32_ADD, ...set(OUT_PTR),
    ...get(QUERY_PTR), ...get(DIMENSION), ...i32(n * 8), I32_MUL, I32_ADD, ...set(QUERY_PTR),
    ...get(QUERY), ...i32(n), I32_ADD, ...set(QUERY),
  ];
}

/** The function body: (rowStart, rowEnd, queries, dimension, queryBase, outBase) → (). */
function body(): number[] {
  const code = [
    // outPtr = outBase; row = rowStart
    ...get(OUT_BASE), ...set(OUT_PTR),
    ...get(ROW_START), ...set(ROW),
    BLOCK, EMPTY,
    LOOP, EMPTY,
    // while (row < rowEnd)
    ...get(ROW), ...get(ROW_END), I32_GE_U, BR_IF, 1,
    // rowPtr = row * dimension * 4
    ...get(ROW), ...get(DIMENSION), I32_MUL, ...i32(2), I32_SHL, ...set(ROW_PTR),
    ...i32(0), ...set(QUERY),
    ...get(QUERY_BASE), ...set(QUERY_PTR),
    // while (query + INTERLEAVED <= queries): that many queries at once
    BLOCK, EMPTY,
    LOOP, EMPTY,
    ...get(QUERY), ...i32(INTERLEAVED), I32_ADD, ...get(QUERIES), I32_GT_U, BR_IF, 1,
    ...dotsOfQueries(INTERLEAVED),
    BR, 0,
    END,
    END,
    // while (query < queries): the rest one by one
    BLOCK, EMPTY,
    LOOP, EMPTY,
    ...get(QUERY), ...get(QUERIES), I32_GE_U, BR_IF, 1,
    ...dotsOfQueries(1),
    BR, 0,
    END,
    END,
    ...get(ROW), ...i32(1), I32_ADD, ...set(ROW),
    BR, 0,
    END,
    END,
    END,
  ];
  return functionBody([[7 + INTERLEAVED, I32], [INTERLEAVED, F64], [2 * INTERLEAVED + 3, V128]], code);
}

/** The module's bytes: imports memory "m"."memory", exports "dots". */
export function dotKernelModule(): Uint8Array {
  return oneFunctionModule("dots", 6, body());
}

let compiled: object | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is not available. */
export function compiledDotKernel(): object | null {
  if (compiled === undefined) {
    const bytes = dotKernelModule();
    compiled = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
  }
  return compiled;
}

/**
 * A kernel holding a copy of these rows (size × dimension float32), or undefined where
 * WebAssembly SIMD is not available or the rows do not fit in its 32-bit memory.
 */
export function createDotKernel(rows: Float32Array, dimension: number): DotKernel | undefined {
  const module = compiledDotKernel();
  if (!wasm || !module) return undefined;
  return instantiateDotKernel(wasm, module, rows, dimension, KERNEL_QUERIES, KERNEL_ROWS);
}

/**
 * An instance of the compiled kernel with its own memory. It reads nothing but its parameters,
 * so that a worker thread can run its source (see similaritiesOnThreads).
 */
export function instantiateDotKernel(
  api: WasmApi,
  module: object,
  rows: Float32Array,
  dimension: number,
  maxQueries: number,
  maxRows: number,
): DotKernel | undefined {
  if (dimension <= 0) return undefined;
  const page = 65_536;
  const queryBase = Math.ceil(rows.byteLength / 16) * 16;
  const outBase = queryBase + maxQueries * dimension * 8;
  const bytes = outBase + maxRows * maxQueries * 8;
  if (bytes > 2 ** 31) return undefined;
  const memory = new api.Memory({ initial: Math.ceil(bytes / page) });
  const instance = new api.Instance(module, { m: { memory } });
  const dots = instance.exports.dots as (rowStart: number, rowEnd: number, queries: number, dimension: number, queryBase: number, outBase: number) => void;
  new Float32Array(memory.buffer, 0, rows.length).set(rows);
  const queryArea = new Float64Array(memory.buffer, queryBase, maxQueries * dimension);
  const out = new Float64Array(memory.buffer, outBase, maxRows * maxQueries);
  let loaded = 0;
  return {
    load(queries) {
      if (queries.length > maxQueries) throw new RangeError(`at most ${maxQueries} queries per kernel call`);
      queries.forEach((query, q) => queryArea.set(query.subarray(0, dimension), q * dimension));
      loaded = queries.length;
    },
    dots(rowStart, rowEnd) {
      if (rowEnd - rowStart > maxRows) throw new RangeError(`at most ${maxRows} rows per kernel call`);
      dots(rowStart, rowEnd, loaded, dimension, queryBase, outBase);
      return out;
    },
  };
}
