import type { NotCurrentCues } from "../knowledge/types.js";
import { stem } from "./english/index.js";
import { createPhraseFinder } from "./phrase-finder.js";
import { words } from "./text.js";

/** How many words a past verb may stand before the sign ("had a really bad fever"), and after it ("the fever I got"). */
const PAST_REACH_BEFORE = 4;
const PAST_REACH_AFTER = 2;
/** Words that may stand between the sign and a past verb after it: "the fever I got". */
const SUBJECTS_AFTER = new Set(["i", "we"]);
/** Before a past verb, these make it the present perfect, which is still going on: "I've had a fever for 3 days". */
const PERFECT = new Set(["ive", "have", "has", "weve", "hes", "shes", "s", "been"].map(stem));
/** Words of doubt, hope or time that make a word of the sign's end no statement: "I hope it's gone soon", "until it's gone". */
const DOUBT = new Set(["sure", "think", "hope", "hoping", "until", "till", "if", "whether", "wish", "when", "how", "yet", "maybe", "might", "may", "unless", "never", "wont", "cant"].map(stem));

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
export type NotCurrentCheck = (sentences: readonly SentenceTokens[], sentence: number, at: readonly number[], signs: ReadonlySet<number>) => boolean;

export function createNotCurrentCheck(cues: NotCurrentCues, negations: readonly string[]): NotCurrentCheck {
  const phrases = (list: readonly string[]) => list.map((phrase) => words(phrase).map(stem)).filter((tokens) => tokens.length > 0);
  const single = (list: readonly string[]) => new Set(phrases(list).map((tokens) => tokens.join(" ")));
  const others = single(cues.other_people);
  const owners = single(cues.owners);
  const firstPerson = single(cues.first_person);
  const thirdPerson = single(cues.third_person);
  const having = single(cues.having);
  // Phrases of these lists are matched word for word, in order.
  const finderOf = (list: readonly string[]) => createPhraseFinder(phrases(list).map((tokens) => ({ tokens, label: true })), 0);
  const surgery = finderOf(cues.surgery);
  const past = single(cues.past);
  const fillers = single(cues.fillers);
  const over = finderOf(cues.over);
  const wellAgain = finderOf(cues.well_again);
  const overSubjects = single(cues.over_subjects);
  const overLinks = single(cues.over_links);
  const overFollowers = single(cues.over_followers);
  const ongoing = finderOf(cues.ongoing);
  const figures = finderOf(cues.figures);
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

  /** The writer had the surgery, and every surgery the message names is theirs. */
  function writersOwnSurgery(sentences: readonly SentenceTokens[]): boolean {
    let named = false;
    for (const { tokens } of sentences) {
      for (const { from } of surgery.find(tokens)) {
        if (personBefore(tokens, from) !== "me") return false;
        named = true;
      }
    }
    return named;
  }

  /**
   * "my son has a fever": the person, after "my", is the subject of the sign, with only
   * having-words, other signs ("my son has a fever and chills"), "she"/"he" and numbers ("my
   * daughter (she's 6) has a tummy bug and keeps throwing up") between.
   */
  function someoneElses(tokens: readonly string[], first: number, signs: ReadonlySet<number>): boolean {
    const between = (at: number) => having.has(tokens[at]!) || fillers.has(tokens[at]!) || signs.has(at) || thirdPerson.has(tokens[at]!) || /^\d+$/.test(tokens[at]!);
    let at = first - 1;
    while (at >= 0 && between(at)) at--;
    return at >= 1 && others.has(tokens[at]!) && owners.has(tokens[at - 1]!);
  }

  function toldInThePast(tokens: readonly string[], at: readonly number[]): boolean {
    const first = Math.min(...at);
    const last = Math.max(...at);
    const pastAt = (position: number) => past.has(tokens[position]!) && !PERFECT.has(tokens[position - 1] ?? "");
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
   * mark ends ("is it healed?", but "it's gone now, anyway when can I see the result?"), with no
   * negation or doubt between the sign and it, ending its clause or followed by a word of time
   * ("gone since day 2", not "gone up"), and said of the sign or "it" ("it went away", not "the
   * pain is gone") or of the writer ("I'm fine").
   */
  function endsLater({ tokens, clauseEnds, questionFrom }: SentenceTokens, last: number): boolean {
    let stop = last + 1;
    while (stop < questionFrom && !denials.has(tokens[stop]!) && !DOUBT.has(tokens[stop]!)) stop++;
    const ends = [...wellAgain.find(tokens), ...over.find(tokens).filter(({ from }) => saidOfTheSign(tokens, from, last))];
    return ends.some(({ from, to }) => from > last && from < stop && (to + 1 >= tokens.length || clauseEnds.has(to + 1) || overFollowers.has(tokens[to + 1]!)));
  }

  function saidOfTheSign(tokens: readonly string[], at: number, last: number): boolean {
    let before = at - 1;
    while (before > last && overLinks.has(tokens[before]!)) before--;
    return before <= last || overSubjects.has(tokens[before]!);
  }

  /** Any word after the sign that it goes on, is back or was only held down: "gone, but tonight it's back". */
  function goesOnAfter(sentences: readonly SentenceTokens[], sentence: number, last: number): boolean {
    return sentences.slice(sentence).some(({ tokens }, s) => ongoing.find(tokens).some(({ from }) => s > 0 || from > last));
  }

  return (sentences, sentence, at, signs) => {
    const here = sentences[sentence]!;
    const first = Math.min(...at);
    const last = Math.max(...at);
    if (figures.find(here.tokens).some(({ from, to }) => from <= first && to >= last)) return true;
    if (someoneElses(here.tokens, first, signs) && writersOwnSurgery(sentences)) return true;
    return toldInThePast(here.tokens, at) && endsLater(here, last) && !goesOnAfter(sentences, sentence, last);
  };
}
