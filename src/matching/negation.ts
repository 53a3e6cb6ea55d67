import { stem } from "./english/index.js";
import { words } from "./text.js";

/** How many words before a phrase a negation still reaches ("I don't have a fever"). */
const NEGATION_REACH = 6;
// "not sure if it's infected" voices doubt, not absence: it must not cancel anything.
const DOUBT_AFTER_NEGATION = new Set(["sure", "know", "knw", "think", "certain", "idea", "understand"].map(stem));

/** How close before a later word of a phrase a negation between its words must stand ("legs aren't swollen"). */
const NEGATION_INSIDE_REACH = 2;

/**
 * Finds the negation word of the knowledge base that cancels a phrase found at the token
 * positions `at`: before its first word, or between its words right before a later one
 * ("my legs aren't swollen"), but never one of its own words ("can not breathe"). Gives the
 * negation's first position, or -1 when the phrase is not negated.
 */
export type NegationCheck = (stems: readonly string[], at: readonly number[]) => number;

/**
 * With `links`, a negation before a phrase reaches it only across those words ("I don't have
 * any fever", "no chills or fever"): any other word between them ends its reach, so "no energy
 * and fever", "I don't feel good, I have a fever" and "no puedo dormir por la fiebre" keep
 * their symptom. Without, it reaches across anything within NEGATION_REACH but a word of doubt.
 */
export function createNegationCheck(negations: readonly string[], links?: ReadonlySet<string>): NegationCheck {
  const phrases = negations.map((negation) => words(negation).map(stem));
  return (stems, at) => {
    const first = at[0] ?? 0;
    const own = new Set(at);
    const doubt = (end: number) => DOUBT_AFTER_NEGATION.has(stems[end] ?? "");
    const linked = (end: number) => {
      if (!links) return !doubt(end);
      for (let between = end; between < first; between++) if (!links.has(stems[between]!)) return false;
      return true;
    };
    for (let start = Math.max(0, first - NEGATION_REACH); start < (at.at(-1) ?? first); start++) {
      for (const negation of phrases) {
        const end = start + negation.length;
        if (!negation.every((token, offset) => stems[start + offset] === token && !own.has(start + offset))) continue;
        const before = end <= first && linked(end);
        const inside = end > first && at.some((position) => position >= end && position - end < NEGATION_INSIDE_REACH) && !doubt(end);
        if (before || inside) return start;
      }
    }
    return -1;
  };
}
