/**
 * The sentence encoder's matrix product, as a small WebAssembly SIMD function written out byte by
 * byte: out = a × w + bias, optionally through max(0, ·), in float32.
 *
 * Layout (byte addresses in one memory):
 * - `a`: `rows` rows of `depth` float32, one after another; `rows` a multiple of 4 (pad with zeros);
 * - `w`: a depth × columns matrix in panels of 8 columns: panel p holds, for each k in turn, the
 *   8 values w[k][8p .. 8p + 7] (see use-lite-forward.ts's packing); `columns` a multiple of 8,
 *   `depth` a multiple of 4;
 * - `bias`: `columns` float32; `out`: `rows` rows of `columns` float32.
 *
 * Each output row depends on its own row of `a` only, summed in the same order whatever the
 * other rows: a text's vector does not depend on the other texts of its call.
 *
 * Why not TensorFlow.js's kernels (XNNPACK): as fast, but each thread that loads them holds the
 * library and a second, repacked copy of the weights, about 40 MB more per encoder lane.
 */
import {
  BLOCK, BR, BR_IF, EMPTY, END, F32X4_ADD, F32X4_MAX, F32X4_MUL, I32, I32_ADD, I32_GE_U, I32_MUL, I32_SHL, IF, LOOP, TEE, V128, V128_LOAD,
  V128_LOAD32_SPLAT, V128_STORE, V128_ZERO, functionBody, get, i32, memarg, oneFunctionModule, set,
} from "../wasm/bytes.js";

// Parameters, then locals, by index.
const [A, ROWS, DEPTH, W, COLUMNS, BIAS, OUT, RELU] = [0, 1, 2, 3, 4, 5, 6, 7];
const [COLUMN_BYTE, PANEL, ROW, A0, W_AT, W_END, OUT_AT, ROW_BYTES, OUT_ROW_BYTES] = [8, 9, 10, 11, 15, 16, 17, 18, 19];
/** Rows of `a` at a time (one pointer each: A0 .. A0 + 3). */
const TILE_ROWS = 4;
/** Steps of k per turn of the inner loop. */
const UNROLL = 4;
const ACC = 20; // two per row: columns 0-3 and 4-7 of the panel
const [B0, B1, BIAS_LOW, BIAS_HIGH, X] = [28, 29, 30, 31, 32];

const rows = (emit: (r: number) => number[]) => Array.from({ length: TILE_ROWS }, (_, r) => emit(r)).flat();

function body(): number[] {
  const code = [
    ...get(DEPTH), ...i32(2), I32_SHL, ...set(ROW_BYTES),
    ...get(COLUMNS), ...i32(2), I32_SHL, ...set(OUT_ROW_BYTES),
    ...i32(0), ...set(COLUMN_BYTE),
    ...get(W), ...set(PANEL),
    BLOCK, EMPTY,
    LOOP, EMPTY,
    // for each panel of 8 columns
    ...get(COLUMN_BYTE), ...get(OUT_ROW_BYTES), I32_GE_U, BR_IF, 1,
    ...get(BIAS), ...get(COLUMN_BYTE), I32_ADD, ...V128_LOAD, ...memarg(2), ...set(BIAS_LOW),
    ...get(BIAS), ...get(COLUMN_BYTE), I32_ADD, ...V128_LOAD, ...memarg(2, 16), ...set(BIAS_HIGH),
    ...i32(0), ...set(ROW),
    BLOCK, EMPTY,
    LOOP, EMPTY,
    // for each 4 rows
    ...get(ROW), ...get(ROWS), I32_GE_U, BR_IF, 1,
    ...get(A), ...get(ROW), ...get(ROW_BYTES), I32_MUL, I32_ADD, ...set(A0),
    ...rows((r) => (r === 0 ? [] : [...get(A0 + r - 1), ...get(ROW_BYTES), I32_ADD, ...set(A0 + r)])),
    ...rows((r) => [...get(BIAS_LOW), ...set(ACC + 2 * r), ...get(BIAS_HIGH), ...set(ACC + 2 * r + 1)]),
    ...get(PANEL), ...set(W_AT),
    // the panel is depth × 8 float32: depth × 32 bytes
    ...get(PANEL), ...get(ROW_BYTES), ...i32(3), I32_SHL, I32_ADD, ...set(W_END),
    BLOCK, EMPTY,
    LOOP, EMPTY,
    ...get(W_AT), ...get(W_END), I32_GE_U, BR_IF, 1,
    ...Array.from({ length: UNROLL }, (_, u) => [
      ...get(W_AT), ...V128_LOAD, ...memarg(2, 32 * u), ...set(B0),
      ...get(W_AT), ...V128_LOAD, ...memarg(2, 32 * u + 16), ...set(B1),
      ...rows((r) => [
        ...get(ACC + 2 * r), ...get(A0 + r), ...V128_LOAD32_SPLAT, ...memarg(2, 4 * u), TEE, X, ...get(B0), ...F32X4_MUL, ...F32X4_ADD, ...set(ACC + 2 * r),
        ...get(ACC + 2 * r + 1), ...get(X), ...get(B1), ...F32X4_MUL, ...F32X4_ADD, ...set(ACC + 2 * r + 1),
      ]),
    ]).flat(),
    ...get(W_AT), ...i32(32 * UNROLL), I32_ADD, ...set(W_AT),
    ...rows((r) => [...get(A0 + r), ...i32(4 * UNROLL), I32_ADD, ...set(A0 + r)]),
    BR, 0,
    END,
    END,
    ...get(RELU), IF, EMPTY,
    ...rows((r) => [0, 1].flatMap((half) => [...get(ACC + 2 * r + half), ...V128_ZERO, ...F32X4_MAX, ...set(ACC + 2 * r + half)])),
    END,
    // out + row × outRowBytes + columnByte, then one row down for each row of the tile
    ...get(OUT), ...get(ROW), ...get(OUT_ROW_BYTES), I32_MUL, I32_ADD, ...get(COLUMN_BYTE), I32_ADD, ...set(OUT_AT),
    ...rows((r) => [
      ...get(OUT_AT), ...get(ACC + 2 * r), ...V128_STORE, ...memarg(2),
      ...get(OUT_AT), ...get(ACC + 2 * r + 1), ...V128_STORE, ...memarg(2, 16),
      ...(r < TILE_ROWS - 1 ? [...get(OUT_AT), ...get(OUT_ROW_BYTES), I32_ADD, ...set(OUT_AT)] : []),
    ]),
    ...get(ROW), ...i32(TILE_ROWS), I32_ADD, ...set(ROW),
    BR, 0,
    END,
    END,
    ...get(COLUMN_BYTE), ...i32(32), I32_ADD, ...set(COLUMN_BYTE),
    ...get(PANEL), ...get(ROW_BYTES), ...i32(3), I32_SHL, I32_ADD, ...set(PANEL),
    BR, 0,
    END,
    END,
    END,
  ];
  return functionBody([[12, I32], [13, V128]], code);
}

/** The exported function: byte addresses and sizes as above; relu 1 for max(0, ·), else 0. */
export type Gemm = (a: number, rows: number, depth: number, w: number, columns: number, bias: number, out: number, relu: number) => void;

/** The module's bytes: imports memory "m"."memory", exports "gemm"(a, rows, depth, w, columns, bias, out, relu). */
export function gemmKernelModule(): Uint8Array {
  return oneFunctionModule("gemm", 8, body());
}
