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

export function createNegationCheck(negations: readonly string[]): NegationCheck {
  const phrases = negations.map((negation) => words(negation).map(stem));
  return (stems, at) => {
    const first = at[0] ?? 0;
    const own = new Set(at);
    const doubt = (end: number) => DOUBT_AFTER_NEGATION.has(stems[end] ?? "");
    for (let start = Math.max(0, first - NEGATION_REACH); start < (at.at(-1) ?? first); start++) {
      for (const negation of phrases) {
        const end = start + negation.length;
        if (!negation.every((token, offset) => stems[start + offset] === token && !own.has(start + offset))) continue;
        const before = end <= first;
        const inside = !before && at.some((position) => position >= end && position - end < NEGATION_INSIDE_REACH);
        if ((before || inside) && !doubt(end)) return start;
      }
    }
    return -1;
  };
}
