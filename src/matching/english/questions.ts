import { splitClauses, splitSentences } from "./clauses.js";

/**
 * Words that open a question even without its question mark ("is it normal", "when can I sit"),
 * but not "can't". Not "was", "did", "have" and the like: patients open statements with them too
 * ("have been throwing up all night").
 */
const OPENS_QUESTION = /^(?:is|are|can|could|will|would|should|how|hows|when|what|whats|why|where|who|which)\b(?!['’]t\b)/i;
/** Words that only join a clause to the one before ("but I woke up on the floor"). */
const LEADING_LINK = /^(?:(?:but|and|so|also|oh|plus|btw|anyway|then)\b[\s,]*)+/i;

/**
 * What a message tells, without what it asks: every clause but its questions. A question is a
 * clause that opens with a question word, or the last clause of a sentence that ends with a
 * question mark when no other clause of it opens one ("When can I book my revision, I woke up on
 * the floor?" asks first and tells last). Words that only join a clause to the one before go.
 * Undefined where it asks nothing, or nothing else ("is it normal that my calf is swollen?").
 */
export function toldPart(text: string): string | undefined {
  const told: string[] = [];
  let asks = false;
  for (const sentence of splitSentences(text)) {
    const clauses = splitClauses(sentence.text);
    const opened = clauses.map((clause) => OPENS_QUESTION.test(clause));
    const askedBefore = opened.slice(0, -1).some(Boolean);
    clauses.forEach((clause, i) => {
      if (opened[i] || (sentence.question && i === clauses.length - 1 && !askedBefore)) asks = true;
      else told.push(clause.replace(LEADING_LINK, ""));
    });
  }
  const kept = told.filter((clause) => /[\p{L}\p{N}]/u.test(clause));
  return asks && kept.length > 0 ? kept.join(", ") : undefined;
}
