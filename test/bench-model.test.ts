import { describe, expect, it } from "vitest";
import { syntheticKnowledgeBase, syntheticModel } from "../bench/synthetic.js";
import { loadKnowledgeBase } from "../src/knowledge/load.js";
import { loadOrTrainModel } from "../src/matching/model/cache.js";
import { createHybridScorer } from "../src/matching/model/hybrid.js";
import { createEvidenceReader } from "../src/matching/evidence.js";
import { testEncoder } from "./helpers/engine.js";
import { SHIPPED_KNOWLEDGE_DIR } from "./helpers/knowledge-copy.js";

describe("the benchmark's synthetic model", () => {
  it("has the shipped model's shapes, so that its timings are those of a real model of that size", async () => {
    const shipped = loadKnowledgeBase(SHIPPED_KNOWLEDGE_DIR);
    const encoder = await testEncoder();
    const real = await loadOrTrainModel(shipped, encoder);
    const kb = syntheticKnowledgeBase(shipped, 60);
    const model = syntheticModel(kb, real);
    expect(model.main.W).toHaveLength(model.classes.length * real.main.sharedSize);
    const verdict = await createHybridScorer(model, encoder).score(createEvidenceReader(kb).read("when will i see my final result"));
    expect(verdict.probabilities).toHaveLength(kb.entries.length + 2);
    expect([...verdict.probabilities].every(Number.isFinite)).toBe(true);
  });
});
