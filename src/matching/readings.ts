import type { RedFlagReading as Reading } from "../knowledge/types.js";
import { numbersInWords } from "./english/index.js";

/** How many words before a number its reading word may stand ("my temperature this morning was 38.5"). */
const WORDS_BEFORE = 4;
/** How many words after ("39.2 degrees", "130 bpm"). */
const WORDS_AFTER = 2;
/**
 * Words, numbers (keeping a decimal point or comma: "38,6"), times and fractions ("10:40",
 * "125/80"), the degree sign and sentence breaks.
 */
const TOKEN = /\d+[:/]\d+|-?\d+(?:[.,]\d+)?|\p{L}+|[°º]|[.!?;](?=\s+\p{L})|\n/gu;
/** A number a reading can be: "10:40", "125/80" and "-39" are tokens too, but no readings. */
const NUMBER = /^\d+(?:[.,]\d+)?$/;
/** A number written with one decimal, as a thermometer shows it ("38.9", "38,9"); a price has two. */
const DECIMAL = /^\d+[.,]\d$/;
/** Any token with digits: a reading word never reaches a number across another one. */
const NUMERIC = /^-?\d/;
const BREAK = /^[.!?;\n]$/;
/** Words right after a number that say it is not a reading: weights, doses, ages, dates, prices. */
const NOT_A_READING_AFTER = new Set(
  ("lbs lb pounds kg kgs kilos mg ml cc g years year yrs yr yo days day weeks week wk wks months month hours hour hrs " +
    "minutes minute min mins th st nd rd euros euro eur dollars dollar usd cm mm inches inch percent am pm times")
    .split(" "),
);
/** Words right before a number that say it is not a reading: "day 39", "I'm 39", "size 38". */
const NOT_A_READING_BEFORE = new Set("day days week weeks month months year years floor room size age aged im m page step level number no bed".split(" "));
/** Words shortly before "at 38.5" that say it measures something else: "my BMI is at 38.5". */
const NOT_MEASURED_BY_A_READING = new Set("bmi weight weigh size waist hip hips measurement measurements score".split(" "));
/** Digits of other scripts, read as the digits they are ("حرارة ٣٩"). */
const DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;
/** The Arabic decimal separator ("٣٨٫٩"). */
const ARABIC_DECIMAL = /\u066B/g;
/** Signs that make a number money, a share or a reference ("$38.9", "38.9%", "#38.9"). */
const NOT_A_READING_SIGN = /[\p{Sc}%#№]/u;

/** The words a reading is matched on, as the finder reads them (the loader checks with it that a word has any). */
export function readingTokens(text: string): string[] {
  const digits = text.replace(DIGITS, (digit) => String(digit.charCodeAt(0) & 0xf)).replace(ARABIC_DECIMAL, ".");
  return numbersInWords(digits.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().match(TOKEN) ?? []);
}

/**
 * Finds a reading a patient gives as a number that is a red flag in itself: a number in a
 * reading's range with one of its words nearby and nothing between them but words ("my heart
 * rate is 130 lying in bed", "thermometer says 38,9", "temp 101.5F"). Numbers that are weights,
 * ages, times, dates, prices or fractions ("110 lbs", "I'm 39", "10:40", "125/80") are no
 * readings. A word of words_before_decimal counts only right before a number written with one
 * decimal ("I'm at 38.9"); a message of nothing but numbers with one decimal counts in the
 * ranges of alone_with_decimal ("38.9", "38.5 39.1"), unless a sign makes them money or a share.
 * Gives the name of the red flag, or undefined.
 */
export function createReadingFinder(readings: readonly Reading[]): (text: string) => string | undefined {
  const phrasesOf = (list: "words" | "words_before_decimal") =>
    readings.flatMap((reading, kind) => reading[list].map((word) => ({ tokens: readingTokens(word), kind }))).filter((phrase) => phrase.tokens.length > 0);
  const phrases = phrasesOf("words");
  const decimalPhrases = phrasesOf("words_before_decimal");
  return (text) => {
    const tokens = readingTokens(text);
    // Nothing but readings ("38.9", "38.5 39.1"), and no sign that says money, a share or a number of something else.
    if (tokens.length > 0 && tokens.every((token) => DECIMAL.test(token)) && !NOT_A_READING_SIGN.test(text)) {
      const values = tokens.map((token) => Number(token.replace(",", ".")));
      const alone = readings.find((reading) => values.some((value) => within(reading.alone_with_decimal, value)));
      if (alone !== undefined) return alone.name;
    }
    // Where each reading's words end and start, and where a word that counts only right before a
    // decimal ends, found once.
    const endsAt = new Map<number, Set<number>>();
    const startsAt = new Map<number, Set<number>>();
    const decimalEndsAt = new Map<number, Set<number>>();
    const startsHere = (words: readonly string[], start: number) => words.every((word, offset) => tokens[start + offset] === word);
    for (let start = 0; start < tokens.length; start++) {
      for (const { tokens: words, kind } of phrases) {
        if (!startsHere(words, start)) continue;
        add(startsAt, start, kind);
        add(endsAt, start + words.length - 1, kind);
      }
      for (const { tokens: words, kind } of decimalPhrases) if (startsHere(words, start)) add(decimalEndsAt, start + words.length - 1, kind);
    }
    for (let at = 0; at < tokens.length; at++) {
      const token = tokens[at]!;
      if (!NUMBER.test(token)) continue;
      const before = tokens[at - 1] ?? "";
      const after = tokens[at + 1] ?? "";
      if (NOT_A_READING_AFTER.has(after) || NOT_A_READING_BEFORE.has(before)) continue;
      const value = Number(token.replace(",", "."));
      const inRange = (kind: number) => within(readings[kind]!.ranges, value);
      const decimalKinds = DECIMAL.test(token) ? decimalEndsAt.get(at - 1) : undefined;
      const otherMeasure = () => tokens.slice(Math.max(0, at - WORDS_BEFORE), at).some((word) => NOT_MEASURED_BY_A_READING.has(word));
      if (decimalKinds !== undefined && !otherMeasure()) for (const kind of decimalKinds) if (inRange(kind)) return readings[kind]!.name;
      // The nearest reading word on each side, with no other number and no sentence break between.
      for (const [step, reach, found] of [[-1, WORDS_BEFORE, endsAt], [1, WORDS_AFTER, startsAt]] as const) {
        for (let other = at + step, distance = 1; distance <= reach && other >= 0 && other < tokens.length; other += step, distance++) {
          const kinds = found.get(other);
          if (kinds) {
            for (const kind of kinds) if (inRange(kind)) return readings[kind]!.name;
            break;
          }
          if (NUMERIC.test(tokens[other]!) || BREAK.test(tokens[other]!)) break;
        }
      }
    }
    return undefined;
  };
}

/** Whether a value falls in one of the ranges, each inclusive. */
function within(ranges: Reading["ranges"], value: number): boolean {
  return ranges.some((range) => value >= range.from && value <= range.to);
}

function add(map: Map<number, Set<number>>, at: number, kind: number): void {
  const kinds = map.get(at);
  if (kinds) kinds.add(kind);
  else map.set(at, new Set([kind]));
}
