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

/** Arabic "and"/"so" and the article with the prepositions fused to it, then a lone preposition. */
const ARABIC_CONJUNCTION = /^[وف](?=\p{L}{3})/u;
const ARABIC_ARTICLE = /^(?:بال|كال|فال|وال|لل|ال)(?=\p{L}{3})/u;
const ARABIC_PREPOSITION = /^[بلك](?=\p{L}{3})/u;

/**
 * An Arabic word (as `words` gives it: hamzas and vowel marks already gone) without the letters
 * written onto its front ("بالتنفس", "with the breathing", is "تنفس") and with the letters that are
 * often typed for one another made one (ة and ه, ى and ي), so one form in a phrase list matches the
 * forms patients type. Only what is left of three letters or more loses a prefix: "بطن" stays. Other
 * words come back as they are.
 */
export function foldArabic(word: string): string {
  if (!/^[\u0600-\u06ff]+$/u.test(word)) return word;
  const folded = word.replace(/ة/gu, "ه").replace(/ى/gu, "ي");
  return folded.replace(ARABIC_CONJUNCTION, "").replace(ARABIC_ARTICLE, "").replace(ARABIC_PREPOSITION, "");
}

/**
 * Russian case and number endings, longest first, as `words` leaves them (й is и, ё is е there).
 * Not a lone у or ю: they also end verbs ("температурю", I run a temperature, is no "температура").
 */
const RUSSIAN_ENDINGS = /(?:иями|ями|ами|ого|его|ому|ему|ыми|ими|ои|еи|ии|ыи|ая|яя|ое|ее|ые|ие|ую|юю|ом|ем|ах|ях|ов|ев|ью|ия|а|я|ы|и|е|о|ь)$/u;

/**
 * A Russian word without its case or number ending ("одышки", "одышкой" and "одышка" are
 * "одышк"), so that one form in a phrase list matches the others. Short words ("жар", "гной") and
 * words that would keep fewer than four letters stay as they are; other words come back as they are.
 */
export function foldRussian(word: string): string {
  if (word.length < 5 || !/^[\u0400-\u04ff]+$/u.test(word)) return word;
  const stripped = word.replace(RUSSIAN_ENDINGS, "");
  return stripped.length >= 4 ? stripped : word;
}

/** A word of another language as the clinic's list compares it (see foldArabic, foldRussian). */
export function foldForList(word: string): string {
  return foldRussian(foldArabic(word));
}
