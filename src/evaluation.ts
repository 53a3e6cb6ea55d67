import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { Reply } from "./assistant.js";

/** What an evaluation item expects: entry ids (any is right) or a reply kind. */
export type Expectation = { readonly entries: readonly string[] } | { readonly kind: "fallback" | "urgent" | "smalltalk" };

export interface EvalItem {
  readonly q: string;
  readonly expect: Expectation;
}

/** The outcome of one item, as `--json` prints it. */
export interface ItemResult {
  readonly q: string;
  readonly expect: string | readonly string[];
  readonly kind: Reply["kind"];
  readonly entryId: string | null;
  readonly options: readonly string[];
  readonly confidence: number | null;
  readonly verdict: Verdict;
}

export type Verdict = "correct" | "reached" | "wrong" | "missed" | "right" | "false-alarm";

export interface EvalSummary {
  readonly accuracy: number;
  readonly reach: number;
  readonly wrongRate: number;
  readonly fallbackRate: number;
  readonly urgentRecall: number;
  readonly falseAlarms: number;
  readonly smalltalkRate: number;
  readonly n: number;
}

const KINDS = new Set(["fallback", "urgent", "smalltalk"]);

/** Reads an evaluation file (format: version 1, `questions: [{q, expect}]`); throws with the item number on a bad item. */
export function loadEvalSet(path: string): EvalItem[] {
  const document = parse(readFileSync(path, "utf8")) as { questions?: unknown };
  if (!document || !Array.isArray(document.questions)) throw new Error(`${path}: expected a "questions" list`);
  return document.questions.map((raw: unknown, index: number): EvalItem => {
    const item = raw as { q?: unknown; expect?: unknown };
    if (typeof item?.q !== "string") throw new Error(`${path}: item ${index + 1} has no "q" text`);
    const expect = item.expect;
    if (typeof expect === "string" && KINDS.has(expect)) return { q: item.q, expect: { kind: expect as "fallback" } };
    const entries = typeof expect === "string" ? [expect] : expect;
    if (!Array.isArray(entries) || entries.length === 0 || !entries.every((id) => typeof id === "string")) {
      throw new Error(`${path}: item ${index + 1} ("${item.q}") has no valid "expect"`);
    }
    return { q: item.q, expect: { entries } };
  });
}

/** The expected entry ids of an evaluation set that the knowledge base lacks, each with the items (1-based) that name it. */
export function unknownEntryIds(items: readonly EvalItem[], knownIds: readonly string[]): Map<string, number[]> {
  const known = new Set(knownIds);
  const unknown = new Map<string, number[]>();
  items.forEach((item, index) => {
    if (!("entries" in item.expect)) return;
    for (const id of item.expect.entries) if (!known.has(id)) unknown.set(id, [...(unknown.get(id) ?? []), index + 1]);
  });
  return unknown;
}

function entryOf(reply: Reply): string | null {
  return reply.kind === "answer" ? reply.entry.id : null;
}

/** Scores one reply as ../shared/eval/README.md describes. */
export function judge(item: EvalItem, reply: Reply): ItemResult {
  const entryId = entryOf(reply);
  const options = reply.kind === "clarify" ? reply.options.map((entry) => entry.id) : [];
  let verdict: Verdict;
  if ("entries" in item.expect) {
    const expected = item.expect.entries;
    if (entryId !== null) verdict = expected.includes(entryId) ? "correct" : "wrong";
    else if (options.some((id) => expected.includes(id))) verdict = "reached";
    else verdict = reply.kind === "urgent" ? "false-alarm" : "missed";
  } else if (item.expect.kind === "fallback") {
    verdict = entryId !== null ? "wrong" : reply.kind === "urgent" ? "false-alarm" : "right";
  } else if (item.expect.kind === "urgent") {
    verdict = reply.kind === "urgent" ? "right" : entryId !== null ? "wrong" : "missed";
  } else {
    verdict = reply.kind === "smalltalk" ? "right" : entryId !== null ? "wrong" : reply.kind === "urgent" ? "false-alarm" : "missed";
  }
  return {
    q: item.q,
    expect: "entries" in item.expect ? item.expect.entries : item.expect.kind,
    kind: reply.kind,
    entryId,
    options,
    confidence: reply.kind === "answer" || reply.kind === "clarify" ? reply.confidence : null,
    verdict,
  };
}

export function summarizeResults(results: readonly ItemResult[]): EvalSummary {
  const count = (filter: (result: ItemResult) => boolean) => results.filter(filter).length;
  const ratio = (part: number, whole: number) => (whole === 0 ? 1 : Math.round((part / whole) * 1000) / 1000);
  const entryItems = count((r) => Array.isArray(r.expect));
  const ofKind = (kind: string) => count((r) => r.expect === kind);
  const rightOfKind = (kind: string) => count((r) => r.expect === kind && r.verdict === "right");
  return {
    accuracy: ratio(count((r) => Array.isArray(r.expect) && r.verdict === "correct"), entryItems),
    reach: ratio(count((r) => Array.isArray(r.expect) && (r.verdict === "correct" || r.verdict === "reached")), entryItems),
    wrongRate: ratio(count((r) => r.verdict === "wrong"), results.length),
    fallbackRate: ratio(rightOfKind("fallback"), ofKind("fallback")),
    urgentRecall: ratio(rightOfKind("urgent"), ofKind("urgent")),
    falseAlarms: count((r) => r.kind === "urgent" && r.expect !== "urgent"),
    smalltalkRate: ratio(rightOfKind("smalltalk"), ofKind("smalltalk")),
    n: results.length,
  };
}

export function formatSummary(label: string, summary: EvalSummary): string {
  const f = (value: number) => value.toFixed(3);
  return (
    `${label}: accuracy ${f(summary.accuracy)}, reach ${f(summary.reach)}, wrong rate ${f(summary.wrongRate)}, ` +
    `fallback ${f(summary.fallbackRate)}, urgent recall ${f(summary.urgentRecall)}, false alarms ${summary.falseAlarms}, ` +
    `small talk ${f(summary.smalltalkRate)}, n ${summary.n}`
  );
}

/** Runs every item through a replier, one after the other, and scores it. */
export async function evaluate(items: readonly EvalItem[], replyTo: (text: string) => Reply | Promise<Reply>): Promise<ItemResult[]> {
  const results: ItemResult[] = [];
  for (const item of items) results.push(judge(item, await replyTo(item.q)));
  return results;
}
