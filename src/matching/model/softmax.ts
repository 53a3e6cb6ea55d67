/**
 * A multinomial logistic regression with two kinds of input per example:
 * - `shared`: one vector for the whole example (an embedding), read by each class's own weights;
 * - `perClass`: a few features for each class (how similar the example is to that class's
 *   phrasings), read by one weight vector common to all classes, so that what "similar" means
 *   is learnt once and carries over to classes with few examples.
 * The score of class k is W[k]·shared + a·perClass[k] + b[k]; a softmax turns scores into
 * probabilities. Training is full-batch Adam from zero weights: no randomness, so the same
 * data always gives the same model.
 */
export interface Example {
  readonly shared: Float32Array;
  /** classes × perClassSize features, class-major. */
  readonly perClass: Float32Array;
  readonly label: number;
  readonly weight: number;
}

export interface SoftmaxModel {
  readonly classes: number;
  readonly sharedSize: number;
  readonly perClassSize: number;
  /** classes × sharedSize. */
  readonly W: Float32Array;
  readonly a: Float32Array;
  readonly b: Float32Array;
  /** Softmax temperature fitted on held-out predictions (1 = as trained). */
  readonly temperature: number;
}

export interface TrainOptions {
  readonly classes: number;
  readonly sharedSize: number;
  readonly perClassSize: number;
  readonly epochs: number;
  readonly learningRate: number;
  /** L2 penalty on the embedding weights W. */
  readonly l2: number;
  /** L2 penalty on the shared per-class weights a. */
  readonly l2PerClass: number;
  /** When false, W stays zero: the model reads only the per-class features. */
  readonly useShared: boolean;
}

export function scores(model: Omit<SoftmaxModel, "temperature">, shared: Float32Array, perClass: Float32Array): Float64Array {
  const { classes, sharedSize, perClassSize, W, a, b } = model;
  const out = new Float64Array(classes);
  for (let k = 0; k < classes; k++) {
    let sum = b[k]!;
    const row = k * sharedSize;
    for (let j = 0; j < sharedSize; j++) sum += W[row + j]! * shared[j]!;
    const features = k * perClassSize;
    for (let m = 0; m < perClassSize; m++) sum += a[m]! * perClass[features + m]!;
    out[k] = sum;
  }
  return out;
}

export function softmax(logits: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const value of logits) max = Math.max(max, value / temperature);
  const out = new Float64Array(logits.length);
  let total = 0;
  for (let k = 0; k < logits.length; k++) total += out[k] = Math.exp(logits[k]! / temperature - max);
  for (let k = 0; k < logits.length; k++) out[k] = out[k]! / total;
  return out;
}

export function predict(model: SoftmaxModel, shared: Float32Array, perClass: Float32Array): Float64Array {
  return softmax(scores(model, shared, perClass), model.temperature);
}

export function train(examples: readonly Example[], options: TrainOptions): SoftmaxModel {
  const { classes, sharedSize, perClassSize, epochs, learningRate, l2, l2PerClass, useShared } = options;
  // Float64 throughout training: faster in V8 than Float32 arithmetic, and stored as Float32 at the end.
  const params = {
    W: new Float64Array(classes * sharedSize),
    a: new Float64Array(perClassSize),
    b: new Float64Array(classes),
  };
  const adam = {
    W: createAdam(params.W.length),
    a: createAdam(perClassSize),
    b: createAdam(classes),
  };
  const gW = new Float64Array(params.W.length);
  const ga = new Float64Array(perClassSize);
  const gb = new Float64Array(classes);
  const totalWeight = examples.reduce((sum, example) => sum + example.weight, 0) || 1;
  const shared = examples.map((example) => Float64Array.from(example.shared));
  const logits = new Float64Array(classes);
  const { W, a, b } = params;

  for (let epoch = 1; epoch <= epochs; epoch++) {
    gW.fill(0);
    ga.fill(0);
    gb.fill(0);
    examples.forEach((example, index) => {
      const x = shared[index]!;
      const f = example.perClass;
      let max = -Infinity;
      for (let k = 0; k < classes; k++) {
        let sum = b[k]!;
        if (useShared) sum += dot64(W, k * sharedSize, x, sharedSize);
        const at = k * perClassSize;
        for (let m = 0; m < perClassSize; m++) sum += a[m]! * f[at + m]!;
        logits[k] = sum;
        if (sum > max) max = sum;
      }
      let total = 0;
      for (let k = 0; k < classes; k++) total += logits[k] = Math.exp(logits[k]! - max);
      const scale = example.weight / totalWeight;
      for (let k = 0; k < classes; k++) {
        const error = logits[k]! / total - (k === example.label ? 1 : 0);
        // A class the model already gets right for this example adds nothing worth the arithmetic.
        if (Math.abs(error) < 1e-4) continue;
        const g = error * scale;
        gb[k] = gb[k]! + g;
        if (useShared) {
          const row = k * sharedSize;
          for (let j = 0; j < sharedSize; j++) gW[row + j] = gW[row + j]! + g * x[j]!;
        }
        const at = k * perClassSize;
        for (let m = 0; m < perClassSize; m++) ga[m] = ga[m]! + g * f[at + m]!;
      }
    });
    if (useShared) {
      for (let i = 0; i < gW.length; i++) gW[i] = gW[i]! + l2 * params.W[i]!;
      step(params.W, gW, adam.W, learningRate, epoch);
    }
    for (let m = 0; m < perClassSize; m++) ga[m] = ga[m]! + l2PerClass * params.a[m]!;
    step(params.a, ga, adam.a, learningRate, epoch);
    step(params.b, gb, adam.b, learningRate, epoch);
  }
  return {
    classes,
    sharedSize,
    perClassSize,
    W: Float32Array.from(W),
    a: Float32Array.from(a),
    b: Float32Array.from(b),
    temperature: 1,
  };
}

/**
 * The temperature that makes held-out probabilities honest: the one minimising their
 * negative log-likelihood (golden-section search; the loss is unimodal in the temperature).
 */
export function fitTemperature(heldOut: readonly { logits: Float64Array; label: number; weight: number }[]): number {
  const loss = (temperature: number) =>
    heldOut.reduce((sum, item) => sum - item.weight * Math.log(Math.max(1e-12, softmax(item.logits, temperature)[item.label]!)), 0);
  let low = 0.05;
  let high = 10;
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60; i++) {
    const left = high - ratio * (high - low);
    const right = low + ratio * (high - low);
    if (loss(left) < loss(right)) high = right;
    else low = left;
  }
  return (low + high) / 2;
}

/** Dot product of w[offset..offset+length) and x, four lanes at a time (length is a multiple of 4 or not, both work). */
function dot64(w: Float64Array, offset: number, x: Float64Array, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < length; j += 4) {
    s0 += w[offset + j]! * x[j]!;
    s1 += w[offset + j + 1]! * x[j + 1]!;
    s2 += w[offset + j + 2]! * x[j + 2]!;
    s3 += w[offset + j + 3]! * x[j + 3]!;
  }
  for (; j < length; j++) s0 += w[offset + j]! * x[j]!;
  return s0 + s1 + s2 + s3;
}

interface AdamState {
  readonly m: Float64Array;
  readonly v: Float64Array;
}

function createAdam(size: number): AdamState {
  return { m: new Float64Array(size), v: new Float64Array(size) };
}

function step(params: Float64Array, gradient: Float64Array, state: AdamState, rate: number, t: number): void {
  const beta1 = 0.9;
  const beta2 = 0.999;
  const correction1 = 1 - beta1 ** t;
  const correction2 = 1 - beta2 ** t;
  for (let i = 0; i < params.length; i++) {
    const g = gradient[i]!;
    const m = (state.m[i] = beta1 * state.m[i]! + (1 - beta1) * g);
    const v = (state.v[i] = beta2 * state.v[i]! + (1 - beta2) * g * g);
    params[i] = params[i]! - (rate * (m / correction1)) / (Math.sqrt(v / correction2) + 1e-8);
  }
}
