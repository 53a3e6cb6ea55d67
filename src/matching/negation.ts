import { stem } from "./english/index.js";
import { words } from "./text.js";

/** How many words before a phrase a negation still reaches ("I don't have a fever"). */
const NEGATION_REACH = 3;
// "not sure if it's infected" voices doubt, not absence: it must not cancel anything.
const DOUBT_AFTER_NEGATION = new Set(["sure", "know", "knw", "think", "certain", "idea", "understand"].map(stem));

/**
 * Tells whether the phrase from token `at` to token `to` is negated by one of the knowledge
 * base's negation words: before it, or between its words ("my legs aren't swollen").
 */
export type NegationCheck = (stems: readonly string[], at: number, to?: number) => boolean;

export function createNegationCheck(negations: readonly string[]): NegationCheck {
  const phrases = negations.map((negation) => words(negation).map(stem));
  return (stems, at, to = at) => {
    for (let start = Math.max(0, at - NEGATION_REACH); start < to; start++) {
      for (const negation of phrases) {
        if (start + negation.length <= to && negation.every((token, offset) => stems[start + offset] === token)) {
          const next = stems[start + negation.length];
          if (next === undefined || !DOUBT_AFTER_NEGATION.has(next)) return true;
        }
      }
    }
    return false;
  };
}
