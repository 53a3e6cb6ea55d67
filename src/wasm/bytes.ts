/**
 * Just enough of WebAssembly's binary format to write small kernels byte by byte (no toolchain
 * needed): LEB128 numbers, sections, and the opcodes the kernels use (WebAssembly core
 * specification, and its fixed-width SIMD extension behind 0xfd).
 */

export const BLOCK = 0x02;
export const LOOP = 0x03;
export const IF = 0x04;
export const END = 0x0b;
export const BR = 0x0c;
export const BR_IF = 0x0d;
export const EMPTY = 0x40;
const GET = 0x20;
const SET = 0x21;
export const TEE = 0x22;
const I32_CONST = 0x41;
export const I32_GT_U = 0x4b;
export const I32_GE_U = 0x4f;
export const I32_ADD = 0x6a;
export const I32_MUL = 0x6c;
export const I32_AND = 0x71;
export const I32_SHL = 0x74;
export const F32_LOAD = 0x2a;
export const F64_LOAD = 0x2b;
export const F64_STORE = 0x39;
export const F64_ADD = 0xa0;
export const F64_MUL = 0xa2;
export const F64_PROMOTE_F32 = 0xbb;
const SIMD = 0xfd;
export const V128_LOAD = [SIMD, 0x00];
export const V128_LOAD32_SPLAT = [SIMD, 0x09];
export const V128_STORE = [SIMD, 0x0b];
const V128_CONST = [SIMD, 0x0c];
export const I8X16_SHUFFLE = [SIMD, 0x0d];
export const F64X2_EXTRACT_LANE = [SIMD, 0x21];
export const F64X2_PROMOTE_LOW_F32X4 = [SIMD, 0x5f];
export const F32X4_ADD = [SIMD, 0xe4, 0x01];
export const F32X4_MUL = [SIMD, 0xe6, 0x01];
export const F32X4_MAX = [SIMD, 0xe9, 0x01];
export const F64X2_ADD = [SIMD, 0xf0, 0x01];
export const F64X2_MUL = [SIMD, 0xf2, 0x01];
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

function leb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

/** Signed LEB128, for i32.const of small non-negative and negative values. */
function sleb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      bytes.push(byte);
      return bytes;
    }
    bytes.push(byte | 0x80);
  }
}

export const memarg = (alignLog2: number, offset = 0) => [...leb(alignLog2), ...leb(offset)];
export const vector = (items: number[][]) => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
const name = (text: string) => [...leb(text.length), ...Buffer.from(text, "utf8")];

export const get = (local: number) => [GET, local];
export const set = (local: number) => [SET, local];
export const i32 = (value: number) => [I32_CONST, ...sleb(value)];
export const V128_ZERO = [...V128_CONST, ...new Array<number>(16).fill(0)];

/** A function's body: its locals (count and type, in groups) and its code. */
export function functionBody(locals: [count: number, type: number][], code: number[]): number[] {
  const declared = vector(locals.map(([count, type]) => [...leb(count), type]));
  return [...leb(declared.length + code.length), ...declared, ...code];
}

/** A module of one function of i32 parameters and no result, importing memory "m"."memory" and exporting the function as `exported`. */
export function oneFunctionModule(exported: string, parameters: number, body: number[]): Uint8Array {
  const type = [0x60, ...vector(Array.from({ length: parameters }, () => [I32])), ...vector([])];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([type])),
    ...section(2, vector([[...name("m"), ...name("memory"), 0x02, 0x00, ...leb(1)]])),
    ...section(3, vector([[0]])),
    ...section(7, vector([[...name(exported), 0x00, 0]])),
    ...section(10, vector([body])),
  ]);
}

/** The part of the WebAssembly JavaScript API used here (this project's TypeScript libraries do not declare it). */
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}

/** This runtime's WebAssembly, if it has one. */
export const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
