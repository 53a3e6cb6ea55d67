import type { Evidence } from "../evidence.js";
import { charGrams } from "./char-grams.js";
import { mainFeatures, urgentFeatures } from "./features.js";
import { predict, scores, softmax, type SoftmaxModel } from "./softmax.js";

/**
 * The cascade's first step: a main model and an urgent detector that read the words alone (the
 * matcher's scores, the clinic's phrase lists and character n-grams), trained on the same
 * examples as the hybrid. Where both are sure (an entry, and no emergency), the message is
 * answered without the sentence encoder, which costs nearly all of a reply's time.
 */
export interface Shortcut {
  readonly main: SoftmaxModel;
  readonly urgent: SoftmaxModel;
  /**
   * Urgent probability (of the word-only detector) below which a message is taken as surely no
   * emergency: half the lowest it gave any urgent example on held-out folds.
   */
  readonly calmBelow: number;
}

/**
 * Calibrated probability of an entry at or above which the word-only model answers on its own.
 * On held-out folds, the messages it is this sure of are as often right as the hybrid is on the
 * same messages (EVALUATION.md); below it, the hybrid is better.
 */
export const SHORTCUT_CONFIDENCE = 0.98;

/** What the word-only models make of one message. */
export interface ShortcutVerdict {
  /** Calibrated probability of each class, in the trained model's `classes` order. */
  readonly probabilities: Float64Array;
  /** Probability that the message describes an emergency. */
  readonly urgent: number;
}

export function readWithoutEncoder(shortcut: Shortcut, entries: number, evidence: Evidence): ShortcutVerdict {
  const grams = charGrams(evidence.text);
  const probabilities = predict(shortcut.main, grams, mainFeatures(entries, undefined, evidence));
  const affirmedGrams = evidence.affirmed !== evidence.text ? charGrams(evidence.affirmed) : grams;
  const urgent = softmax(scores(shortcut.urgent, affirmedGrams, urgentFeatures(undefined, evidence)))[1]!;
  return { probabilities, urgent };
}

/**
 * The entry (its index) the word-only models answer with, or undefined when the message needs
 * the whole model: a word they may not understand, not sure of one entry, or not sure there is
 * no emergency.
 */
export function sureEntry(shortcut: Shortcut, entries: number, evidence: Evidence): { readonly entry: number; readonly probability: number } | undefined {
  // A word the knowledge base never uses, or one typed wrong, may be a symptom in words the
  // word-only models cannot read ("fevr", "gush", another language): the whole model reads it.
  if (evidence.noContent || evidence.redFlag !== undefined || !evidence.familiarWords) return undefined;
  const { probabilities, urgent } = readWithoutEncoder(shortcut, entries, evidence);
  if (urgent >= shortcut.calmBelow) return undefined;
  let best = 0;
  for (let k = 1; k < entries; k++) if (probabilities[k]! > probabilities[best]!) best = k;
  return probabilities[best]! >= SHORTCUT_CONFIDENCE ? { entry: best, probability: probabilities[best]! } : undefined;
}
