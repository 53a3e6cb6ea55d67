import type { Vocabulary } from "../knowledge/types.js";
import type { Lexicon } from "./lexicon.js";
import { createPhraseFinder } from "./phrase-finder.js";
import { stem, words } from "./text.js";

/** How far apart, in words, the words of one red-flag phrase may be. */
const RED_FLAG_WINDOW = 5;
/** How many words before a symptom a negation still reaches ("I don't have a fever"). */
const NEGATION_REACH = 6;
// Words that end a negation's reach: "no fever, but my calf hurts".
const CLAUSE_BREAK = /[.,;:!?\n]+|\s[-–—]\s|\b(?:but|however|although|though|except|yet|now)\b/i;
// "not sure if it's infected" voices doubt, not absence: it must not cancel the flag.
const DOUBT_AFTER_NEGATION = new Set(["sure", "know", "knw", "think", "certain", "idea", "understand"].map(stem));

/** Decides whether a message describes a symptom that needs urgent care. Runs before any matching. */
export interface RedFlagDetector {
  /** The name of the first red flag the message describes, or undefined. */
  detect(text: string): string | undefined;
}

export function createRedFlagDetector(vocabulary: Vocabulary, lexicon: Lexicon): RedFlagDetector {
  const finder = createPhraseFinder(
    vocabulary.red_flags.flatMap((flag) => flag.phrases.map((phrase) => ({ tokens: words(phrase).map(stem), label: flag.name }))),
    RED_FLAG_WINDOW,
  );
  const negationPhrases = vocabulary.negations.map((negation) => words(negation).map(stem));

  function negatedBefore(tokens: readonly string[], at: number): boolean {
    for (let start = Math.max(0, at - NEGATION_REACH); start < at; start++) {
      for (const negation of negationPhrases) {
        if (negation.every((token, offset) => tokens[start + offset] === token) && start + negation.length <= at) {
          const next = tokens[start + negation.length];
          if (next === undefined || !DOUBT_AFTER_NEGATION.has(next)) return true;
        }
      }
    }
    return false;
  }

  return {
    detect(text) {
      for (const clause of text.split(CLAUSE_BREAK)) {
        if (!clause) continue;
        const tokens = lexicon.stems(clause);
        for (const hit of finder.find(tokens)) {
          if (!negatedBefore(tokens, hit.from)) return hit.label;
        }
      }
      return undefined;
    },
  };
}
