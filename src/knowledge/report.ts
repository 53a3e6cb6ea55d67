import type { KnowledgeBase } from "./types.js";

/** Fewest alternates an entry should have for the matcher to recognise it reliably. */
const RECOMMENDED_ALTERNATES = 12;

/** Article paragraphs with content (settings' cited_paragraphs) that no entry cites. */
export function uncitedParagraphs(kb: KnowledgeBase): number[] {
  const cited = new Set(kb.entries.flatMap((entry) => entry.source));
  return kb.settings.source.cited_paragraphs.filter((paragraph) => !cited.has(paragraph));
}

/** One line: entries, alternates, topics, and which paragraphs no entry cites. */
export function summarize(kb: KnowledgeBase): string {
  const alternates = kb.entries.reduce((sum, entry) => sum + entry.alternates.length, 0);
  const uncited = uncitedParagraphs(kb);
  const paragraphs = kb.settings.source.cited_paragraphs;
  const range = `[${Math.min(...paragraphs)}]..[${Math.max(...paragraphs)}]`;
  const citation =
    uncited.length === 0
      ? `every paragraph ${range} cited`
      : `paragraphs not cited by any entry: ${uncited.map((p) => `[${p}]`).join(", ")}`;
  return `OK: ${kb.entries.length} entries, ${alternates} alternates, ${kb.topics.length} topics; ${citation}`;
}

/** Things that do not stop the bot but an operator should fix. */
export function knowledgeBaseWarnings(kb: KnowledgeBase): string[] {
  const warnings: string[] = [];
  for (const entry of kb.entries) {
    if (entry.alternates.length < RECOMMENDED_ALTERNATES) {
      warnings.push(`entry "${entry.id}" has ${entry.alternates.length} alternates; ${RECOMMENDED_ALTERNATES} or more help the bot recognise it`);
    }
  }
  const placeholders = Object.entries(kb.clinic).filter(([, value]) => /EXAMPLE|example\.com|placeholder/i.test(value));
  if (placeholders.length > 0) {
    warnings.push(`clinic.yaml still has placeholder values (${placeholders.map(([key]) => key).join(", ")}): replace them before going live`);
  }
  return warnings;
}
