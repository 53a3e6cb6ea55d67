import type { RedFlagReading as Reading } from "../knowledge/types.js";

/** How many words before a number its reading word may stand ("temp is now 38.6"). */
const WORDS_BEFORE = 4;
/** How many words after ("39.2 degrees fever", "130 bpm"). */
const WORDS_AFTER = 2;
/** Words and numbers, a number keeping its decimals with a point or a comma ("38,6"). */
const TOKEN = /\d+(?:[.,]\d+)?|\p{L}+/gu;

/**
 * Finds a reading a patient gives as a number that is a red flag in itself: a reading word near
 * a number in its range ("my heart rate is 130 lying in bed", "thermometer says 38.9°C",
 * "temp 101.5F"). Gives the name of the red flag, or undefined.
 */
export function createReadingFinder(readings: readonly Reading[]): (text: string) => string | undefined {
  const kinds = readings.map((reading) => ({ ...reading, words: reading.words.map((phrase) => tokensOf(phrase)) }));
  return (text) => {
    const tokens = tokensOf(text);
    for (let at = 0; at < tokens.length; at++) {
      if (!/^\d/.test(tokens[at]!)) continue;
      const value = Number(tokens[at]!.replace(",", "."));
      for (const kind of kinds) {
        if (value < kind.from || value > kind.to) continue;
        const near = kind.words.some((phrase) =>
          tokens.some((_, start) => {
            const end = start + phrase.length - 1;
            const close = (end < at && at - end <= WORDS_BEFORE) || (start > at && start - at <= WORDS_AFTER);
            return close && phrase.every((word, offset) => tokens[start + offset] === word);
          }),
        );
        if (near) return kind.name;
      }
    }
    return undefined;
  };
}

function tokensOf(text: string): string[] {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().match(TOKEN) ?? [];
}
