/**
 * The cue model: a small logistic model for messages with a red flag of the clinic's list. It
 * reads the urgent detector's log-odds beside the not-current rule's partial cues of the sign
 * (a word of its end after it, a past time, ...), which the strict rule alone uses only all
 * together, and learns from the triage examples how much each says (TrainedModel.cues).
 */
import { NOT_CURRENT_CUES } from "../not-current.js";

const CUE_TRAINING = { iterations: 2000, learningRate: 0.5, l2: 1e-3 } as const;

/** A logistic model over the detector's log-odds and the not-current cues of a listed sign. */
export interface CueModel {
  readonly w: readonly number[];
  readonly b: number;
}

/** What the cue model reads: the detector's log-odds (clipped), then each cue (none: all 0). */
export function cueInput(urgent: number, cues: readonly number[] | undefined): number[] {
  const p = Math.min(1 - 1e-6, Math.max(1e-6, urgent));
  const x = [Math.log(p / (1 - p))];
  for (let c = 0; c < NOT_CURRENT_CUES; c++) x.push(cues?.[c] ?? 0);
  return x;
}

export function cueLogistic(model: CueModel, x: readonly number[]): number {
  let z = model.b;
  x.forEach((value, j) => (z += model.w[j]! * value));
  return 1 / (1 + Math.exp(-z));
}

/** The urgent probability the cue model gives a message with a listed sign. */
export function cueProbability(model: CueModel, urgent: number, cues: readonly number[] | undefined): number {
  return cueLogistic(model, cueInput(urgent, cues));
}

/** Full-batch gradient descent from zero, classes balanced: deterministic. */
export function trainCueModel(examples: readonly { x: readonly number[]; label: number }[]): CueModel {
  const size = examples[0]?.x.length ?? 1 + NOT_CURRENT_CUES;
  const positives = examples.filter((example) => example.label === 1).length;
  const negatives = examples.length - positives;
  const weightOf = (label: number) => examples.length / (2 * Math.max(1, label === 1 ? positives : negatives));
  const w = new Array<number>(size).fill(0);
  let b = 0;
  for (let iteration = 0; iteration < CUE_TRAINING.iterations; iteration++) {
    const gw = new Array<number>(size).fill(0);
    let gb = 0;
    for (const { x, label } of examples) {
      const error = (cueLogistic({ w, b }, x) - label) * weightOf(label);
      x.forEach((value, j) => (gw[j]! += error * value));
      gb += error;
    }
    for (let j = 0; j < size; j++) w[j]! -= (CUE_TRAINING.learningRate * (gw[j]! / examples.length + CUE_TRAINING.l2 * w[j]!));
    b -= (CUE_TRAINING.learningRate * gb) / examples.length;
  }
  return { w, b };
}
