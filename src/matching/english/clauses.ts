/**
 * Where an English message breaks into clauses: sentence ends (not the point of "38.5"), colons,
 * semicolons, line breaks, commas (also Arabic ones), brackets, emoji, slashes (not the one of
 * "9/10"), dashes and "but". The one clause splitter every detector uses; without commas, it
 * gives the spans a list of symptoms can run across.
 */
const BREAKS_BUT_COMMAS = String.raw`(?:(?<!\d)\.|\.(?!\d)|[!?;:\n؟؛()[\]]|\p{Extended_Pictographic}|(?<!\d)\/|\/(?!\d)|-{2,})+|\s[-–—]\s|\s+(?=\bbut\b)`;
const CLAUSE_BREAK = new RegExp(`${BREAKS_BUT_COMMAS}|[,،]\\s*`, "iu");
/** The same breaks but commas: a list of words ("hot, red and swollen") stays together. */
const BREAK_BUT_COMMAS = new RegExp(BREAKS_BUT_COMMAS, "iu");

export interface ClauseOptions {
  /** Whether a comma ends a clause (default true). */
  readonly commas?: boolean;
}

export function splitClauses(text: string, { commas = true }: ClauseOptions = {}): string[] {
  return text
    .split(commas ? CLAUSE_BREAK : BREAK_BUT_COMMAS)
    .map((part) => part.trim())
    .filter((part) => /[\p{L}\p{N}]/u.test(part));
}

