import { stem } from "./english/index.js";
import { words } from "./text.js";

/** How many words before a phrase a negation still reaches ("I don't have a fever"). */
const NEGATION_REACH = 6;
// "not sure if it's infected" voices doubt, not absence: it must not cancel anything.
const DOUBT_AFTER_NEGATION = new Set(["sure", "know", "knw", "think", "certain", "idea", "understand"].map(stem));

/** A phrase with one of these has a negation of its own and is never cancelled: "no fever cant breathe". */
const OWN_NEGATIONS = new Set(["cant", "cannot", "couldnt", "unable", "wont"].map(stem));
/** After these, "no" is a cry, not a denial: "oh no bleeding". */
const CRIES_BEFORE_NO = new Set(["oh", "ohh", "ah", "omg", "god"].map(stem));
const NO = stem("no");
/** Right after a phrase, this says it is here once more, whatever stands before: "not fever again". */
const ONCE_MORE = stem("again");

/** How close before a later word of a phrase a negation between its words must stand ("legs aren't swollen"). */
const NEGATION_INSIDE_REACH = 2;
const NONE: ReadonlySet<number> = new Set();

/**
 * Finds the negation word of the knowledge base that cancels a phrase found at the token
 * positions `at`: before its first word, or between its words right before a later one
 * ("my legs aren't swollen"), but never one of its own words ("can not breathe"). Gives the
 * negation's first position, or -1 when the phrase is not negated. `covered` are the positions
 * of the other phrases found in the same clause (the other symptoms of "no chills or fever").
 */
export type NegationCheck = (stems: readonly string[], at: readonly number[], covered?: ReadonlySet<number>) => number;

/** What may stand between a negation and the phrase it cancels (see createNegationCheck). */
export interface NegationLinks {
  /** Words that keep a denial going ("I don't have any fever", "no tengo fiebre"). */
  readonly words: ReadonlySet<string>;
  /** Words that join denied phrases ("no chills or fever"): they link only next to another phrase. */
  readonly conjunctions: ReadonlySet<string>;
  /**
   * Negations that count only at the start of a clause and reach only the phrase right after
   * them, or phrases joined to it by conjunctions, never across link words: "nothing hot or
   * red", but "I ate nothing feeling dizzy" and "I've eaten nothing fainted twice" keep their
   * symptom. Stemmed, words joined by spaces.
   */
  readonly nearOnly?: ReadonlySet<string>;
}

const NO_WORDS: ReadonlySet<string> = new Set();

/**
 * With `links`, a negation before a phrase reaches it only across link words and other phrases
 * joined by a conjunction; any other word ends its reach, so "no energy and fever", "no im
 * bleeding", "no fever i have chest pain" and "no puedo dormir por la fiebre" keep their symptom,
 * and a phrase with a negation of its own ("no puedo respirar", "pills dont help") is never
 * cancelled ("no no puedo respirar"). Without, a negation reaches across anything within
 * NEGATION_REACH but a word of doubt (the looser reading the topic list uses).
 */
export function createNegationCheck(negations: readonly string[], links?: NegationLinks): NegationCheck {
  const phrases = [...negations.map((negation) => words(negation).map(stem)), ...[...(links?.nearOnly ?? [])].map((negation) => negation.split(" "))];
  const single = new Set(phrases.filter((phrase) => phrase.length === 1).map((phrase) => phrase[0]!));
  return (stems, at, covered = NONE) => {
    const first = at[0] ?? 0;
    const own = new Set(at);
    if (links && at.some((position) => single.has(stems[position]!) || OWN_NEGATIONS.has(stems[position]!))) return -1;
    if (links && stems[(at.at(-1) ?? first) + 1] === ONCE_MORE) return -1;
    const doubt = (end: number) => DOUBT_AFTER_NEGATION.has(stems[end] ?? "");
    const phraseAt = (position: number) => position === first || covered.has(position);
    // A word between the negation and the phrase: a link word, another phrase followed by a
    // phrase or a conjunction, or a conjunction between a phrase and a phrase or link word.
    const joined = (position: number, { words: linkWords, conjunctions }: NegationLinks) => {
      const token = stems[position]!;
      const next = stems[position + 1] ?? "";
      if (linkWords.has(token)) return true;
      // Another phrase links only through a conjunction, or into more of its own words: "no fever
      // calf swollen" keeps "calf swollen".
      if (covered.has(position)) return (covered.has(position + 1) && position + 1 !== first) || conjunctions.has(next);
      return conjunctions.has(token) && covered.has(position - 1) && (phraseAt(position + 1) || linkWords.has(next));
    };
    const linked = (end: number, near: boolean) => {
      if (!links) return !doubt(end);
      const reach = near ? { ...links, words: NO_WORDS } : links;
      for (let between = end; between < first; between++) if (!joined(between, reach)) return false;
      return true;
    };
    for (let start = Math.max(0, first - NEGATION_REACH); start < (at.at(-1) ?? first); start++) {
      for (const negation of phrases) {
        const end = start + negation.length;
        if (!negation.every((token, offset) => stems[start + offset] === token && !own.has(start + offset))) continue;
        if (links && negation.length === 1 && negation[0] === NO && CRIES_BEFORE_NO.has(stems[start - 1] ?? "")) continue;
        const near = links?.nearOnly?.has(negation.join(" ")) ?? false;
        // A near negation opens its clause ("nothing hot or red"): "I've eaten nothing fainted twice" keeps its symptom.
        if (near && start !== 0) continue;
        const before = end <= first && linked(end, near);
        const inside = !near && end > first && at.some((position) => position >= end && position - end < NEGATION_INSIDE_REACH) && !doubt(end);
        if (before || inside) return start;
      }
    }
    return -1;
  };
}
