import { createAssistant } from "../assistant.js";
import { createFuseBaseline, evaluate, formatSummary, loadEvalSet, summarizeResults } from "../evaluation.js";
import { loadKnowledgeBase } from "../knowledge/load.js";
import { parseCliArgs, runCli } from "./common.js";

const USAGE = "usage: npm run eval -- FILE [--json] [--knowledge DIR]";

runCli(() => {
  const { positional, flags, values } = parseCliArgs(process.argv.slice(2), ["json"], ["knowledge"]);
  const file = positional[0];
  if (!file) throw new Error(USAGE);
  const kb = loadKnowledgeBase(values.knowledge ?? process.env.KNOWLEDGE_DIR ?? "knowledge");
  const items = loadEvalSet(file);
  const assistant = createAssistant(kb);
  const results = evaluate(items, (text) => assistant.reply(text));
  const summary = summarizeResults(results);
  const baseline = summarizeResults(evaluate(items, createFuseBaseline(kb)));
  if (flags.json) {
    console.log(JSON.stringify({ summary, baseline, items: results }, null, 2));
    return 0;
  }
  const misses = results.filter((result) => !["correct", "right"].includes(result.verdict));
  for (const miss of misses) {
    const got = miss.entryId ?? (miss.options.length ? `${miss.kind} [${miss.options.join(", ")}]` : miss.kind);
    const expected = Array.isArray(miss.expect) ? miss.expect.join(" | ") : miss.expect;
    console.log(`${miss.verdict.toUpperCase()}: "${miss.q}"\n    expected ${expected}; got ${got}${miss.confidence !== null ? ` (${miss.confidence})` : ""}`);
  }
  console.log(formatSummary("baseline (plain Fuse.js)", baseline));
  console.log(formatSummary("assistant", summary));
  return 0;
});
