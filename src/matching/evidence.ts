import type { KnowledgeBase, SmalltalkKind } from "../knowledge/types.js";
import { readClauses, splitClauses, toldPart } from "./english/index.js";
import { createLexicon } from "./lexicon.js";
import { createMatcher, type Matcher } from "./matcher.js";
import { createRedFlagDetector } from "./red-flags.js";
import { createSmalltalkDetector } from "./smalltalk.js";

/** Clauses scored on their own, counted from the end: patients put the question last. */
const MAX_CLAUSES = 6;
/** Messages at least this long are stories: their clauses are also scored on their own. */
const STORY_LENGTH = 80;
/** Shorter clauses ("hi", "ok so") say too little to be scored on their own. */
const MIN_CLAUSE_WORDS = 3;

/** The clauses of a story scored on their own (none for a short message or a single clause). */
export function storyClauses(text: string): string[] {
  if (text.length < STORY_LENGTH) return [];
  const parts = splitClauses(text).filter((part) => part.split(/\s+/).length >= MIN_CLAUSE_WORDS);
  return parts.length > 1 ? parts.slice(-MAX_CLAUSES) : [];
}

/**
 * What the word-level detectors make of one message, read once: its clauses, the lexical
 * score of every entry (for the whole message and its best clause), the clinic's phrase
 * lists (red flags, topics the article does not cover, small talk). Everything the trained
 * model reads besides the sentence vectors.
 */
export interface Evidence {
  readonly text: string;
  /** The clauses of a story (see storyClauses), else empty. */
  readonly clauses: readonly string[];
  /** Lexical score (0..1) of each entry, in knowledge-base order, for the whole message. */
  readonly lexical: Float32Array;
  /** Best lexical score of each entry over the clauses (the whole message's when it has one clause). */
  readonly clauseLexical: Float32Array;
  /**
   * The red flags of the clinic's list the message names, not negated, as typed or as a
   * misspelling could mean; the first found first (empty if none).
   */
  readonly redFlags: readonly string[];
  /** The message names a red flag only to deny it ("no fever, just asking..."). */
  readonly redFlagDenied: boolean;
  /** Every denial is a clause of its own (see RedFlagReading.deniedAlone). */
  readonly redFlagDeniedAlone: boolean;
  /** The message without its parts that deny a red flag: what the urgent detector reads. */
  readonly affirmed: string;
  /**
   * What it affirms without what it asks or says only to be polite ("my lips are going white" of
   * "thanks! my lips are going white, when will I see my final result?"), where it does both: the
   * urgent detector reads this too, so that an ordinary question or a thank-you cannot drown an
   * emergency told beside it.
   */
  readonly told?: string;
  /** Whether a clause of the message asks (see readClauses). */
  readonly asks: boolean;
  /** A topic the article does not cover, named by the clinic's phrase list. */
  readonly notCovered?: string;
  /** Whether that topic is named in the message's last clause (usually the question). */
  readonly notCoveredInQuestion: boolean;
  /** The message is only small talk from the clinic's list ("hi", "thanks a lot"). */
  readonly smalltalk?: SmalltalkKind;
  /** Without the signs it denies, the message is only small talk from the list ("no fever, thanks!"). */
  readonly smalltalkBesideDenial?: SmalltalkKind;
  /** No word of the message carries meaning for the knowledge base (a number, "is it?"). */
  readonly noContent: boolean;
}

export interface EvidenceReader {
  read(text: string): Evidence;
  /** The clinic's red-flag list alone (a linear scan, for the whole of a long message): every sign found, the first first. */
  redFlags(text: string): readonly string[];
  readonly matcher: Matcher;
}

export function createEvidenceReader(kb: KnowledgeBase): EvidenceReader {
  const lexicon = createLexicon(kb);
  const matcher = createMatcher(kb, lexicon);
  const redFlags = createRedFlagDetector(kb.vocabulary, lexicon);
  const smalltalk = createSmalltalkDetector(kb.vocabulary);
  const entryIndex = new Map(kb.entries.map((entry, index) => [entry.id, index]));
  const entries = kb.entries.length;

  function lexicalScores(text: string): { scores: Float32Array; empty: boolean; notCovered?: string } {
    const result = matcher.match(text);
    const scores = new Float32Array(entries);
    for (const { entry, score } of result.ranked) scores[entryIndex.get(entry.id)!] = score;
    return { scores, empty: result.empty, ...(result.notCovered !== undefined ? { notCovered: result.notCovered } : {}) };
  }

  return {
    matcher,
    redFlags: (text) => redFlags.detectAll(text),
    read(text) {
      const whole = lexicalScores(text);
      const clauses = storyClauses(text);
      const clauseLexical = Float32Array.from(whole.scores);
      for (const clause of clauses) {
        const { scores } = lexicalScores(clause);
        for (let k = 0; k < entries; k++) clauseLexical[k] = Math.max(clauseLexical[k]!, scores[k]!);
      }
      const question = splitClauses(text).at(-1) ?? text;
      const { redFlags: signs, denied, deniedAlone, affirmed } = redFlags.inspect(text);
      const small = smalltalk.detect(text);
      const smallBesideDenial = denied ? smalltalk.detect(affirmed) : undefined;
      // Found in the message as written (its question marks), without the signs it denies.
      const written = readClauses(text);
      const asks = written.some((clause) => clause.asks);
      const asWritten = toldPart(written, (clause) => smalltalk.detect(clause) !== undefined);
      const told = asWritten !== undefined && denied ? redFlags.inspect(asWritten).affirmed || undefined : asWritten;
      return {
        text,
        clauses,
        lexical: whole.scores,
        clauseLexical,
        redFlags: signs,
        redFlagDenied: denied,
        redFlagDeniedAlone: deniedAlone,
        affirmed,
        ...(told !== undefined ? { told } : {}),
        asks,
        ...(whole.notCovered !== undefined ? { notCovered: whole.notCovered } : {}),
        notCoveredInQuestion: whole.notCovered !== undefined && matcher.notCoveredIn(question) !== undefined,
        ...(small !== undefined ? { smalltalk: small } : {}),
        ...(smallBesideDenial !== undefined ? { smalltalkBesideDenial: smallBesideDenial } : {}),
        noContent: whole.empty,
      };
    },
  };
}
