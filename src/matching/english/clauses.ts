/**
 * Where an English message breaks into clauses: sentence ends (not the point of "38.5"), colons,
 * semicolons, line breaks, commas and "but". The one clause splitter every detector uses.
 */
const CLAUSE_BREAK = /(?:(?<!\d)\.|\.(?!\d)|[!?;:\n؟؛])+|[,،]\s*|\s[-–—]\s|\s+(?=\bbut\b)/i;

export function splitClauses(text: string): string[] {
  return text
    .split(CLAUSE_BREAK)
    .map((part) => part.trim())
    .filter((part) => /[\p{L}\p{N}]/u.test(part));
}

