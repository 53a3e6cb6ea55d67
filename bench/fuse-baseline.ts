import Fuse from "fuse.js";
import type { Reply } from "../src/assistant.js";
import type { KnowledgeBase } from "../src/knowledge/types.js";

/**
 * The yardstick the engine is compared with: plain Fuse.js, default options, over each
 * entry's question and alternates; it answers with its best hit, or falls back when it has none.
 */
export function createFuseBaseline(kb: KnowledgeBase): (text: string) => Reply {
  const documents = kb.entries.flatMap((entry) => [entry.question, ...entry.alternates].map((text) => ({ text, entry })));
  const fuse = new Fuse(documents, { keys: ["text"] });
  return (text) => {
    const [hit] = fuse.search(text, { limit: 1 });
    if (!hit) return { kind: "fallback", reason: "not-covered", topics: kb.topics };
    return { kind: "answer", entry: hit.item.entry, confidence: 1, related: [] };
  };
}
