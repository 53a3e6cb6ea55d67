import { splitClauses, splitSentences } from "./clauses.js";

/**
 * Words that open a question even without its question mark ("is it normal", "when can I sit"),
 * but not "can't". Not "was", "did", "have" and the like: patients open statements with them too
 * ("have been throwing up all night").
 */
const OPENS_QUESTION = /^(?:is|are|can|could|will|would|should|how|hows|when|what|whats|why|where|who|which)\b(?!['’]t\b)/i;
/** Words that only join a clause to the one before ("but I woke up on the floor"). */
const LEADING_LINK = /^(?:(?:but|and|so|also|oh|plus|btw|anyway|then)\b[\s,]*)+/i;

/** One clause of a message as written, and whether it asks. */
export interface ReadClause {
  readonly text: string;
  readonly asks: boolean;
}

/**
 * Where a question starts in the middle of a clause that has no punctuation before it ("fever
 * with sweats all night is it safe to fly next week"): before a modal or "do" and a pronoun, "is
 * it", "are they", "am I", "is that normal" and the like, or a question word and a modal or
 * "long"/"much". Not "is the" or "is this" alone ("my leg is the size of a melon" tells), not
 * after a question word ("when can I" is one question), nor after "know", "matter" and the like
 * ("I don't know how long", "no matter how much I drink I throw up").
 */
const RUN_ON_QUESTION =
  /(?<!\b(?:when|how|what|why|where|know|knows|matter|wonder|sure|idea|understand|tell|ask|asking|asked|see)\s*)\s+(?=(?:(?:can|could|should|will|would|do|does)\s+(?:i|it|we|she|he|they|my|you)|is\s+it|are\s+they|am\s+i|is\s+(?:that|this)\s+(?:normal|ok|okay|fine|bad|safe|serious|common|expected|usual|dangerous)|(?:when|how|what|why|where)\s+(?:can|could|should|will|would|is|are|do|does|long|much|many|soon))\b)/i;

/**
 * The clauses of a message, each with whether it asks: a clause that opens with a question word
 * (also where one starts a question in the middle of a run-on clause), or the last clause of a
 * sentence that ends with a question mark when no other clause of it opens one
 * ("When can I book my revision, I woke up on the floor?" asks first and tells last).
 */
export function readClauses(text: string): ReadClause[] {
  return splitSentences(text).flatMap((sentence) => {
    const clauses = splitClauses(sentence.text).flatMap((clause) => clause.split(RUN_ON_QUESTION).filter((part) => part.trim() !== ""));
    const opened = clauses.map((clause) => OPENS_QUESTION.test(clause));
    const askedBefore = opened.slice(0, -1).some(Boolean);
    return clauses.map((clause, i) => ({ text: clause, asks: opened[i]! || (sentence.question && i === clauses.length - 1 && !askedBefore) }));
  });
}

/**
 * What a message tells, without what it asks (see readClauses) or says only to be polite
 * (`isChatter`: greetings, thanks, sign-offs). Words that only join a clause to the one before
 * go. Undefined where it asks or chats nothing, or does nothing else ("is it normal that my calf
 * is swollen?").
 */
export function toldPart(clauses: readonly ReadClause[], isChatter: (clause: string) => boolean = () => false): string | undefined {
  let leftOut = false;
  const told: string[] = [];
  for (const clause of clauses) {
    if (clause.asks || isChatter(clause.text)) leftOut = true;
    else told.push(clause.text.replace(LEADING_LINK, ""));
  }
  const kept = told.filter((clause) => /[\p{L}\p{N}]/u.test(clause));
  return leftOut && kept.length > 0 ? kept.join(", ") : undefined;
}
