import type { Entry, KnowledgeBase } from "../knowledge/types.js";
import type { Analysis, Lexicon } from "./lexicon.js";
import { createNegationCheck } from "./negation.js";
import { createPhraseFinder, type PhraseFinder } from "./phrase-finder.js";

/** Tuning of the scoring. Defaults are in MATCHER_DEFAULTS; the thresholds live in the knowledge base. */
export interface ScoringOptions {
  /** How much message words that no phrasing has count against a match (Tversky's alpha). */
  readonly unmatchedMessageWeight: number;
  /** How much phrasing words missing from the message count against a match (Tversky's beta). */
  readonly unmatchedPhrasingWeight: number;
  /** Weight of a message word the knowledge base has never seen, relative to the rarest known word. */
  readonly unknownWordWeight: number;
  /** Weight of a word the knowledge base knows (a symptom, a greeting) but no phrasing uses. */
  readonly offIndexWordWeight: number;
  /** Matched weight, relative to the rarest word's, below which a match cannot be fully confident. */
  readonly informativeWeight: number;
  /** Share of an entry's score that comes from its second-best phrasing: agreement beats one fluke. */
  readonly secondPhrasingShare: number;
  /** Factor applied to a word that had to be spelling-corrected, per edit. */
  readonly correctionPenalty: number;
  /**
   * Most phrasings scored per message. Rare words open candidates first; common words fill
   * the remaining places with their most specific phrasings (which can score highest) and
   * otherwise only add to candidates already open. Keeps large knowledge bases fast.
   */
  readonly maxCandidates: number;
}

export const MATCHER_DEFAULTS: ScoringOptions = Object.freeze({
  unmatchedMessageWeight: 0.8,
  unmatchedPhrasingWeight: 0.4,
  unknownWordWeight: 0.8,
  offIndexWordWeight: 0.3,
  informativeWeight: 0.8,
  secondPhrasingShare: 0.15,
  correctionPenalty: 0.1,
  maxCandidates: 600,
});

export interface ScoredEntry {
  readonly entry: Entry;
  /** 0..1: how well the best phrasing of the entry matches the message. */
  readonly score: number;
}

export interface MatchResult {
  /** Entries with any overlap, best first. */
  readonly ranked: readonly ScoredEntry[];
  /** A topic the article does not cover that the message asks about, if any. */
  readonly notCovered?: string;
  /** The message had no content word left after clean-up. */
  readonly empty: boolean;
}

export interface Matcher {
  match(text: string): MatchResult;
  /** The not-covered topic a text mentions (not negated), if any. */
  notCoveredIn(text: string): string | undefined;
}

/**
 * Builds the index once per knowledge base: every phrasing of every entry is analysed into
 * canonical terms, weighted by how few entries use them (inverse document frequency), and
 * listed under each of its terms. A message is then scored only against the phrasings
 * that share a term with it, so the cost grows with the overlap, not with the knowledge base.
 */
export function createMatcher(kb: KnowledgeBase, lexicon: Lexicon, options: ScoringOptions = MATCHER_DEFAULTS): Matcher {
  const phrasingEntry: number[] = [];
  const phrasingTerms: string[][] = [];
  const entryCountByTerm = new Map<string, number>();

  kb.entries.forEach((entry, entryIndex) => {
    const entryTerms = new Set<string>();
    for (const phrasing of [entry.question, entry.title, ...entry.alternates]) {
      const terms = [...new Set(lexicon.analyze(phrasing).terms)];
      if (terms.length === 0) continue;
      phrasingEntry.push(entryIndex);
      phrasingTerms.push(terms);
      terms.forEach((term) => entryTerms.add(term));
    }
    for (const term of entryTerms) entryCountByTerm.set(term, (entryCountByTerm.get(term) ?? 0) + 1);
  });

  const entryCount = Math.max(1, kb.entries.length);
  const idf = new Map<string, number>();
  for (const [term, count] of entryCountByTerm) idf.set(term, Math.log(1 + entryCount / count));
  const maxIdf = Math.log(1 + entryCount);

  const phrasingWeight = Float64Array.from(phrasingTerms, (terms) => terms.reduce((sum, term) => sum + idf.get(term)!, 0));
  // Each term's phrasings, most specific (lightest) first: when a common term may open only a
  // few candidates, these are the ones that can score highest.
  const postings = new Map<string, Int32Array>();
  {
    const lists = new Map<string, number[]>();
    phrasingTerms.forEach((terms, phrasing) => {
      for (const term of terms) {
        const list = lists.get(term);
        if (list) list.push(phrasing);
        else lists.set(term, [phrasing]);
      }
    });
    for (const [term, list] of lists) {
      postings.set(term, Int32Array.from(list.sort((a, b) => phrasingWeight[a]! - phrasingWeight[b]!)));
    }
  }

  // Exact phrases over the message's words with synonyms merged but nothing dropped:
  // "put to sleep" must not fire on "sleep" alone, nor "hurt" on "hurt the result" (damage).
  const notCovered: PhraseFinder<string> = createPhraseFinder(
    kb.vocabulary.not_covered.flatMap((topic) =>
      topic.phrases.map((phrase) => ({ tokens: lexicon.canonicalTokens(phrase), label: topic.topic })),
    ),
    0,
  );

  const negationOf = createNegationCheck(kb.vocabulary.negations);

  // Reused between calls: matching is synchronous, so one buffer per matcher is safe.
  const matched = new Float64Array(phrasingTerms.length);
  const touched: number[] = [];

  function termWeight(term: string, analysis: Analysis): number {
    const known = idf.get(term);
    if (known === undefined) return (analysis.unknown.has(term) ? options.unknownWordWeight : options.offIndexWordWeight) * maxIdf;
    const edits = analysis.corrected.get(term) ?? 0;
    return known * (1 - options.correctionPenalty * edits);
  }

  function notCoveredTopic(tokens: readonly string[]): string | undefined {
    return notCovered.find(tokens).find((hit) => negationOf(tokens, hit.at) < 0)?.label;
  }

  return {
    notCoveredIn: (text) => notCoveredTopic(lexicon.analyze(text).tokens),
    match(text) {
      const analysis = lexicon.analyze(text);
      const terms = [...new Set(analysis.terms)];
      if (terms.length === 0) return { ranked: [], empty: true };
      const uncovered = notCoveredTopic(analysis.tokens);

      const weights = new Map(terms.map((term) => [term, termWeight(term, analysis)]));
      const messageWeight = [...weights.values()].reduce((sum, weight) => sum + weight, 0);

      // Rare terms first: they open candidates; common ones fill what places are left.
      const ordered = terms.filter((term) => postings.has(term)).sort((a, b) => idf.get(b)! - idf.get(a)!);
      for (const term of ordered) {
        const list = postings.get(term)!;
        const weight = weights.get(term)!;
        if (touched.length >= options.maxCandidates && list.length > touched.length) {
          // No place left to open: checking the candidates beats walking a long posting list.
          for (const phrasing of touched) if (phrasingTerms[phrasing]!.includes(term)) matched[phrasing] = matched[phrasing]! + weight;
          continue;
        }
        for (let k = 0; k < list.length; k++) {
          const phrasing = list[k]!;
          if (matched[phrasing] === 0) {
            if (touched.length >= options.maxCandidates) continue;
            touched.push(phrasing);
          }
          matched[phrasing] = matched[phrasing]! + weight;
        }
      }

      const best = new Map<number, [number, number]>();
      const { unmatchedMessageWeight: alpha, unmatchedPhrasingWeight: beta } = options;
      for (const phrasing of touched) {
        const shared = matched[phrasing]!;
        matched[phrasing] = 0;
        const ownWeight = phrasingWeight[phrasing]!;
        // Tversky similarity: unexplained message words cost more than unused phrasing words,
        // because a short message often asks a part of a longer phrasing.
        const similarity = shared / (shared + alpha * Math.max(0, messageWeight - shared) + beta * Math.max(0, ownWeight - shared));
        // A match on one common word ("surgery") is weak evidence, however similar.
        const score = similarity * Math.min(1, shared / (options.informativeWeight * maxIdf));
        const entryIndex = phrasingEntry[phrasing]!;
        const scores = best.get(entryIndex);
        if (!scores) best.set(entryIndex, [score, 0]);
        else if (score > scores[0]) best.set(entryIndex, [score, scores[0]]);
        else if (score > scores[1]) scores[1] = score;
      }
      touched.length = 0;

      const share = options.secondPhrasingShare;
      const ranked = [...best]
        .map(([entryIndex, [first, second]]) => ({ entry: kb.entries[entryIndex]!, score: (1 - share) * first + share * second }))
        .sort((a, b) => b.score - a.score);
      return { ranked, empty: false, ...(uncovered !== undefined ? { notCovered: uncovered } : {}) };
    },
  };
}
