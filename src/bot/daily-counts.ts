import { fallbackReasonOf, type Outcome } from "./context.js";

/**
 * The per-day counters an update adds to: the reply kind of a patient's message, the entry
 * answered, why nothing was, the uncovered topic, the "did you mean" choice taken. No text, no user.
 */
export function countersOf(outcome: Outcome | undefined): { metric: string; key: string }[] {
  if (!outcome) return [];
  const { kind, entryId } = outcome;
  if (kind === "answer" && entryId) return [{ metric: "kind", key: "answer" }, { metric: "entry", key: entryId }];
  if (kind === "clarify" || kind === "urgent" || kind === "smalltalk") return [{ metric: "kind", key: kind }];
  if (kind === "clarify-choice" && entryId) return [{ metric: "choice", key: entryId }];
  const reason = fallbackReasonOf(outcome);
  if (reason !== undefined) {
    return [
      { metric: "kind", key: "fallback" },
      { metric: "fallback", key: reason },
      ...(outcome.notCovered ? [{ metric: "not-covered", key: outcome.notCovered }] : []),
    ];
  }
  return [];
}
