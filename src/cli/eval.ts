import { evaluate, formatSummary, loadEvalSet, summarizeResults, unknownEntryIds } from "../evaluation.js";
import { loadKnowledgeBase } from "../knowledge/load.js";
import { loadUniversalSentenceEncoder } from "../encoders/universal-sentence-encoder.js";
import { loadOrTrainModel } from "../matching/model/cache.js";
import { crossValidationReport, type CrossValidationReport } from "../matching/model/cross-validation.js";
import { createCoreFor, printProgress } from "../session.js";
import { knowledgeDirOf, parseCliArgs, runCli } from "./common.js";

const USAGE = "usage: npm run eval -- FILE [--json] [--knowledge DIR]\n       npm run eval -- --cv [--json] [--knowledge DIR]";

/**
 * `npm run eval -- FILE`: runs an evaluation set through the engine and prints its misses and figures.
 * `npm run eval -- --cv`: the cross-validation over the knowledge base's own phrasings and examples.
 */
runCli(async () => {
  const { positional, flags, values } = parseCliArgs(process.argv.slice(2), { usage: USAGE, flags: ["json", "cv"], values: ["knowledge"] });
  const kb = loadKnowledgeBase(knowledgeDirOf(values));
  if (flags.cv) {
    const model = await loadOrTrainModel(kb, await loadUniversalSentenceEncoder(), { progress: printProgress });
    const report = crossValidationReport(model, kb.settings.matcher);
    console.log(flags.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return 0;
  }
  const file = positional[0];
  if (!file) throw new Error(USAGE);
  const items = loadEvalSet(file);
  // A misspelt id would only count as a miss: the figures would be wrong without a word.
  const unknown = unknownEntryIds(items, kb.entries.map((entry) => entry.id));
  if (unknown.size > 0) {
    const lines = [...unknown].map(([id, at]) => `${file}: unknown entry id "${id}" (item${at.length === 1 ? "" : "s"} ${at.join(", ")})`);
    throw new Error(`${lines.join("\n")}\nUse the ids of the knowledge base's entries, or fallback, urgent or smalltalk.`);
  }
  const { assistant } = await createCoreFor(kb, { progress: printProgress });
  const results = await evaluate(items, (text) => assistant.reply(text));
  const summary = summarizeResults(results);
  if (flags.json) {
    console.log(JSON.stringify({ summary, items: results }, null, 2));
    return 0;
  }
  const misses = results.filter((result) => !["correct", "right"].includes(result.verdict));
  for (const miss of misses) {
    const got = miss.entryId ?? (miss.options.length ? `${miss.kind} [${miss.options.join(", ")}]` : miss.kind);
    const expected = Array.isArray(miss.expect) ? miss.expect.join(" | ") : miss.expect;
    console.log(`${miss.verdict.toUpperCase()}: "${miss.q}"\n    expected ${expected}; got ${got}${miss.confidence !== null ? ` (${miss.confidence})` : ""}`);
  }
  console.log(formatSummary("assistant", summary));
  return 0;
});

function formatReport(report: CrossValidationReport): string {
  const f = (value: number) => value.toFixed(3);
  const lines = [
    `Cross-validation, ${report.folds} folds over ${report.messages} phrasings and examples (each predicted by a model that never saw it):`,
    `  entries: accuracy ${f(report.accuracy)}, wrong rate ${f(report.wrongRate)}; out of scope declined ${f(report.fallbackRate)}; small talk ${f(report.smalltalkRate)}`,
    `  urgent (the detector's folds: its urgent and calm examples and every phrasing above): recall ${f(report.urgent.recall)} of ${report.urgent.positives} emergencies, false alarms ${report.urgent.falseAlarms} of ${report.urgent.negatives} other messages`,
    "",
    "Per entry (lowest accuracy first; add phrasings to the weak ones):",
    ...[...report.entries]
      .sort((a, b) => a.accuracy - b.accuracy)
      .map((entry) => `  ${entry.id.padEnd(26)} accuracy ${f(entry.accuracy)}  wrong ${f(entry.wrongRate)}  (${entry.phrasings} phrasings)`),
    "",
    "Most confused (a phrasing of the first answered as the second):",
    ...(report.confused.length ? report.confused.map((pair) => `  ${pair.count} × ${pair.expected} → ${pair.answered}`) : ["  none"]),
  ];
  return lines.join("\n");
}
