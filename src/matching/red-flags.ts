import type { Vocabulary } from "../knowledge/types.js";
import type { Lexicon } from "./lexicon.js";
import { createNegationCheck } from "./negation.js";
import { createPhraseFinder } from "./phrase-finder.js";
import { NEGATION_BREAK, splitClauses, stem } from "./english/index.js";
import { words } from "./text.js";

/** How far apart, in words, the words of one red-flag phrase may be. */
const RED_FLAG_WINDOW = 5;

/** Decides whether a message describes a symptom that needs urgent care. Runs before any matching. */
export interface RedFlagDetector {
  /** The name of the first red flag the message describes, or undefined. */
  detect(text: string): string | undefined;
  /**
   * Like detect, and also the parts of the message that name a red flag only to deny it
   * ("no fever"), and the message without those parts: what it actually affirms.
   */
  inspect(text: string): RedFlagReading;
}

export interface RedFlagReading {
  readonly redFlag?: string;
  readonly denied: boolean;
  readonly affirmed: string;
}

export function createRedFlagDetector(vocabulary: Vocabulary, lexicon: Lexicon): RedFlagDetector {
  const finder = createPhraseFinder(
    vocabulary.red_flags.flatMap((flag) => flag.phrases.map((phrase) => ({ tokens: words(phrase).map(stem), label: flag.name }))),
    RED_FLAG_WINDOW,
  );
  const negated = createNegationCheck(vocabulary.negations);

  function inspect(text: string): RedFlagReading {
    const kept: string[] = [];
    let denied = false;
    // A negation reaches to the end of its clause: "no fever, but my calf hurts".
    for (const clause of splitClauses(text).flatMap((part) => part.split(NEGATION_BREAK))) {
      const { typed, alternatives } = lexicon.spellings(clause);
      const hits = finder.find(typed, alternatives);
      for (const hit of hits) {
        if (!negated(typed, hit.at)) return { redFlag: hit.label, denied, affirmed: text };
      }
      if (hits.length > 0) denied = true;
      else kept.push(clause.trim());
    }
    return { denied, affirmed: denied ? kept.filter(Boolean).join(". ") : text };
  }

  return { inspect, detect: (text) => inspect(text).redFlag };
}
