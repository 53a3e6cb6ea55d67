import type { Vocabulary } from "../knowledge/types.js";
import type { Lexicon } from "./lexicon.js";
import { createNegationCheck } from "./negation.js";
import { createNotCurrentCheck, type SentenceTokens } from "./not-current.js";
import { createPhraseFinder } from "./phrase-finder.js";
import { createReadingFinder } from "./readings.js";
import { otherSpellings, splitClauses, splitSentences, stem } from "./english/index.js";
import { words } from "./text.js";

/** How far apart, in words, the words of one red-flag phrase may be. */
const RED_FLAG_WINDOW = 5;

/** Decides whether a message describes a symptom that needs urgent care. Runs before any matching. */
export interface RedFlagDetector {
  /** The name of the first red flag the message describes, or undefined. */
  detect(text: string): string | undefined;
  /** The names of every red flag the message describes, the first found first (empty if none). */
  detectAll(text: string): readonly string[];
  /**
   * Like detect, and also the parts of the message that name a red flag only to deny it
   * ("no fever"), and the message without those parts: what it actually affirms.
   */
  inspect(text: string): RedFlagReading;
}

export interface RedFlagReading {
  /** Every red flag found, the first found first: a reply may depend on any of them (never_overruled). */
  readonly redFlags: readonly string[];
  readonly denied: boolean;
  /**
   * Every denial is a clause of its own ("no fever, feeling great"): nothing but link words is
   * left of a clause once its denials are taken out. Not so in "thx no fever is still there" or
   * "no bleeding stopped": there the rest of the clause may take the denial back.
   */
  readonly deniedAlone: boolean;
  readonly affirmed: string;
}

/** A sentence's tokens for the not-current check: its clauses in a row, where each ends, where its question starts. */
function tokensOfSentence(clauses: readonly { typed: readonly string[] }[], question: boolean): SentenceTokens {
  const clauseEnds = new Set<number>();
  let end = 0;
  for (const { typed } of clauses) clauseEnds.add((end += typed.length));
  const lastClause = end - (clauses.at(-1)?.typed.length ?? 0);
  return { tokens: clauses.flatMap((clause) => clause.typed), clauseEnds, questionFrom: question ? lastClause : end };
}

export function createRedFlagDetector(vocabulary: Vocabulary, lexicon: Lexicon): RedFlagDetector {
  const tokensOf = (phrase: string) => words(phrase).map(stem);
  const english = createPhraseFinder(
    vocabulary.red_flags.flatMap((flag) => flag.phrases.flatMap((phrase) => otherSpellings(tokensOf(phrase)).map((tokens) => ({ tokens, label: flag.name })))),
    RED_FLAG_WINDOW,
  );
  // Other languages word for word, in order, and never from a "repaired" word: the spelling
  // repair knows English, and would make "secreto" "secrecao", "sagrado" "sangrado".
  const otherLanguages = createPhraseFinder(
    vocabulary.red_flags.flatMap((flag) => flag.other_languages.map((phrase) => ({ tokens: tokensOf(phrase), label: flag.name }))),
    0,
  );
  const conjunctions = new Set(vocabulary.negation_conjunctions.flatMap(tokensOf));
  const negationOf = createNegationCheck(vocabulary.negations, {
    words: new Set(vocabulary.negation_links.flatMap(tokensOf)),
    conjunctions,
    nearOnly: new Set(vocabulary.near_negations.map((negation) => tokensOf(negation).join(" "))),
  });

  const readingOf = createReadingFinder(vocabulary.red_flag_readings);
  const notCurrent = createNotCurrentCheck(vocabulary.not_current, vocabulary.negations);

  /** The list's signs in one run of tokens, English ones also from the spellings a typo could mean. */
  const hitsIn = (typed: readonly string[], alternatives: readonly (readonly string[])[]) => [
    ...english.find(typed, alternatives).map((hit) => ({ ...hit, english: true })),
    ...otherLanguages.find(typed).map((hit) => ({ ...hit, english: false })),
  ];

  function inspect(text: string): RedFlagReading {
    // Each sentence, as spans between breaks other than commas, as their comma-separated
    // clauses, each spelt once.
    const split = splitSentences(text);
    const sentences = split.map(({ text: sentence }) =>
      splitClauses(sentence, { commas: false }).map((span) => splitClauses(span).map((clause) => ({ clause, ...lexicon.spellings(clause) }))),
    );
    // Read only for an English sign that no negation cancels.
    let tokensOfSentences: SentenceTokens[] | undefined;
    const sentenceTokens = () => (tokensOfSentences ??= sentences.map((spans, index) => tokensOfSentence(spans.flat(), split[index]!.question)));
    const kept: string[] = [];
    let denied = false;
    let deniedAlone = true;
    // Whether the message denied a sign before its first current one is what the reading reports;
    // the rest is read only for further signs.
    let deniedBeforeFirst: boolean | undefined;
    const found: string[] = [];
    for (const [sentence, spans] of sentences.entries()) {
      let offset = 0;
      // Where the signs found so far in this sentence stand, in its own positions.
      const signs = new Set<number>();
      for (const { clause, typed, alternatives } of spans.flat()) {
        const hits = hitsIn(typed, alternatives);
        const covered = new Set(hits.flatMap((hit) => hit.at));
        for (const at of covered) signs.add(at + offset);
        const removed = new Set<number>();
        for (const hit of hits) {
          // A negation never reaches past its clause: "no fever, my calf hurts".
          const negation = negationOf(typed, hit.at, covered);
          if (negation >= 0) for (const at of deniedSpan(typed, negation, hit.at)) removed.add(at);
          // Once a sign is found, only another sign is worth the not-current check (it reads the whole message).
          else if (!found.includes(hit.label) && (!hit.english || !notCurrent(sentenceTokens(), sentence, hit.at.map((at) => at + offset), signs, hit.label))) {
            deniedBeforeFirst ??= denied;
            found.push(hit.label);
          }
        }
        offset += typed.length;
        if (removed.size > 0) {
          denied = true;
          // Only the denial goes ("not bleeding"), the rest of its clause stays: "I'm not bleeding
          // but" says nothing either way, "she's not waking up properly ... her lips look blue"
          // does. A sign that is someone else's or over stays for the detector to read.
          const rest = words(clause).filter((_, at) => !removed.has(at));
          if (rest.some((word) => !conjunctions.has(stem(word)))) deniedAlone = false;
          kept.push(rest.join(" "));
        } else kept.push(clause.trim());
      }
    }
    if (deniedBeforeFirst !== undefined) return { redFlags: found, denied: deniedBeforeFirst, deniedAlone: deniedBeforeFirst && deniedAlone, affirmed: text };
    const listed = acrossCommas(sentences.flat()) ?? readingOf(text);
    if (listed !== undefined) return { redFlags: [listed], denied, deniedAlone: denied && deniedAlone, affirmed: text };
    return { redFlags: [], denied, deniedAlone: denied && deniedAlone, affirmed: denied ? kept.filter(Boolean).join(". ") : text };
  }

  /**
   * The words a denial takes away: from the negation to the sign's first word after it, and on
   * through the sign's next words while nothing or only a conjunction stands between them
   * ("nothing hot or red"). A sign found across other words ("chills ... shaking" for "shaking
   * chills") loses only its words next to the negation: "no chills im shaking" keeps "im
   * shaking" for the detector.
   */
  function deniedSpan(typed: readonly string[], negation: number, at: readonly number[]): number[] {
    const after = at.filter((position) => position >= negation).sort((a, b) => a - b);
    if (after.length === 0) return [negation];
    let last = after[0]!;
    for (const position of after.slice(1)) {
      const between = typed.slice(last + 1, position);
      if (!between.every((token) => conjunctions.has(token))) break;
      last = position;
    }
    return Array.from({ length: last - negation + 1 }, (_, offset) => negation + offset);
  }

  /**
   * A sign whose words a comma separates, as in a list ("the skin is hot, red and swollen"): each
   * span is searched again as a whole, and a hit counts only if it runs across a comma (the
   * others were read clause by clause) and nothing but the comma and conjunctions ("and", "or")
   * stands between its words, so "is hot yoga ok, red light therapy?" is no sign. A negation
   * reaches it across link words only, as in a clause.
   */
  function acrossCommas(spans: readonly (readonly { typed: readonly string[]; alternatives: readonly (readonly string[])[] }[])[]): string | undefined {
    for (const clauses of spans) {
      if (clauses.length < 2) continue;
      const typed = clauses.flatMap((clause) => clause.typed);
      const alternatives = clauses.flatMap((clause) => clause.alternatives);
      const clauseAt = clauses.flatMap((clause, index) => clause.typed.map(() => index));
      const hits = hitsIn(typed, alternatives);
      const covered = new Set(hits.flatMap((hit) => hit.at));
      const listed = (at: readonly number[]) => {
        const [from, to] = [Math.min(...at), Math.max(...at)];
        if (clauseAt[from] === clauseAt[to]) return false;
        for (let between = from + 1; between < to; between++) {
          if (!at.includes(between) && !conjunctions.has(typed[between]!)) return false;
        }
        return true;
      };
      const hit = hits.find((candidate) => listed(candidate.at) && negationOf(typed, candidate.at, covered) < 0);
      if (hit !== undefined) return hit.label;
    }
    return undefined;
  }

  return { inspect, detect: (text) => inspect(text).redFlags[0], detectAll: (text) => inspect(text).redFlags };
}
