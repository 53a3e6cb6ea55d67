/**
 * A question the shipped model is torn on between final-results-timing and revision-timing, so
 * that it gets a "did you mean" offering both. `test/assistant.test.ts` checks that it still
 * does: when a retraining settles it, that check fails first; then pick another such question.
 */
export const AMBIGUOUS_QUESTION = "how long should i wait";
