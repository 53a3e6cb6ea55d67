import type { Vocabulary } from "../knowledge/types.js";
import type { Lexicon } from "./lexicon.js";
import { createNegationCheck } from "./negation.js";
import { createPhraseFinder } from "./phrase-finder.js";
import { splitClauses, stem } from "./english/index.js";
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
  /** Where the affirmed red flags stand: what every clause naming one also says (see vocabulary.yaml). */
  readonly context: RedFlagContext;
}

/** Each is true when every clause that names an affirmed red flag has words of that kind. */
export interface RedFlagContext {
  readonly past: boolean;
  readonly someoneElse: boolean;
  readonly hypothetical: boolean;
}

const NO_CONTEXT: RedFlagContext = { past: false, someoneElse: false, hypothetical: false };

export function createRedFlagDetector(vocabulary: Vocabulary, lexicon: Lexicon): RedFlagDetector {
  const tokensOf = (phrase: string) => words(phrase).map(stem);
  const english = createPhraseFinder(
    vocabulary.red_flags.flatMap((flag) => flag.phrases.map((phrase) => ({ tokens: tokensOf(phrase), label: flag.name }))),
    RED_FLAG_WINDOW,
  );
  // Other languages word for word, in order, and never from a "repaired" word: the spelling
  // repair knows English, and would make "secreto" "secrecao", "sagrado" "sangrado".
  const otherLanguages = createPhraseFinder(
    vocabulary.red_flags.flatMap((flag) => flag.other_languages.map((phrase) => ({ tokens: tokensOf(phrase), label: flag.name }))),
    0,
  );
  const negationOf = createNegationCheck(vocabulary.negations, {
    words: new Set(vocabulary.negation_links.flatMap(tokensOf)),
    conjunctions: new Set(vocabulary.negation_conjunctions.flatMap(tokensOf)),
  });

  const contextWords = vocabulary.red_flag_context;
  const contextFinder = createPhraseFinder(
    [
      ...contextWords.past.map((phrase) => ({ tokens: tokensOf(phrase), label: "past" as const })),
      ...contextWords.someone_else.map((phrase) => ({ tokens: tokensOf(phrase), label: "someoneElse" as const })),
      ...contextWords.hypothetical.map((phrase) => ({ tokens: tokensOf(phrase), label: "hypothetical" as const })),
    ],
    0,
  );

  type Context = { -readonly [kind in keyof RedFlagContext]: boolean };
  /** Keeps a kind of context only if the words of a span that names a red flag say it too. */
  function narrow(context: Context, typed: readonly string[]): void {
    const found = new Set(contextFinder.find(typed).map((hit) => hit.label));
    context.past &&= found.has("past");
    context.someoneElse &&= found.has("someoneElse");
    context.hypothetical &&= found.has("hypothetical");
  }

  function inspect(text: string): RedFlagReading {
    const kept: string[] = [];
    let denied = false;
    let redFlag: string | undefined;
    const context: Context = { past: true, someoneElse: true, hypothetical: true };
    // A negation never reaches past its clause: "no fever, my calf hurts".
    for (const clause of splitClauses(text)) {
      const { typed, alternatives } = lexicon.spellings(clause);
      const hits = [...english.find(typed, alternatives), ...otherLanguages.find(typed)];
      const covered = new Set(hits.flatMap((hit) => hit.at));
      const removed = new Set<number>();
      let affirmedHere: string | undefined;
      for (const hit of hits) {
        const negation = negationOf(typed, hit.at, covered);
        if (negation < 0) affirmedHere ??= hit.label;
        else for (let at = negation; at <= hit.to; at++) removed.add(at);
      }
      if (affirmedHere !== undefined) {
        redFlag ??= affirmedHere;
        narrow(context, typed);
      } else if (hits.length > 0) {
        denied = true;
        // Only the denial goes ("not bleeding"), the rest of its clause stays: "I'm not bleeding
        // but" says nothing either way, "she's not waking up properly ... her lips look blue" does.
        kept.push(words(clause).filter((_, at) => !removed.has(at)).join(" "));
      } else kept.push(clause.trim());
    }
    const spanning = acrossCommas(text, context);
    redFlag ??= spanning;
    if (redFlag !== undefined) return { redFlag, denied, affirmed: text, context };
    return { denied, affirmed: denied ? kept.filter(Boolean).join(". ") : text, context: NO_CONTEXT };
  }

  /**
   * A sign whose words a comma separates ("the skin is hot, red and swollen"): looked for in each
   * span between other breaks, counting only hits that run across a comma (the others were read
   * clause by clause). A negation reaches it across link words only, as in a clause. Gives the
   * first such sign, and narrows `context` to what every span naming one says.
   */
  function acrossCommas(text: string, context: Context): string | undefined {
    let first: string | undefined;
    for (const span of splitClauses(text, { commas: false })) {
      const parts = splitClauses(span);
      if (parts.length < 2) continue;
      const typed: string[] = [];
      const alternatives: string[][] = [];
      const partOf: number[] = [];
      parts.forEach((part, index) => {
        const spelt = lexicon.spellings(part);
        typed.push(...spelt.typed);
        alternatives.push(...spelt.alternatives);
        partOf.push(...spelt.typed.map(() => index));
      });
      const hits = [...english.find(typed, alternatives), ...otherLanguages.find(typed)];
      const covered = new Set(hits.flatMap((hit) => hit.at));
      const affirmed = hits.find((hit) => partOf[hit.from] !== partOf[hit.to] && negationOf(typed, hit.at, covered) < 0);
      if (affirmed === undefined) continue;
      // Only the clauses the sign runs across say where it stands.
      narrow(context, typed.filter((_, at) => partOf[at]! >= partOf[affirmed.from]! && partOf[at]! <= partOf[affirmed.to]!));
      first ??= affirmed.label;
    }
    return first;
  }

  return { inspect, detect: (text) => inspect(text).redFlag };
}
