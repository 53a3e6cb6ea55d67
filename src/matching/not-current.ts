import type { NotCurrentCues } from "../knowledge/types.js";
import { stem } from "./english/index.js";
import { createPhraseFinder } from "./phrase-finder.js";
import { words } from "./text.js";

/** How many words a past verb may stand before the sign ("had a really bad fever"), and after it ("the fever I got"). */
const PAST_REACH_BEFORE = 4;
const PAST_REACH_AFTER = 2;
/** Words that may stand between the sign and a past verb after it: "the fever I got". */
const SUBJECTS_AFTER = new Set(["i", "we"]);
/** Words that may stand between "have" and a past verb: "I've also had". */
const ADVERBS = new Set(["also", "always", "constantly", "just", "really", "still", "been", "even", "often"].map(stem));
/** Before a past verb, these make it the present perfect, which is still going on: "I've had a fever for 3 days". */
const PERFECT = new Set(["ive", "have", "has", "weve", "hes", "shes", "s", "been"].map(stem));
/** Words of doubt, hope or time that make a word of the sign's end no statement: "I hope it's gone soon", "until it's gone". */
const DOUBT = new Set(["sure", "think", "hope", "hoping", "until", "till", "if", "whether", "wish", "when", "how", "yet", "maybe", "might", "may", "unless", "never", "wont", "cant"].map(stem));

/** How near a surgery word another person makes it maybe theirs: "the surgery my mother had". */
const SURGERY_COMPANY = 6;
/** A clause opening with one of these asks, even without a question mark: "is it gone". */
const QUESTION_WORDS = new Set(["is", "are", "was", "were", "does", "do", "did", "has", "have", "can", "could", "will", "would", "should", "how", "when", "what", "why", "whats", "hows"].map(stem));

/** A sentence as the rules read it: stemmed tokens, where its clauses end, whether it asks. */
export interface SentenceTokens {
  readonly tokens: readonly string[];
  /** Token positions right after each clause's last word. */
  readonly clauseEnds: ReadonlySet<number>;
  /** Where the question starts: the last clause of a sentence that ends with "?" (else the sentence's length). */
  readonly questionFrom: number;
}

/**
 * Decides whether a red sign found at positions `at` of sentence `sentence` is someone else's
 * or over (see not_current in vocabulary.yaml). Every condition must hold: a doubt keeps the sign.
 */
export type NotCurrentCheck = (sentences: readonly SentenceTokens[], sentence: number, at: readonly number[], signs: ReadonlySet<number>, label: string) => boolean;

export function createNotCurrentCheck(cues: NotCurrentCues, negations: readonly string[]): NotCurrentCheck {
  const phrases = (list: readonly string[]) => list.map((phrase) => words(phrase).map(stem)).filter((tokens) => tokens.length > 0);
  const single = (list: readonly string[]) => new Set(phrases(list).map((tokens) => tokens.join(" ")));
  const others = single(cues.other_people);
  const owners = single(cues.owners);
  const firstPerson = single(cues.first_person);
  const thirdPerson = single(cues.third_person);
  const having = single(cues.having);
  const havingVerbs = single(cues.having_verbs);
  // Phrases of these lists are matched word for word, in order.
  const finderOf = (list: readonly string[]) => createPhraseFinder(phrases(list).map((tokens) => ({ tokens, label: true })), 0);
  const surgery = finderOf(cues.surgery);
  const pastVerbs = single(cues.past_verbs);
  // A time long enough ago: "2 weeks ago", "last month", "in the first week".
  const past = finderOf(cues.past_times);
  const overSigns = new Set(cues.over_signs);
  const shared = finderOf(cues.shared);
  const fillers = single(cues.fillers);
  const over = finderOf(cues.over);
  const overSubjects = single(cues.over_subjects);
  const overLinks = single(cues.over_links);
  const overFollowers = finderOf(cues.over_followers);
  const ongoing = finderOf(cues.ongoing);
  const ongoingAfterEnd = finderOf(cues.ongoing_after_end);
  const figures = finderOf(cues.figures);
  const figureFollowers = single(cues.figure_followers);
  const denials = new Set(phrases(negations).filter((tokens) => tokens.length === 1).map(([token]) => token!));

  // "my" before a person is that person's: "my son" is someone else, "my hip" the writer's.
  const isFirstPerson = (tokens: readonly string[], position: number) => firstPerson.has(tokens[position]!) && !others.has(tokens[position + 1] ?? "");

  /** Who a position's nearest person word before it (in its sentence) is: "me", "other" or undefined. */
  function personBefore(tokens: readonly string[], position: number): "me" | "other" | undefined {
    for (let at = position - 1; at >= 0; at--) {
      if (isFirstPerson(tokens, at)) return "me";
      if (others.has(tokens[at]!) || thirdPerson.has(tokens[at]!)) return "other";
    }
    return undefined;
  }

  /**
   * The writer had the surgery, and every surgery the message names is theirs: the nearest person
   * word before it is the writer, and no one else stands near it on either side ("the surgery my
   * mother had", "my sister and I had lipo").
   */
  function writersOwnSurgery(sentences: readonly SentenceTokens[]): boolean {
    let named = false;
    for (const { tokens } of sentences) {
      for (const { from, to } of surgery.find(tokens)) {
        if (personBefore(tokens, from) !== "me") return false;
        for (let at = Math.max(0, from - SURGERY_COMPANY); at <= Math.min(tokens.length - 1, to + SURGERY_COMPANY); at++) {
          if (others.has(tokens[at]!) || thirdPerson.has(tokens[at]!)) return false;
        }
        named = true;
      }
    }
    return named;
  }

  /**
   * "my son has a fever": "my" and the person open the sign's clause ("me and my husband have a
   * fever" is the writer's too), and only having-words, at least one of them a verb, other signs,
   * "she"/"he" and numbers stand between the person and the sign ("my son has a fever and
   * chills"; not "hello my friend fever since last night").
   */
  function someoneElses({ tokens, clauseEnds }: SentenceTokens, first: number, signs: ReadonlySet<number>): boolean {
    const between = (at: number) => having.has(tokens[at]!) || fillers.has(tokens[at]!) || signs.has(at) || thirdPerson.has(tokens[at]!) || /^\d+$/.test(tokens[at]!);
    let at = first - 1;
    let verb = false;
    for (; at >= 0 && between(at); at--) if (havingVerbs.has(tokens[at]!)) verb = true;
    const opensClause = at - 1 === 0 || clauseEnds.has(at - 1);
    return verb && at >= 1 && others.has(tokens[at]!) && owners.has(tokens[at - 1]!) && opensClause;
  }

  function toldInThePast(tokens: readonly string[], at: readonly number[]): boolean {
    const first = Math.min(...at);
    const last = Math.max(...at);
    const perfect = (position: number) => {
      let before = position - 1;
      while (before >= 0 && ADVERBS.has(tokens[before]!)) before--;
      return PERFECT.has(tokens[before] ?? "");
    };
    const pastAt = (position: number) => pastVerbs.has(tokens[position]!) && !perfect(position);
    for (let position = first + 1; position < last; position++) if (!at.includes(position) && pastAt(position)) return true;
    for (let position = first - 1; position >= Math.max(0, first - PAST_REACH_BEFORE); position--) {
      if (pastAt(position)) return true;
      if (!fillers.has(tokens[position]!)) break;
    }
    for (let position = last + 1; position <= Math.min(tokens.length - 1, last + PAST_REACH_AFTER); position++) {
      if (pastAt(position)) return true;
      if (!SUBJECTS_AFTER.has(tokens[position]!)) break;
    }
    return false;
  }

  /**
   * A word of the sign's end later in its sentence, as a statement: not in the clause a question
   * mark ends ("is it healed?", but "it's gone now, anyway when can I see the result?") nor in one
   * that opens with a question word ("is it gone"), with no negation or doubt between the sign and
   * it, ending its clause or followed by a word of time ("gone since day 2", not "gone up"), and
   * said of the sign or "it" ("it went away", not "the pain is gone"). Gives where it stands.
   */
  function endOf({ tokens, clauseEnds, questionFrom }: SentenceTokens, last: number): { from: number; to: number } | undefined {
    let stop = last + 1;
    while (stop < questionFrom && !denials.has(tokens[stop]!) && !DOUBT.has(tokens[stop]!)) stop++;
    const clauseStart = (at: number) => {
      while (at > 0 && !clauseEnds.has(at)) at--;
      return at;
    };
    const followerStarts = new Set(overFollowers.find(tokens).map((follower) => follower.from));
    return over.find(tokens).find(
      ({ from, to }) =>
        from > last &&
        from < stop &&
        saidOfTheSign(tokens, from, last) &&
        !QUESTION_WORDS.has(tokens[clauseStart(from)]!) &&
        (to + 1 >= tokens.length || clauseEnds.has(to + 1) || followerStarts.has(to + 1)),
    );
  }

  function saidOfTheSign(tokens: readonly string[], at: number, last: number): boolean {
    let before = at - 1;
    while (before > last && overLinks.has(tokens[before]!)) before--;
    return before <= last || overSubjects.has(tokens[before]!);
  }

  /**
   * Any word after the sign, but the word of its end and the one right after it in its clause
   * ("gone now"), that it goes on, is back or was only held down: "gone, but tonight it's back",
   * "went away with paracetamol", "went away, now burning hot".
   */
  function goesOnAfter(sentences: readonly SentenceTokens[], sentence: number, last: number, end: { from: number; to: number }): boolean {
    const { clauseEnds } = sentences[sentence]!;
    const partOfTheEnd = (at: number) => (at >= end.from && at <= end.to) || (at === end.to + 1 && !clauseEnds.has(at));
    // Anywhere in a later sentence; in the sign's own, after the sign (ongoing) or after its end (ongoing_after_end).
    const goesOn = (tokens: readonly string[], later: boolean, words: typeof ongoing, after: number) =>
      words.find(tokens).some(({ from }) => later || (from > after && !partOfTheEnd(from)));
    return sentences.slice(sentence).some(({ tokens }, s) => goesOn(tokens, s > 0, ongoing, last) || goesOn(tokens, s > 0, ongoingAfterEnd, end.to));
  }

  /** Words after the sign that the writer has it too: "my son has a fever and so do I". */
  const sharedAfter = (sentences: readonly SentenceTokens[], sentence: number, last: number) =>
    sentences.slice(sentence).some(({ tokens }, s) => shared.find(tokens).some(({ from }) => s > 0 || from > last));

  return (sentences, sentence, at, signs, label) => {
    const here = sentences[sentence]!;
    const first = Math.min(...at);
    const last = Math.max(...at);
    // A figure counts only where it closes its clause or a word like "with" follows: "throwing up
    // my hands are freezing" runs two clauses together.
    const closes = (to: number) => to + 1 >= here.tokens.length || here.clauseEnds.has(to + 1) || figureFollowers.has(here.tokens[to + 1]!);
    const within = (from: number, to: number) => [...here.clauseEnds].every((end) => end <= from || end > to);
    if (figures.find(here.tokens).some(({ from, to }) => from <= first && to >= last && within(from, to) && closes(to))) return true;
    if (someoneElses(here, first, signs) && writersOwnSurgery(sentences) && !sharedAfter(sentences, sentence, last)) return true;
    if (!overSigns.has(label) || !past.find(here.tokens).length || !toldInThePast(here.tokens, at)) return false;
    const end = endOf(here, last);
    return end !== undefined && !goesOnAfter(sentences, sentence, last, end);
  };
}
