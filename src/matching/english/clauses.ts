/**
 * Where an English message breaks into clauses: sentence ends (not the point of "38.5"), colons,
 * semicolons, line breaks, commas (also Arabic ones), brackets, emoji, slashes (not the one of
 * "9/10"), dashes and "but". The one clause splitter every detector uses.
 */
const CLAUSE_BREAK = /(?:(?<!\d)\.|\.(?!\d)|[!?;:\n؟؛()[\]]|\p{Extended_Pictographic}|(?<!\d)\/|\/(?!\d)|-{2,})+|[,،]\s*|\s[-–—]\s|\s+(?=\bbut\b)/iu;

export function splitClauses(text: string): string[] {
  return text
    .split(CLAUSE_BREAK)
    .map((part) => part.trim())
    .filter((part) => /[\p{L}\p{N}]/u.test(part));
}

