/** Text clean-up shared by the knowledge-base loader and the matcher. */

// Control characters (except tab and newline), zero-width and bidi marks, BOM, soft hyphen.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;
const APOSTROPHES = /['\u2018\u2019\u02BC`´]/g;
const LETTER = /\p{L}/u;
const LATIN_LETTER = /\p{Script=Latin}/u;

/** Removes control and zero-width characters and unifies Unicode forms. Keeps emoji. */
export function cleanInput(text: string): string {
  return text.normalize("NFKC").replace(INVISIBLE, "").trim();
}

/**
 * Lowercase words and numbers of a text, in order. Apostrophes vanish ("don't" → "dont"),
 * a pain score like "9/10" stays one token, and everything else that is not a letter
 * or digit separates words.
 */
export function words(text: string): string[] {
  const lowered = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(APOSTROPHES, "");
  return lowered.match(/\d+\/\d+|[\p{L}\p{N}]+/gu) ?? [];
}

/** Case-, accent- and punctuation-blind form of a text, for spotting duplicates. */
export function comparable(text: string): string {
  return words(text).join(" ");
}

/** True when the text has letters and most of them are not Latin script. */
export function isMostlyNonLatin(text: string): boolean {
  let letters = 0;
  let latin = 0;
  for (const char of text) {
    if (!LETTER.test(char)) continue;
    letters++;
    if (LATIN_LETTER.test(char)) latin++;
  }
  return letters > 0 && latin / letters < 0.5;
}

/** The text with its letters of other scripts removed: the words an English reader can read. */
export function latinPart(text: string): string {
  return text
    .replace(/[\p{L}\p{M}]+/gu, (word) => (LATIN_LETTER.test(word) ? word : " "))
    .replace(/\s+/g, " ")
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
}
