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
 * 0 means the words must follow each other exactly, in order. A phrase's token may hold
 * several words separated by spaces ("can not"): those must follow each other exactly
 * wherever the token stands, so "can not keep … down" never finds "I can keep it down, not sick".
 */
export function createPhraseFinder<T>(phrases: readonly { tokens: readonly string[]; label: T }[], window: number): PhraseFinder<T> {
  const byToken = new Map<string, { units: readonly (readonly string[])[]; label: T }[]>();
  for (const phrase of phrases) {
    const units = phrase.tokens.map((token) => token.split(" ").filter(Boolean)).filter((unit) => unit.length > 0);
    // Exact order: the units are one run of words.
    const arranged = window === 0 ? [units.flat()] : units;
    const first = arranged[0]?.[0];
    if (first === undefined) continue;
    const list = byToken.get(first);
    if (list) list.push({ units: arranged, label: phrase.label });
    else byToken.set(first, [{ units: arranged, label: phrase.label }]);
  }
  return {
    find(tokens, alternatives) {
      const hits: PhraseHit<T>[] = [];
      const matches = alternatives
        ? (at: number, wanted: string) => tokens[at] === wanted || (alternatives[at]?.includes(wanted) ?? false)
        : (at: number, wanted: string) => tokens[at] === wanted;
      /** The positions a unit takes if it starts at `at`, or undefined if it does not match there or overlaps `used`. */
      const place = (unit: readonly string[], at: number, used: ReadonlySet<number>) => {
        if (at < 0 || at + unit.length > tokens.length) return undefined;
        const positions = unit.map((_, offset) => at + offset);
        return positions.every((position, offset) => !used.has(position) && matches(position, unit[offset]!)) ? positions : undefined;
      };
      tokens.forEach((_, at) => {
        const starts = alternatives ? new Set(alternatives[at] ?? [tokens[at]!]) : [tokens[at]!];
        for (const phrase of [...starts].flatMap((token) => byToken.get(token) ?? [])) {
          const [head, ...rest] = phrase.units;
          const used = new Set(place(head!, at, new Set()));
          if (used.size === 0) continue;
          const complete = rest.every((unit) => {
            for (let distance = 1; distance <= window; distance++) {
              for (const candidate of [at + distance, at - distance]) {
                const positions = place(unit, candidate, used);
                if (positions !== undefined) {
                  for (const position of positions) used.add(position);
                  return true;
                }
              }
            }
            return false;
          });
          if (!complete) continue;
          const sorted = [...used].sort((x, y) => x - y);
          hits.push({ label: phrase.label, from: sorted[0]!, to: sorted.at(-1)!, at: sorted });
        }
      });
      return hits;
    },
  };
}
