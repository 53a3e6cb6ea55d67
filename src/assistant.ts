import type { Clinic, Entry, KnowledgeBase, SmalltalkKind, Texts, Tip, Topic } from "./knowledge/types.js";
import { createLexicon } from "./matching/lexicon.js";
import { createMatcher, MATCHER_DEFAULTS, type ScoredEntry, type ScoringOptions } from "./matching/matcher.js";
import { createRedFlagDetector } from "./matching/red-flags.js";
import { createSmalltalkDetector } from "./matching/smalltalk.js";
import { cleanInput, hasNoWords, isMostlyNonLatin } from "./matching/text.js";

/** What the assistant makes of a message. Front ends render it; they never decide it. */
export type Reply =
  | { readonly kind: "answer"; readonly entry: Entry; readonly confidence: number; readonly related: readonly Entry[] }
  | { readonly kind: "clarify"; readonly options: readonly Entry[]; readonly confidence: number }
  | {
      readonly kind: "fallback";
      readonly reason: FallbackReason;
      /** A topic the article does not cover that the message asks about. */
      readonly notCovered?: string;
      readonly topics: readonly Topic[];
    }
  | { readonly kind: "urgent"; readonly redFlag: string }
  | { readonly kind: "smalltalk"; readonly smalltalk: SmalltalkKind };

export type ReplyKind = Reply["kind"];
/** Why the assistant did not answer: nothing fits, nothing was asked, or not in English. */
export type FallbackReason = "not-covered" | "empty" | "other-language";

export interface AssistantOptions {
  /** Overrides of the scoring tuning (for experiments and benchmarks). */
  readonly scoring?: Partial<ScoringOptions>;
}

export interface Assistant {
  /** Decides the reply to one patient message. Never throws on odd input. */
  reply(text: string): Reply;
  /** The entry with this id, if the knowledge base (still) has it. */
  entry(id: string): Entry | undefined;
  /** The entries worth offering after an answer (at most three). */
  related(entry: Entry): readonly Entry[];
  readonly topics: readonly Topic[];
  /** Entries of a topic, in knowledge-base order. */
  entriesOf(topicId: string): readonly Entry[];
  topic(id: string): Topic | undefined;
  /** Entries worth showing when the patient has not asked anything yet (inline mode's empty query). */
  readonly featured: readonly Entry[];
  /** Entries that best match a query, best first, for search-like front ends (inline mode). */
  search(text: string, limit: number): readonly Entry[];
  readonly tips: readonly Tip[];
  readonly clinic: Clinic;
  readonly texts: Texts;
  readonly knowledgeBase: KnowledgeBase;
}

const MAX_CLARIFY_OPTIONS = 3;
/** Messages at least this long are stories: their question sentences are also scored alone. */
const STORY_LENGTH = 100;
/** Telegram caps a message at 4,096 characters; other front ends are held to a generous multiple. */
const RED_FLAG_SCAN_LIMIT = 50_000;
const QUESTION = /\?|^\W*(why|how|when|what|whats|where|which|who|can|could|should|will|would|is|are|do|does|did|am|has|have)\b/i;
const MAX_RELATED = 3;

/** Builds the reply engine over a loaded knowledge base. All indexing happens here, once. */
export function createAssistant(kb: KnowledgeBase, options: AssistantOptions = {}): Assistant {
  const settings = kb.settings.matcher;
  const lexicon = createLexicon(kb);
  const matcher = createMatcher(kb, lexicon, { ...MATCHER_DEFAULTS, ...options.scoring });
  const redFlags = createRedFlagDetector(kb.vocabulary, lexicon);
  const smalltalk = createSmalltalkDetector(kb.vocabulary);
  const byId = new Map(kb.entries.map((entry) => [entry.id, entry]));
  const topicsById = new Map(kb.topics.map((topic) => [topic.id, topic]));
  const byTopic = new Map(kb.topics.map((topic) => [topic.id, kb.entries.filter((entry) => entry.topic === topic.id)]));
  const fallback = (reason: FallbackReason, notCovered?: string): Reply => ({
    kind: "fallback",
    reason,
    topics: kb.topics,
    ...(notCovered !== undefined ? { notCovered } : {}),
  });

  // Patients put the question last, so an over-long message keeps its end.
  const bounded = (text: string) => (text.length > settings.max_message_chars ? text.slice(-settings.max_message_chars) : text);

  interface Ranking {
    readonly ranked: readonly ScoredEntry[];
    readonly notCovered?: string;
    /** The question itself (not just its context) is about a topic the article does not cover. */
    readonly asksUncovered: boolean;
    readonly empty: boolean;
  }

  function rank(text: string): Ranking {
    const whole = matcher.match(text);
    const asksUncovered = whole.notCovered !== undefined && matcher.notCoveredIn(questionPart(text)) !== undefined;
    const parts = clauses(text);
    const story = text.length >= STORY_LENGTH;
    // An uncovered topic outside the question ("a bit sore at night, should I stop lying on
    // that side?") is context: the question is also scored on its own, as in a story.
    const uncoveredContext = whole.notCovered !== undefined && !asksUncovered;
    // Otherwise a short message is one question, whatever its punctuation: its parts need each other.
    if (asksUncovered || parts.length < 2 || (!story && !uncoveredContext)) return { ...whole, asksUncovered };
    const last = parts.length - 1;
    const questions = story ? parts.filter((part, index) => index === last || QUESTION.test(part)) : [parts[last]!];
    const best = new Map(whole.ranked.map((scored) => [scored.entry.id, scored]));
    for (const question of questions) {
      for (const scored of matcher.match(question).ranked) {
        if (scored.score > (best.get(scored.entry.id)?.score ?? 0)) best.set(scored.entry.id, scored);
      }
    }
    return { ...whole, ranked: [...best.values()].sort((a, b) => b.score - a.score), asksUncovered };
  }

  function reply(raw: string): Reply {
    const cleaned = cleanInput(raw);
    if (cleaned === "") return fallback("empty");
    // Symptoms are looked for in the whole message (a linear scan), the question only in its end.
    const redFlag = redFlags.detect(cleaned.slice(0, RED_FLAG_SCAN_LIMIT));
    if (redFlag !== undefined) return { kind: "urgent", redFlag };
    const text = bounded(cleaned);
    const small = smalltalk.detect(text);
    if (small !== undefined) return { kind: "smalltalk", smalltalk: small };
    if (hasNoWords(text)) return fallback("empty");
    if (isMostlyNonLatin(text)) return fallback("other-language");

    const { ranked, notCovered, asksUncovered, empty } = rank(text);
    if (empty) return fallback("empty");
    // A question about a topic the article skips gets no answer and no "did you mean", however
    // close a covered entry looks; the topic only as context still lets the question be answered.
    if (asksUncovered) return fallback("not-covered", notCovered);
    const [top, second] = ranked;
    if (!top || top.score < settings.suggestion_threshold) return fallback("not-covered", notCovered);

    const close = ranked.filter(
      (scored) => scored.score >= settings.suggestion_threshold && top.score - scored.score < settings.ambiguity_margin,
    );
    const confident = top.score >= settings.confidence_threshold;
    // A near tie between entries that list each other as related needs no question: the
    // answer carries the other one as a related-question button, one tap away.
    const rivalsAreRelated = close.every((scored) => scored === top || mutuallyRelated(top.entry, scored.entry));
    if (confident && (close.length < 2 || !second || rivalsAreRelated)) {
      return { kind: "answer", entry: top.entry, confidence: round(top.score), related: relatedOf(top.entry) };
    }
    const options = (close.length >= 2 ? close : ranked.filter((scored) => scored.score >= settings.suggestion_threshold))
      .slice(0, MAX_CLARIFY_OPTIONS)
      .map((scored) => scored.entry);
    return { kind: "clarify", options, confidence: round(top.score) };
  }

  function mutuallyRelated(a: Entry, b: Entry): boolean {
    return relatedOf(a).includes(b) && relatedOf(b).includes(a);
  }

  function relatedOf(entry: Entry): Entry[] {
    return entry.related.flatMap((id) => byId.get(id) ?? []).slice(0, MAX_RELATED);
  }

  const featuredIds = ["asymmetry-causes", "recovery-care", "final-results-timing", "revision-timing", "find-surgeon"];
  const featured = [
    ...featuredIds.flatMap((id) => byId.get(id) ?? []),
    ...kb.entries.filter((entry) => !featuredIds.includes(entry.id)),
  ];

  return {
    reply,
    entry: (id) => byId.get(id),
    related: relatedOf,
    topics: kb.topics,
    topic: (id) => topicsById.get(id),
    entriesOf: (topicId) => byTopic.get(topicId) ?? [],
    featured,
    search(text, limit) {
      const cleaned = bounded(cleanInput(text));
      if (cleaned === "") return featured.slice(0, limit);
      return matcher
        .match(cleaned)
        .ranked.filter((scored) => scored.score >= settings.suggestion_threshold)
        .slice(0, limit)
        .map((scored) => scored.entry);
    },
    tips: kb.texts.tips,
    clinic: kb.clinic,
    texts: kb.texts,
    knowledgeBase: kb,
  };
}

/** The last part of a message, after its last sentence end, comma, "but" or "and": usually what is asked. */
function questionPart(text: string): string {
  const parts = text.split(/[.,;!?\n]+|\b(?:but|and)\b/i).filter((part) => /[\p{L}\p{N}]/u.test(part));
  return parts.at(-1) ?? text;
}

/** A message cut at sentence ends, commas and "but": a question is usually its last part. */
function clauses(text: string): string[] {
  return text.split(/(?<=[.!?\n,;])\s*|\s+(?=but\b)/i).filter((part) => /[\p{L}\p{N}]/u.test(part));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
