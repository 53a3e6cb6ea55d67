/**
 * Finds short phrases whose words occur close together in a token list, in any order:
 * "calf swollen" matches "my calf is really swollen" and "swollen calf".
 */
export interface PhraseHit<T> {
  readonly label: T;
  /** Index of the first and last matched token. */
  readonly from: number;
  readonly to: number;
  /** Index of every matched token, in order. */
  readonly at: readonly number[];
}

export interface PhraseFinder<T> {
  /**
   * Phrases found in a token list. With `alternatives`, a position also matches any of the
   * tokens listed for it (the spellings a misspelt word could stand for).
   */
  find(tokens: readonly string[], alternatives?: readonly (readonly string[])[]): PhraseHit<T>[];
}

/**
 * `window` is how far apart, in tokens, the words of a phrase may be, in any order;
 * 0 means the words must follow each other exactly, in order.
 */
export function createPhraseFinder<T>(phrases: readonly { tokens: readonly string[]; label: T }[], window: number): PhraseFinder<T> {
  const byToken = new Map<string, { tokens: readonly string[]; label: T }[]>();
  for (const phrase of phrases) {
    const first = phrase.tokens[0];
    if (first === undefined) continue;
    const list = byToken.get(first);
    if (list) list.push(phrase);
    else byToken.set(first, [phrase]);
  }
  return {
    find(tokens, alternatives) {
      const hits: PhraseHit<T>[] = [];
      const matches = alternatives
        ? (at: number, wanted: string) => tokens[at] === wanted || (alternatives[at]?.includes(wanted) ?? false)
        : (at: number, wanted: string) => tokens[at] === wanted;
      tokens.forEach((_, at) => {
        const starts = alternatives ? new Set(alternatives[at] ?? [tokens[at]!]) : [tokens[at]!];
        for (const phrase of [...starts].flatMap((token) => byToken.get(token) ?? [])) {
          if (window === 0) {
            if (phrase.tokens.every((wanted, offset) => matches(at + offset, wanted))) {
              hits.push({ label: phrase.label, from: at, to: at + phrase.tokens.length - 1, at: phrase.tokens.map((_, offset) => at + offset) });
            }
            continue;
          }
          let from = at;
          let to = at;
          const used = new Set([at]);
          const complete = phrase.tokens.slice(1).every((wanted) => {
            for (let distance = 1; distance <= window; distance++) {
              for (const candidate of [at + distance, at - distance]) {
                if (candidate >= 0 && candidate < tokens.length && !used.has(candidate) && matches(candidate, wanted)) {
                  used.add(candidate);
                  from = Math.min(from, candidate);
                  to = Math.max(to, candidate);
                  return true;
                }
              }
            }
            return false;
          });
          if (complete) hits.push({ label: phrase.label, from, to, at: [...used].sort((x, y) => x - y) });
        }
      });
      return hits;
    },
  };
}
