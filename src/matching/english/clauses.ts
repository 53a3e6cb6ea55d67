/** Where a sentence ends: a full stop (not the point of "38.5"), "!", "?" or a line break. */
const SENTENCE_ENDS = String.raw`(?<!\d)\.|\.(?!\d)|[!?\n؟]`;
/**
 * Where an English message breaks into clauses: sentence ends (not the point of "38.5"), colons,
 * semicolons, line breaks, commas (also Arabic ones), brackets, emoji, slashes (not the one of
 * "9/10"), dashes, "but", and after a laugh typed out ("lol", "haha"), which closes a clause as
 * its emoji does: "omg I have a fever lol can I carry my son". The one clause splitter every
 * detector uses; without commas, it gives the spans a list of symptoms can run across.
 */
const LAUGHS = String.raw`l+o+l+(?:o+l+)*|lmf?a+o+|rofl|jk|xd|(?:h+[ae]+){2,}h*|(?:j+a+){2,}j*|ha(?: ha)+`;
const BREAKS_BUT_COMMAS = String.raw`(?:${SENTENCE_ENDS}|[;:؛()[\]]|\p{Extended_Pictographic}|(?<!\d)\/|\/(?!\d)|-{2,})+|\s[-–—]\s|\s+(?=\bbut\b)|(?<=\b(?:${LAUGHS}))\s+`;
const CLAUSE_BREAK = new RegExp(`${BREAKS_BUT_COMMAS}|[,،]\\s*`, "iu");
/** The same breaks but commas: a list of words ("hot, red and swollen") stays together. */
const BREAK_BUT_COMMAS = new RegExp(BREAKS_BUT_COMMAS, "iu");

export interface ClauseOptions {
  /** Whether a comma ends a clause (default true). */
  readonly commas?: boolean;
}

/** Sentence ends, kept by `split` (a capturing group) so that a question can be told. */
const SENTENCE_END = new RegExp(`((?:${SENTENCE_ENDS})+)`, "u");

export interface Sentence {
  readonly text: string;
  /** Whether it ends with a question mark. */
  readonly question: boolean;
}

/** The message's sentences: the spans a clause breaks into are always inside one of them. */
export function splitSentences(text: string): Sentence[] {
  const parts = text.split(SENTENCE_END);
  const sentences: Sentence[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const sentence = parts[i]!.trim();
    if (/[\p{L}\p{N}]/u.test(sentence)) sentences.push({ text: sentence, question: /[?؟]/u.test(parts[i + 1] ?? "") });
  }
  return sentences;
}

export function splitClauses(text: string, { commas = true }: ClauseOptions = {}): string[] {
  return text
    .split(commas ? CLAUSE_BREAK : BREAK_BUT_COMMAS)
    .map((part) => part.trim())
    .filter((part) => /[\p{L}\p{N}]/u.test(part));
}

