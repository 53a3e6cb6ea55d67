import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

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

/**
 * Trains one model. Self-contained (it uses nothing but its arguments and the helpers defined
 * inside it), so that `trainMany` can run it as it is in worker threads.
 */
export function train(examples: readonly Example[], options: TrainOptions): SoftmaxModel {
  const { classes, sharedSize, perClassSize, epochs, learningRate, l2, l2PerClass, useShared } = options;
  /** The non-zero entries of a vector: their positions and values. */
  const sparse = (vector: Float32Array) => {
    const at: number[] = [];
    vector.forEach((value, index) => {
      if (value !== 0) at.push(index);
    });
    return { at: Int32Array.from(at), values: Float64Array.from(at, (index) => vector[index]!) };
  };
  const createAdam = (size: number) => ({ m: new Float64Array(size), v: new Float64Array(size) });
  const step = (params: Float64Array, gradient: Float64Array, state: { m: Float64Array; v: Float64Array }, rate: number, t: number) => {
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
  };
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
  // Inputs as their non-zero entries only: character n-grams fill a few of their slots, and an
  // ablated part is all zeros, so this skips most of the arithmetic.
  const shared = examples.map((example) => sparse(example.shared));
  const logits = new Float64Array(classes);
  const { W, a, b } = params;

  for (let epoch = 1; epoch <= epochs; epoch++) {
    gW.fill(0);
    ga.fill(0);
    gb.fill(0);
    examples.forEach((example, index) => {
      const { at: nonZero, values: x } = shared[index]!;
      const f = example.perClass;
      let max = -Infinity;
      for (let k = 0; k < classes; k++) {
        let sum = b[k]!;
        if (useShared) {
          const row = k * sharedSize;
          for (let n = 0; n < nonZero.length; n++) sum += W[row + nonZero[n]!]! * x[n]!;
        }
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
          for (let n = 0; n < nonZero.length; n++) gW[row + nonZero[n]!] = gW[row + nonZero[n]!]! + g * x[n]!;
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

/**
 * Trains several models at once, one job per worker thread at a time on every core: the folds
 * of a cross-validation and the final model are independent. Same results as `train` in turn.
 */
export async function trainMany(
  jobs: readonly { examples: readonly Example[]; options: TrainOptions }[],
  onDone: (done: number, total: number) => void = () => {},
  threads = Math.min(availableParallelism(), 4, jobs.length),
): Promise<SoftmaxModel[]> {
  let done = 0;
  if (threads < 2) {
    return jobs.map((job) => {
      const model = train(job.examples, job.options);
      onDone(++done, jobs.length);
      return model;
    });
  }
  // __name: what esbuild's keepNames (tsx, vitest) wraps nested functions in; plain node has none.
  const source = `const { parentPort } = require("node:worker_threads"); const __name = (target) => target;
    const train = ${train.toString()};
    parentPort.on("message", ({ examples, options }) => parentPort.postMessage(train(examples, options)));`;
  const results: SoftmaxModel[] = new Array(jobs.length);
  // The costliest jobs first, so that no thread is left with a long one at the end.
  const cost = ({ examples, options }: (typeof jobs)[number]) => examples.length * options.classes * options.epochs;
  const queue = jobs.map((_, index) => index).sort((a, b) => cost(jobs[b]!) - cost(jobs[a]!));
  let next = 0;
  const workers = Array.from({ length: threads }, () => new Worker(source, { eval: true }));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const give = () => {
              if (next >= queue.length) return resolve();
              const index = queue[next++]!;
              worker.once("message", (model: SoftmaxModel) => {
                results[index] = model;
                onDone(++done, jobs.length);
                give();
              });
              worker.postMessage(jobs[index]);
            };
            worker.once("error", reject);
            worker.once("exit", (code) => reject(new Error(`a training worker stopped (exit code ${code}) before answering`)));
            give();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}
