import { splitClauses, splitSentences } from "./clauses.js";

/**
 * Words that open a question even without its question mark ("is it normal", "when can I sit").
 * Not "was", "did", "have" and the like: patients open statements with them too ("have been
 * throwing up all night").
 */
const OPENS_QUESTION = /^(?:is|are|can|could|will|would|should|how|hows|when|what|whats|why|where|who|which)\b/i;

/**
 * What a message tells, without what it asks: every clause but the last one of a sentence that
 * ends with a question mark and any that opens with a question word. Undefined where it asks
 * nothing, or nothing else ("is it normal that my calf is swollen?" is all question).
 */
export function toldPart(text: string): string | undefined {
  const told: string[] = [];
  let asks = false;
  for (const sentence of splitSentences(text)) {
    const clauses = splitClauses(sentence.text);
    clauses.forEach((clause, i) => {
      if ((sentence.question && i === clauses.length - 1) || OPENS_QUESTION.test(clause)) asks = true;
      else told.push(clause);
    });
  }
  return asks && told.length > 0 ? told.join(", ") : undefined;
}
