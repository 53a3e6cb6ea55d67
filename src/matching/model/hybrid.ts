import { charGrams, withCharGrams } from "./char-grams.js";
import type { Evidence } from "../evidence.js";
import type { SentenceEncoder } from "./encoder.js";
import { closeness, mainFeatures, mainInput, mask, ordinaryCloseness, urgentFeatures } from "./features.js";
import { predict, softmax, scores } from "./softmax.js";
import type { TrainedModel } from "./train.js";

/** The urgent detector's reading of one part of a message (see ModelVerdict.told). */
export interface ToldReading {
  readonly urgent: number;
  readonly margin: number;
}

/** What the trained model makes of one message. */
export interface ModelVerdict {
  /** Calibrated probability of each class, in `model.classes` order. */
  readonly probabilities: Float64Array;
  /** Probability that the message describes an emergency. */
  readonly urgent: number;
  /**
   * The detector's reading of what the message tells without what it asks (Evidence.told), where
   * it does both: the probability, and how much nearer that part is to the nearest urgent example
   * than to the nearest calm one or ordinary question (cosine similarity; negative if farther).
   */
  readonly told?: ToldReading;
  /** The out-of-scope topic or small-talk kind of the nearest example of that class. */
  readonly note: (classIndex: number) => string | undefined;
}

export interface HybridScorer {
  readonly model: TrainedModel;
  score(evidence: Evidence): Promise<ModelVerdict>;
}

/** Scores messages with the sentence encoder and the trained model, on top of the word-level evidence. */
export function createHybridScorer(model: TrainedModel, encoder: SentenceEncoder): HybridScorer {
  const entries = model.classes.length - 2;
  // A sign of the list is the whole message's (the list read its question too); a denial is not:
  // the told part is read without the signs it denies.
  const readTold = (text: string, whole: Float32Array, evidence: Evidence): ToldReading => {
    const vectors = { whole, clauses: [] };
    const near = closeness(model.urgentBank, vectors);
    const ordinary = ordinaryCloseness(closeness(model.bank, vectors));
    const urgent = softmax(scores(model.urgent, withCharGrams(whole, charGrams(text)), urgentFeatures(near, ordinary, evidence)))[1]!;
    return { urgent, margin: near.whole.max[1]! - Math.max(near.whole.max[0]!, ordinary) };
  };
  return {
    model,
    async score(evidence) {
      const denial = evidence.affirmed !== evidence.text;
      const texts = [evidence.text, ...evidence.clauses, ...(denial ? [evidence.affirmed] : []), ...(evidence.told !== undefined ? [evidence.told] : [])];
      const embedded = await encoder.embed(texts);
      const whole = embedded[0]!;
      const vectors = { whole, clauses: embedded.slice(1, 1 + evidence.clauses.length) };
      // The urgent detector reads what the message affirms, not the symptoms it denies.
      const affirmed = denial ? { whole: embedded[1 + evidence.clauses.length]!, clauses: [] } : vectors;
      const near = closeness(model.bank, vectors);
      const features = mainFeatures(entries, near, evidence);
      mask(features, model.evidences);
      const grams = charGrams(evidence.text);
      const probabilities = predict(model.main, mainInput(whole, grams, model.evidences), features);
      const ordinary = ordinaryCloseness(denial ? closeness(model.bank, affirmed) : near);
      const affirmedGrams = denial ? charGrams(evidence.affirmed) : grams;
      const urgentScores = scores(model.urgent, withCharGrams(affirmed.whole, affirmedGrams), urgentFeatures(closeness(model.urgentBank, affirmed), ordinary, evidence));
      const urgent = softmax(urgentScores)[1]!;
      const told = evidence.told !== undefined ? readTold(evidence.told, embedded.at(-1)!, evidence) : undefined;
      return {
        probabilities,
        urgent,
        ...(told !== undefined ? { told } : {}),
        note: (classIndex) => {
          const row = near.whole.nearest[classIndex] ?? -1;
          return row >= 0 ? model.bankNotes[row] || undefined : undefined;
        },
      };
    },
  };
}
