import type { Vocabulary } from "../knowledge/types.js";
import type { Lexicon } from "./lexicon.js";
import { createNegationCheck } from "./negation.js";
import { createPhraseFinder } from "./phrase-finder.js";
import { stem, words } from "./text.js";

/** How far apart, in words, the words of one red-flag phrase may be. */
const RED_FLAG_WINDOW = 5;
// Words that end a negation's reach: "no fever, but my calf hurts".
const CLAUSE_BREAK = /[.,;:!?\n]+|\s[-–—]\s|\b(?:but|however|although|though|except|yet|now)\b/i;

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
  const negated = createNegationCheck(vocabulary.negations);

  return {
    detect(text) {
      for (const clause of text.split(CLAUSE_BREAK)) {
        if (!clause) continue;
        const tokens = lexicon.stems(clause);
        for (const hit of finder.find(tokens)) {
          if (!negated(tokens, hit.from)) return hit.label;
        }
      }
      return undefined;
    },
  };
}
