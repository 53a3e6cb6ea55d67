import { readdirSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadKnowledgeBase } from "../src/knowledge/load.js";
import type { KnowledgeBase } from "../src/knowledge/types.js";
import { isPrepared } from "../src/matching/model/bank.js";
import { charGrams, CHAR_GRAM_DIMENSION } from "../src/matching/model/char-grams.js";
import { loadOrTrainModel, trainingKey } from "../src/matching/model/cache.js";
import { ordinaryCloseness } from "../src/matching/model/features.js";
import { normalize, type SentenceEncoder } from "../src/matching/model/encoder.js";
import { deserializeModel, serializeModel } from "../src/matching/model/serialize.js";
import { fitTemperature, predict, softmax, train, trainMany } from "../src/matching/model/softmax.js";
import { foldsOf, trainModel } from "../src/matching/model/train.js";
import { SHIPPED_KNOWLEDGE_DIR } from "./helpers/knowledge-copy.js";
import { temporaryDir } from "./helpers/temporary.js";

/** A stand-in encoder for fast tests: texts sharing words get similar vectors (hashed bag of words). */
const bagOfWords: SentenceEncoder = {
  id: "test-bag-of-words@1",
  dimension: 64,
  async embed(texts) {
    return texts.map((text) => {
      const vector = new Float32Array(64);
      for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
        let hash = 7;
        for (const char of word) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
        vector[hash % 64]! += 1;
      }
      return normalize(vector);
    });
  },
};

/** The shipped knowledge base cut down to a few phrasings and examples per class, so training takes a moment. */
function smallKnowledgeBase(): KnowledgeBase {
  const kb = loadKnowledgeBase(SHIPPED_KNOWLEDGE_DIR);
  return {
    ...kb,
    entries: kb.entries.map((entry) => ({ ...entry, alternates: entry.alternates.slice(0, 8) })),
    examples: {
      out_of_scope: kb.examples.out_of_scope.slice(0, 6).map((group) => ({ ...group, questions: group.questions.slice(0, 5) })),
      urgent: kb.examples.urgent.slice(0, 30),
      not_urgent: kb.examples.not_urgent.slice(0, 30),
      smalltalk: Object.fromEntries(Object.entries(kb.examples.smalltalk).map(([kind, list]) => [kind, list.slice(0, 6)])) as unknown as KnowledgeBase["examples"]["smalltalk"],
    },
  };
}

describe("character n-grams", () => {
  const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

  it("give a unit-length vector of fixed length, the same for the same text", () => {
    const vector = charGrams("Fever of 38.9 since last night");
    expect(vector).toHaveLength(CHAR_GRAM_DIMENSION);
    expect(cosine(vector, vector)).toBeCloseTo(1, 5);
    expect(charGrams("Fever of 38.9 since last night")).toEqual(vector);
    expect(charGrams("")).toEqual(new Float32Array(CHAR_GRAM_DIMENSION));
  });

  it("bring a misspelling, a cognate and an accent closer to the word than an unrelated word", () => {
    const fever = charGrams("fever");
    expect(cosine(fever, charGrams("fevr"))).toBeGreaterThan(cosine(fever, charGrams("fear")));
    expect(cosine(charGrams("temperature"), charGrams("temperatura"))).toBeGreaterThan(0.4);
    expect(cosine(charGrams("fièbre"), charGrams("fiebre"))).toBeCloseTo(1, 5);
    expect(cosine(charGrams("температура 39"), charGrams("температура"))).toBeGreaterThan(0.5);
  });
});

describe("the urgent detector's features", () => {
  it("count closeness to the entries and out-of-scope questions as ordinary, not closeness to small talk", () => {
    // Classes: one entry, out of scope, small talk.
    const near = (max: number[]) => ({ whole: { max: Float32Array.from(max), top3: new Float32Array(3), nearest: new Int32Array(3) }, bestClause: new Float32Array(3) });
    expect(ordinaryCloseness(near([0.2, 0.3, 0.9]))).toBeCloseTo(0.3);
    expect(ordinaryCloseness(near([0.7, 0.3, 0.1]))).toBeCloseTo(0.7);
  });
});

describe("the softmax model", () => {
  it("learns a separable problem and predicts probabilities that sum to one", () => {
    const examples = [0, 1, 2].flatMap((label) =>
      Array.from({ length: 10 }, (_, i) => {
        const shared = new Float32Array(3);
        shared[label] = 1 + i / 20;
        return { shared, perClass: new Float32Array(3), label, weight: 1 };
      }),
    );
    const model = train(examples, { classes: 3, sharedSize: 3, perClassSize: 1, epochs: 60, learningRate: 0.2, l2: 0, l2PerClass: 0, useShared: true });
    for (const example of examples) {
      const p = predict(model, example.shared, example.perClass);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(p.indexOf(Math.max(...p))).toBe(example.label);
    }
  });

  it("fits the temperature that makes over-confident scores honest", () => {
    // Scores twice too sharp: the true temperature is 2.
    const heldOut = Array.from({ length: 400 }, (_, i) => {
      const logits = Float64Array.from([4, 0]);
      const p = softmax(logits, 2);
      return { logits, label: i / 400 < p[0]! ? 0 : 1, weight: 1 };
    });
    expect(fitTemperature(heldOut)).toBeCloseTo(2, 1);
  });
});

describe("training several models at once", () => {
  it("gives the same models as training them in turn, on worker threads", async () => {
    const examples = Array.from({ length: 60 }, (_, i) => ({
      shared: Float32Array.from([i % 3 === 0 ? 1 : 0, i % 3 === 1 ? 1 : 0, (i % 7) / 7, 0]),
      perClass: Float32Array.from([i % 3 === 0 ? 1 : 0, i % 3 === 1 ? 1 : 0, i % 3 === 2 ? 1 : 0]),
      label: i % 3,
      weight: 1 + (i % 2),
    }));
    const options = { classes: 3, sharedSize: 4, perClassSize: 1, epochs: 30, learningRate: 0.2, l2: 1e-4, l2PerClass: 1e-4, useShared: true };
    const jobs = [0, 1, 2, 3].map((f) => ({ examples: examples.filter((_, i) => i % 4 !== f), options }));
    const done: number[] = [];
    const together = await trainMany(jobs, (count) => done.push(count), 2);
    expect(together).toEqual(jobs.map((job) => train(job.examples, job.options)));
    expect(done).toEqual([1, 2, 3, 4]);
  });
});

describe("the split of training examples into folds", () => {
  const texts = Array.from({ length: 3_000 }, (_, i) => `phrasing number ${i} about my hips`);

  it("puts a text in the same fold whatever the other texts, so a new phrasing moves no other", () => {
    const before = foldsOf(texts, 3, 42);
    const after = foldsOf(["a new phrasing", ...texts.slice(0, 1_500), "another one", ...texts.slice(1_500)], 3, 42);
    expect([...after.slice(1, 1_501), ...after.slice(1_502)]).toEqual([...before]);
  });

  it("fills every fold about equally, and another seed gives another split", () => {
    const folds = foldsOf(texts, 3, 42);
    for (let fold = 0; fold < 3; fold++) expect(folds.filter((f) => f === fold).length).toBeGreaterThan(900);
    const other = foldsOf(texts, 3, 43);
    expect(other.filter((fold, i) => fold !== folds[i]).length).toBeGreaterThan(1_500);
  });
});

describe("training", () => {
  it("is deterministic: the same knowledge base gives the same model, byte for byte", async () => {
    const kb = smallKnowledgeBase();
    const first = serializeModel(await trainModel(kb, bagOfWords));
    const second = serializeModel(await trainModel(kb, bagOfWords));
    expect(second).toBe(first);
    const model = deserializeModel(first);
    expect(model.classes).toEqual([...kb.entries.map((entry) => entry.id), "out-of-scope", "smalltalk"]);
    expect(model.bank.vectors).toBeInstanceOf(Float32Array);
    expect(model.urgentThreshold).toBeGreaterThan(0);
    expect(model.crossValidation.items.length).toBeGreaterThan(100);
    // The urgent detector's thresholds come from several different splits into folds: the recall
    // threshold is their mean, the list's veto (a bound for safety) the lowest of theirs.
    const splits = model.crossValidation.urgentSplits;
    expect(splits.length).toBeGreaterThanOrEqual(3);
    expect(new Set(splits.map((split) => split.threshold)).size).toBeGreaterThan(1);
    expect(model.urgentThreshold).toBeCloseTo(splits.reduce((sum, split) => sum + split.threshold, 0) / splits.length, 12);
    expect(model.listVeto).toBe(Math.min(...splits.map((split) => split.veto)));
    // The held-out report decides as the assistant does: a listed sign stands unless the detector
    // reads it below the veto, and the detector alone raises an alarm at its threshold.
    const { urgent, urgentItems } = model.crossValidation;
    const flagged = urgentItems.filter((item) => (item.byList && !(item.probability < model.listVeto)) || item.probability >= model.urgentThreshold);
    expect(flagged.filter((item) => item.urgent).length / urgent.positives).toBe(urgent.recall);
    expect(flagged.filter((item) => !item.urgent).length).toBe(urgent.falseAlarms);
  });

  it("is cached by content: a second load trains nothing, an edited phrasing trains again, old models are pruned", async () => {
    const cacheDir = temporaryDir("model-cache-");
    const kb = smallKnowledgeBase();
    const steps: string[] = [];
    await loadOrTrainModel(kb, bagOfWords, { cacheDir, progress: (step) => steps.push(step) });
    expect(steps.length).toBeGreaterThan(0);
    steps.length = 0;
    const cached = await loadOrTrainModel(kb, bagOfWords, { cacheDir, progress: (step) => steps.push(step) });
    expect(steps).toEqual([]);
    // The similarity kernels are made at load, not in the first reply.
    expect([isPrepared(cached.bank), isPrepared(cached.urgentBank)]).toEqual([true, true]);

    const answerEdited = { ...kb, entries: kb.entries.map((entry, i) => (i === 0 ? { ...entry, answer: "Edited." } : entry)) };
    expect(trainingKey(answerEdited, bagOfWords.id)).toBe(trainingKey(kb, bagOfWords.id));
    for (let edit = 1; edit <= 5; edit++) {
      const edited = { ...kb, entries: kb.entries.map((entry, i) => (i === 0 ? { ...entry, alternates: [...entry.alternates, `what is it, version ${edit}`] } : entry)) };
      expect(trainingKey(edited, bagOfWords.id)).not.toBe(trainingKey(kb, bagOfWords.id));
      await loadOrTrainModel(edited, bagOfWords, { cacheDir, progress: (step) => steps.push(step) });
      const newest = readdirSync(cacheDir).filter((name) => name.startsWith("model-"));
      // Modification times a second apart, so that "newest" is well defined on any file system.
      for (const [index, name] of newest.entries()) utimesSync(join(cacheDir, name), edit + index / 10, edit + index / 10);
    }
    expect(steps.length).toBeGreaterThan(0);
    expect(readdirSync(cacheDir).filter((name) => name.startsWith("model-")).length).toBeLessThanOrEqual(4);
    expect(readdirSync(cacheDir).filter((name) => name.startsWith("vectors-"))).toHaveLength(1);
  }, 60_000);
});
