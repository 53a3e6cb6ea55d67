import type { Evidence } from "../evidence.js";
import { CHAR_GRAM_DIMENSION } from "./char-grams.js";
import { similarities, similaritiesOnThreads, type Similarity, type VectorBank } from "./bank.js";

/**
 * The classes the main model chooses between: every entry of the knowledge base, then a
 * question the article does not answer, then small talk.
 */
export const OUT_OF_SCOPE = "out-of-scope";
export const SMALLTALK = "smalltalk";

/** Features per class of the main model (see mainFeatures). */
export const MAIN_FEATURES = 8;
/** Features per class of the urgent detector (see urgentFeatures). */
export const URGENT_FEATURES = 4;

/** A message's sentence vectors: the whole message first, then each of its clauses. */
export interface MessageVectors {
  readonly whole: Float32Array;
  readonly clauses: readonly Float32Array[];
}

/** How close a message is to each class's examples, over the whole message and its best clause. */
export interface Closeness {
  readonly whole: Similarity;
  /** Per class, the best similarity of any clause (or of the whole message). */
  readonly bestClause: Float32Array;
}

export function closeness(bank: VectorBank, vectors: MessageVectors, exclude = -1): Closeness {
  return closenessOfMany(bank, [vectors], [exclude])[0]!;
}

/** Closeness of many messages at once (one pass over the bank per block of vectors). */
function closenessOfMany(bank: VectorBank, messages: readonly MessageVectors[], exclude: readonly number[] = []): Closeness[] {
  const { queries, excluded } = queriesOf(messages, exclude);
  return assemble(bank, messages, similarities(bank, queries, excluded));
}

/** `closenessOfMany` on every core (for training), with the same result. */
export async function closenessOnThreads(bank: VectorBank, messages: readonly MessageVectors[], exclude: readonly number[] = []): Promise<Closeness[]> {
  const { queries, excluded } = queriesOf(messages, exclude);
  return assemble(bank, messages, await similaritiesOnThreads(bank, queries, excluded));
}

/** Each message's vectors, whole message first, each with the bank row it leaves out. */
function queriesOf(messages: readonly MessageVectors[], exclude: readonly number[]) {
  const queries: Float32Array[] = [];
  const excluded: number[] = [];
  messages.forEach((message, index) => {
    for (const vector of [message.whole, ...message.clauses]) {
      queries.push(vector);
      excluded.push(exclude[index] ?? -1);
    }
  });
  return { queries, excluded };
}

function assemble(bank: VectorBank, messages: readonly MessageVectors[], found: readonly Similarity[]): Closeness[] {
  let at = 0;
  return messages.map((message) => {
    const whole = found[at++]!;
    const bestClause = Float32Array.from(whole.max);
    for (let c = 0; c < message.clauses.length; c++) {
      const { max } = found[at++]!;
      for (let k = 0; k < bank.classes; k++) bestClause[k] = Math.max(bestClause[k]!, max[k]!);
    }
    return { whole, bestClause };
  });
}

/**
 * Per class: nearest-example similarity (best, mean of best three, best clause), the lexical
 * score (whole message, best clause), and the clinic's phrase lists as evidence for their own
 * class: a not-covered topic for out-of-scope, a message without content words for small talk.
 */
export function mainFeatures(entries: number, near: Closeness, evidence: Evidence): Float32Array {
  const classes = entries + 2;
  const features = new Float32Array(classes * MAIN_FEATURES);
  for (let k = 0; k < classes; k++) {
    const at = k * MAIN_FEATURES;
    features[at] = near.whole.max[k]!;
    features[at + 1] = near.whole.top3[k]!;
    features[at + 2] = near.bestClause[k]!;
    if (k < entries) {
      features[at + 3] = evidence.lexical[k]!;
      features[at + 4] = evidence.clauseLexical[k]!;
    }
  }
  const outOfScope = entries * MAIN_FEATURES;
  features[outOfScope + 5] = evidence.notCovered !== undefined ? 1 : 0;
  features[outOfScope + 6] = evidence.notCoveredInQuestion ? 1 : 0;
  features[(entries + 1) * MAIN_FEATURES + 7] = evidence.noContent ? 1 : 0;
  return features;
}

/**
 * How close a message is to the ordinary questions of the main bank: its entries' phrasings and
 * the out-of-scope questions, not small talk (thanks that say "no fever, no pain" are close to
 * emergencies in words, and are no evidence against one).
 */
export function ordinaryCloseness(near: Closeness): number {
  let best = -Infinity;
  for (let k = 0; k < near.whole.max.length - 1; k++) best = Math.max(best, near.whole.max[k]!);
  return best;
}

/**
 * Two classes, not urgent (0) and urgent (1): similarity to each side's examples (the "not
 * urgent" side also counts the ordinary questions of the main bank), and the clinic's red-flag
 * list: a symptom named (for urgent). A sign named only to be denied is no feature: the detector
 * reads the message without it, and a denial beside an emergency ("no fever, but my face feels
 * droopy") must not make the emergency calmer.
 */
export function urgentFeatures(near: Closeness, ordinary: number, evidence: Pick<Evidence, "redFlags">): Float32Array {
  const features = new Float32Array(2 * URGENT_FEATURES);
  features[0] = Math.max(near.whole.max[0]!, ordinary);
  features[1] = near.whole.top3[0]!;
  features[2] = near.bestClause[0]!;
  features[4] = near.whole.max[1]!;
  features[5] = near.whole.top3[1]!;
  features[6] = near.bestClause[1]!;
  features[7] = evidence.redFlags.length > 0 ? 1 : 0;
  return features;
}

/** Which evidence the model may read: both (the hybrid), or one alone for ablation studies. */
export interface Evidences {
  readonly lexical: boolean;
  readonly encoder: boolean;
}

/** Zeroes the features of the evidence an ablated model may not read. */
export function mask(features: Float32Array, evidences: Evidences): void {
  for (let at = 0; at < features.length; at += MAIN_FEATURES) {
    if (!evidences.encoder) features.fill(0, at, at + 3);
    if (!evidences.lexical) features.fill(0, at + 3, at + 8);
  }
}

/**
 * What the main model reads for the message as a whole, besides the per-class features: the
 * sentence vector, then the character n-grams (lexical evidence, so an encoder-only model
 * does without them, and a lexical-only model without the sentence vector).
 */
export function mainInput(whole: Float32Array, grams: Float32Array, evidences: Evidences): Float32Array {
  const input = new Float32Array(whole.length + CHAR_GRAM_DIMENSION);
  if (evidences.encoder) input.set(whole);
  if (evidences.lexical) input.set(grams, whole.length);
  return input;
}
