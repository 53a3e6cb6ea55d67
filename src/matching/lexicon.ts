import Fuse from "fuse.js";
import { editDistance } from "./edit-distance.js";
import type { KnowledgeBase } from "../knowledge/types.js";
import { COMMON_WORDS, loadDictionary, STOPWORDS, stem } from "./english/index.js";
import { words } from "./text.js";

/** A message or phrasing after clean-up: the terms the matcher compares. */
export interface Analysis {
  /** Canonical content terms, in message order (duplicates kept). */
  readonly terms: readonly string[];
  /** Terms that came from a spelling correction, with how far the correction went (1 or 2 edits). */
  readonly corrected: ReadonlyMap<string, number>;
  /** Terms of words the lexicon has never seen. */
  readonly unknown: ReadonlySet<string>;
  /** Every token with synonyms merged and nothing dropped, for phrases that need word order. */
  readonly tokens: readonly string[];
}

/** Words shorter than this are never spelling-corrected: too many real words lie one edit apart. */
const MIN_CORRECTABLE_LENGTH = 4;
const LATIN_WORD = /^[\p{Script=Latin}\p{M}]+$/u;
const MAX_CORRECTION_CACHE = 10_000;
const MAX_EDITS = 2;
/** Edits a misspelling of this length may be away from the word meant: one, two for long words. */
const allowedEdits = (length: number) => (length >= 7 ? 2 : 1);

/**
 * Everything the matcher knows about words: which are filler, which phrases mean the same,
 * and how to repair a misspelt word. Built once per knowledge base.
 */
export interface Lexicon {
  /** Cleans a text into canonical terms: spelling fixed, stemmed, synonyms merged, filler dropped. */
  analyze(text: string): Analysis;
  /** Stemmed tokens of a text with spelling repaired, nothing merged or dropped. */
  stems(text: string): string[];
  /** Stemmed tokens of a text with synonyms merged, filler kept: for phrase lists that need word order. */
  canonicalTokens(text: string): string[];
  /**
   * Stemmed tokens as typed, each with every stem a misspelling of it could stand for (the
   * word itself included). Red flags read these, so that a repair toward an everyday word
   * ("fevr" → "fear") can never hide a symptom ("fever").
   */
  spellings(text: string): { readonly typed: string[]; readonly alternatives: string[][] };
}

interface Phrase {
  readonly tokens: readonly string[];
  readonly canonical: string;
}

export function createLexicon(kb: KnowledgeBase): Lexicon {
  const phrasesByFirstToken = new Map<string, Phrase[]>();
  const addPhrase = (text: string, canonical: string) => {
    const tokens = words(text).map(stem);
    const first = tokens[0];
    if (first === undefined) return;
    const list = phrasesByFirstToken.get(first) ?? [];
    list.push({ tokens, canonical });
    phrasesByFirstToken.set(first, list);
  };
  for (const group of kb.vocabulary.synonyms) {
    const canonical = words(group[0] ?? "").map(stem).join("_");
    for (const item of group) addPhrase(item, canonical);
  }
  for (const list of phrasesByFirstToken.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);

  const fillerPhrases = new Map<string, string[][]>();
  const fillerWords = new Set<string>();
  for (const item of kb.vocabulary.filler) {
    const tokens = words(item).map(stem);
    if (tokens.length === 1) fillerWords.add(tokens[0]!);
    else if (tokens.length > 1) fillerPhrases.set(tokens[0]!, [...(fillerPhrases.get(tokens[0]!) ?? []), tokens]);
  }
  const stopStems = new Set([...STOPWORDS].map(stem));

  // Every surface word the knowledge base uses anywhere: the dictionary spelling fixes aim at.
  // Words whose weight is known: the knowledge base's own, function words and everyday words.
  const known = new Set<string>([...STOPWORDS, ...COMMON_WORDS]);
  const addWords = (text: string) => {
    for (const word of words(text)) known.add(word);
  };
  for (const entry of kb.entries) [entry.question, entry.title, ...entry.alternates].forEach(addWords);
  const vocabulary = kb.vocabulary;
  [
    ...vocabulary.synonyms.flat(),
    ...vocabulary.red_flags.flatMap((flag) => flag.phrases),
    ...vocabulary.not_covered.flatMap((topic) => topic.phrases),
    ...Object.values(vocabulary.smalltalk).flat(),
    ...vocabulary.negations,
    ...vocabulary.filler,
    ...vocabulary.smalltalk_companions,
  ].forEach(addWords);

  // Fuse finds near spellings among the words that could be close enough: same first letter
  // (typos rarely hit it) and a length within the allowed edits. These buckets are small and
  // built once here; the edit distance then decides, because Fuse also accepts words that
  // merely contain the query.
  const buckets = new Map<string, string[]>();
  for (const word of known) {
    if (/\d/.test(word) || word.length < MIN_CORRECTABLE_LENGTH - MAX_EDITS) continue;
    for (let length = word.length - MAX_EDITS; length <= word.length + MAX_EDITS; length++) {
      if (length < MIN_CORRECTABLE_LENGTH || Math.abs(length - word.length) > allowedEdits(length)) continue;
      const key = `${word[0]}${length}`;
      const bucket = buckets.get(key);
      if (bucket) bucket.push(word);
      else buckets.set(key, [word]);
    }
  }
  const fuseByBucket = new Map<string, Fuse<string>>();
  for (const [key, bucket] of buckets) {
    fuseByBucket.set(key, new Fuse(bucket, { includeScore: true, threshold: 0.4, ignoreLocation: true }));
  }
  // One search now compiles Fuse's hot path, so the first misspelt message does not pay for it.
  fuseByBucket.values().next().value?.search("warmup");
  const corrections = new Map<string, { word: string; distance: number } | null>();

  /**
   * Known words within the allowed edits of a word, nearest first. Fuse's search counts two
   * swapped letters as two errors and misses them in short words ("pian" for "pain"), so the
   * known words one swap away are added; the first letter stays, as in the buckets.
   */
  function candidates(word: string): { word: string; distance: number }[] {
    const allowed = allowedEdits(word.length);
    const found = (fuseByBucket.get(`${word[0]}${word.length}`)?.search(word, { limit: 8 }) ?? [])
      .map((hit) => ({ word: hit.item, distance: editDistance(word, hit.item) }))
      .filter((hit) => hit.distance <= allowed);
    for (const swapped of swapsOf(word)) {
      if (known.has(swapped) && !found.some((hit) => hit.word === swapped)) found.push({ word: swapped, distance: 1 });
    }
    return found.sort((a, b) => a.distance - b.distance);
  }

  function correct(word: string): { word: string; distance: number } | null {
    const cached = corrections.get(word);
    if (cached !== undefined) return cached;
    const best = candidates(word)[0] ?? null;
    if (corrections.size >= MAX_CORRECTION_CACHE) corrections.clear();
    corrections.set(word, best);
    return best;
  }

  // Words of other scripts are never repaired: the dictionary that guards everyday words is
  // English, so "кровати" (bed) would become "кровит" (bleeds).
  const isCorrectable = (word: string) =>
    !known.has(word) && !dictionary.has(word) && word.length >= MIN_CORRECTABLE_LENGTH && !/\d/.test(word) && LATIN_WORD.test(word);

  // Real English words are never "corrected" into the knowledge base's words ("sticks" is not
  // a typo of "stinks"); they only count as words the knowledge base does not know.
  const dictionary = loadDictionary();

  function repairedStems(text: string): { stems: string[]; corrected: Map<number, number>; unknown: Set<number> } {
    const corrected = new Map<number, number>();
    const unknown = new Set<number>();
    const stems = words(text).map((word, index) => {
      if (!isCorrectable(word)) {
        if (!known.has(word)) unknown.add(index);
        return stem(word);
      }
      const fix = correct(word);
      if (!fix) {
        unknown.add(index);
        return stem(word);
      }
      corrected.set(index, fix.distance);
      return stem(fix.word);
    });
    return { stems, corrected, unknown };
  }

  function merge(stems: readonly string[]): { token: string; from: number; to: number }[] {
    const merged: { token: string; from: number; to: number }[] = [];
    for (let i = 0; i < stems.length; ) {
      const phrase = phrasesByFirstToken.get(stems[i]!)?.find((candidate) => startsAt(stems, i, candidate.tokens));
      if (phrase) {
        merged.push({ token: phrase.canonical, from: i, to: i + phrase.tokens.length });
        i += phrase.tokens.length;
      } else {
        merged.push({ token: stems[i]!, from: i, to: i + 1 });
        i++;
      }
    }
    return merged;
  }

  return {
    stems: (text) => repairedStems(text).stems,
    spellings(text) {
      const typed: string[] = [];
      const alternatives = words(text).map((word) => {
        const own = stem(word);
        typed.push(own);
        return isCorrectable(word) ? [own, ...candidates(word).map((hit) => stem(hit.word))] : [own];
      });
      return { typed, alternatives };
    },
    canonicalTokens(text) {
      return merge(repairedStems(text).stems).map((item) => item.token);
    },
    analyze(text) {
      const { stems, corrected, unknown } = repairedStems(text);
      const terms: string[] = [];
      const correctedTerms = new Map<string, number>();
      const unknownTerms = new Set<string>();
      const merged = merge(stems);
      for (let k = 0; k < merged.length; k++) {
        const { token, from, to } = merged[k]!;
        const fillerPhrase = fillerPhrases.get(token)?.find((tokens) => startsAt(stems, from, tokens));
        if (fillerPhrase) {
          while (k + 1 < merged.length && merged[k + 1]!.from < from + fillerPhrase.length) k++;
          continue;
        }
        if (to - from === 1 && (stopStems.has(token) || fillerWords.has(token))) continue;
        terms.push(token);
        for (let i = from; i < to; i++) {
          const distance = corrected.get(i);
          if (distance !== undefined) correctedTerms.set(token, Math.max(distance, correctedTerms.get(token) ?? 0));
          if (to - from === 1 && unknown.has(i)) unknownTerms.add(token);
        }
      }
      return { terms, corrected: correctedTerms, unknown: unknownTerms, tokens: merged.map((item) => item.token) };
    },
  };
}

function startsAt(tokens: readonly string[], at: number, phrase: readonly string[]): boolean {
  if (at + phrase.length > tokens.length) return false;
  for (let j = 0; j < phrase.length; j++) if (tokens[at + j] !== phrase[j]) return false;
  return true;
}

/** The words made by swapping two neighbouring letters of a word, the first letter kept. */
function swapsOf(word: string): string[] {
  const swaps: string[] = [];
  for (let at = 1; at + 1 < word.length; at++) {
    if (word[at] !== word[at + 1]) swaps.push(word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2));
  }
  return swaps;
}
