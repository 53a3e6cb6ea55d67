import { describe, expect, it } from "vitest";
import { evaluate, loadEvalSet, summarizeResults, type EvalSummary } from "../src/evaluation.js";
import { shippedCore } from "./helpers/engine.js";

/**
 * The last measurement of the locked set recorded in EVALUATION.md. The gate holds the engine
 * to it with a little slack in both directions: a change that moves a figure further than that,
 * better or worse, must be measured and recorded again, so one fix cannot hide one regression.
 */
// Measurements 1 to 3 of the twenty-fourth locked set in EVALUATION.md (2026-11-28/29, commits 86d4bf3, 85a8d75, 930ebcc).
const RECORDED: EvalSummary = {
  accuracy: 0.935,
  reach: 0.96,
  wrongRate: 0.018,
  fallbackRate: 0.865,
  urgentRecall: 1,
  falseAlarms: 10,
  smalltalkRate: 0.865,
  n: 330,
};
const SLACK = { rate: 0.025, falseAlarms: 2 };

describe("the locked evaluation set (test/eval/locked.yaml)", () => {
  it("scores as last recorded in EVALUATION.md, within the slack", async () => {
    const { assistant } = await shippedCore();
    const items = loadEvalSet(new URL("eval/locked.yaml", import.meta.url).pathname);
    expect(items.length).toBeGreaterThanOrEqual(200);
    const summary = summarizeResults(await evaluate(items, (text) => assistant.reply(text)));
    for (const key of ["accuracy", "reach", "wrongRate", "fallbackRate", "urgentRecall", "smalltalkRate"] as const) {
      expect(Math.abs(summary[key] - RECORDED[key]), `${key}: measured ${summary[key]}, recorded ${RECORDED[key]}`).toBeLessThanOrEqual(SLACK.rate);
    }
    // A missed emergency is the worst outcome: urgent recall has no slack downwards.
    expect(summary.urgentRecall, `urgent recall: measured ${summary.urgentRecall}, recorded ${RECORDED.urgentRecall}`).toBeGreaterThanOrEqual(RECORDED.urgentRecall);
    expect(Math.abs(summary.falseAlarms - RECORDED.falseAlarms), `false alarms: measured ${summary.falseAlarms}, recorded ${RECORDED.falseAlarms}`).toBeLessThanOrEqual(
      SLACK.falseAlarms,
    );
  }, 120_000);
});
