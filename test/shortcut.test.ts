import { beforeAll, describe, expect, it } from "vitest";
import { createAssistant, type Assistant } from "../src/assistant.js";
import { loadKnowledgeBase } from "../src/knowledge/load.js";
import type { KnowledgeBase } from "../src/knowledge/types.js";
import { createEvidenceReader, type EvidenceReader } from "../src/matching/evidence.js";
import { loadOrTrainModel } from "../src/matching/model/cache.js";
import type { SentenceEncoder } from "../src/matching/model/encoder.js";
import { createHybridScorer } from "../src/matching/model/hybrid.js";
import { readWithoutEncoder, SHORTCUT_CONFIDENCE, sureEntry, type Shortcut } from "../src/matching/model/shortcut.js";
import type { TrainedModel } from "../src/matching/model/train.js";
import { CHAR_GRAM_DIMENSION } from "../src/matching/model/char-grams.js";
import type { SoftmaxModel } from "../src/matching/model/softmax.js";
import { loadEvalSet } from "../src/evaluation.js";
import { testEncoder } from "./helpers/engine.js";
import { SHIPPED_KNOWLEDGE_DIR } from "./helpers/knowledge-copy.js";

let kb: KnowledgeBase;
let model: TrainedModel;
let shortcut: Shortcut;
let reader: EvidenceReader;
/** The shipped assistant, on an encoder that counts the texts it is asked to embed. */
let assistant: Assistant;
/** The same model without its shortcut: the whole model reads every message. */
let wholeModel: Assistant;
let embedded = 0;

beforeAll(async () => {
  kb = loadKnowledgeBase(SHIPPED_KNOWLEDGE_DIR);
  const encoder = await testEncoder();
  model = await loadOrTrainModel(kb, encoder);
  shortcut = model.shortcut!;
  reader = createEvidenceReader(kb);
  const counting: SentenceEncoder = {
    id: encoder.id,
    dimension: encoder.dimension,
    embed: (texts) => ((embedded += texts.length), encoder.embed(texts)),
  };
  assistant = createAssistant(kb, createHybridScorer(model, counting));
  const { shortcut: _left, ...withoutShortcut } = model;
  wholeModel = createAssistant(kb, createHybridScorer(withoutShortcut, encoder));
});

/** The reply to a message, and how many texts the sentence encoder embedded for it. */
async function replyAndEncoded(text: string) {
  embedded = 0;
  const reply = await assistant.reply(text);
  return { reply, encoded: embedded };
}

/** What the word-only models make of a message, before the rules that may send it to the whole model. */
function wordOnly(text: string) {
  const evidence = reader.read(text);
  const { probabilities, urgent } = readWithoutEncoder(shortcut, kb.entries.length, evidence);
  const best = Math.max(...probabilities.subarray(0, kb.entries.length));
  return { evidence, sure: best >= SHORTCUT_CONFIDENCE, calm: urgent < shortcut.calmBelow };
}

describe("the cascade's shortcut", () => {
  it("is trained with the model: a calm bound between zero and an even chance", () => {
    expect(shortcut.calmBelow).toBeGreaterThan(0);
    expect(shortcut.calmBelow).toBeLessThan(0.5);
  });

  it("answers a plain question it is sure of without the sentence encoder, as the whole model would", async () => {
    const text = "When will I see my final result?";
    const { reply, encoded } = await replyAndEncoded(text);
    expect(encoded).toBe(0);
    expect(reply).toMatchObject({ kind: "answer", entry: { id: "final-results-timing" } });
    const whole = await wholeModel.reply(text);
    expect(whole).toMatchObject({ kind: "answer", entry: { id: "final-results-timing" } });
    if (reply.kind === "answer" && whole.kind === "answer") expect(reply.related).toEqual(whole.related);
  });

  it("leaves a misspelt or unknown word to the whole model, even where the word-only model is sure and calm", async () => {
    for (const text of ["When will I see my final reslt?", "when will i see my finall result"]) {
      expect(wordOnly(text), text).toMatchObject({ sure: true, calm: true, evidence: { familiarWords: false } });
      const { reply, encoded } = await replyAndEncoded(text);
      expect(encoded, text).toBeGreaterThan(0);
      expect(reply, text).toMatchObject({ kind: "answer", entry: { id: "final-results-timing" } });
    }
  });

  it("leaves a message to the whole model when its word-only detector is not sure there is no emergency", async () => {
    const text = "When will I see my final result, my toddler keeps asking";
    expect(wordOnly(text)).toMatchObject({ sure: true, calm: false, evidence: { familiarWords: true } });
    expect((await replyAndEncoded(text)).encoded).toBeGreaterThan(0);
  });

  it("leaves every red flag of the clinic's list to the whole model, which may overrule only a past one", async () => {
    // One of the 1,726 list-flagged messages of the development sets and helper passes that the
    // word-only models are sure and calm about: the list, not they, must decide.
    const text = "Chị ơi, I had chills before the surgery because nervous, now fine. what if no enough fat for revision?";
    expect(wordOnly(text)).toMatchObject({ sure: true, calm: true, evidence: { familiarWords: true, redFlag: "chills" } });
    expect(sureEntry(shortcut, kb.entries.length, reader.read(text))).toBeUndefined();
    expect((await replyAndEncoded(text)).encoded).toBeGreaterThan(0);
  });

  it("leaves a message in another script, and the end of a very long one, to the whole model", async () => {
    // Word-only models sure of the first entry and sure there is no emergency, whatever they read.
    const always = (bias: number[], perClassSize: number): SoftmaxModel => ({
      classes: bias.length,
      sharedSize: CHAR_GRAM_DIMENSION,
      perClassSize,
      W: new Float32Array(bias.length * CHAR_GRAM_DIMENSION),
      a: new Float32Array(perClassSize),
      b: Float32Array.from(bias),
      temperature: 1,
    });
    const main = always(model.classes.map((_, k) => (k === 0 ? 20 : 0)), model.main.perClassSize);
    const sure: Shortcut = { main, urgent: always([20, 0], model.urgent.perClassSize), calmBelow: 0.5 };
    const read: string[] = [];
    const encoder = await testEncoder();
    const scorer = createHybridScorer({ ...model, shortcut: sure }, { ...encoder, embed: (texts) => (read.push(...texts), encoder.embed(texts)) });
    const stubbed = createAssistant(kb, scorer);
    expect(await stubbed.reply("When will I see my final result?")).toMatchObject({ kind: "answer", entry: { id: kb.entries[0]!.id } });
    expect(read).toEqual([]);
    // Mostly Cyrillic, every word one the knowledge base knows: the English-only reply, not an answer.
    const foreign = "Здравствуйте, добрый день, спасибо большое! When will I see my final result?";
    expect(reader.read(foreign).familiarWords).toBe(true);
    expect(await stubbed.reply(foreign)).toMatchObject({ kind: "fallback", reason: "other-language" });
    // Nothing asked: no answer, however sure the word-only model is.
    expect((await stubbed.reply("is it?")).kind).not.toBe("answer");
    // The whole model reads the start of a long message too: here a detector that finds an
    // emergency in its first words, which the clinic's list does not name.
    const long = `Something is very wrong with me since this morning. ${"When will I see my final result please? ".repeat(60)}`;
    expect(reader.read(long.slice(-kb.settings.matcher.max_message_chars)).familiarWords).toBe(true);
    expect(reader.redFlag(long)).toBeUndefined();
    const alarmedByStart = createAssistant(kb, {
      model: { ...model, shortcut: sure },
      score: (evidence) =>
        Promise.resolve({ probabilities: new Float64Array(model.classes.length), urgent: evidence.text.includes("very wrong") ? 1 : 0, note: () => undefined }),
    });
    expect(await alarmedByStart.reply(long)).toMatchObject({ kind: "urgent" });
  });

  it("agrees with the whole model on every question of the project set it answers", async () => {
    let answered = 0;
    for (const { q } of loadEvalSet(new URL("eval/project-questions.yaml", import.meta.url).pathname)) {
      const sure = sureEntry(shortcut, kb.entries.length, reader.read(q));
      if (!sure) continue;
      answered++;
      expect(await wholeModel.reply(q), q).toMatchObject({ kind: "answer", entry: { id: kb.entries[sure.entry]!.id } });
    }
    // It carries a real share of the work: otherwise it would only add a model to train.
    expect(answered).toBeGreaterThan(100);
  });
});
