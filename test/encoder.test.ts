import { describe, expect, it } from "vitest";
import { loadUniversalSentenceEncoder } from "../src/encoders/universal-sentence-encoder.js";

describe("the sentence encoder, embedding a training's texts", () => {
  it("gives the same vectors, bit for bit, on one thread or several", async () => {
    const texts = Array.from({ length: 100 }, (_, i) => `message ${i}: my ${i % 2 ? "left" : "right"} hip looks ${"much ".repeat(i % 5)}bigger`);
    const [alone, shared] = await Promise.all([loadUniversalSentenceEncoder({ threads: 1 }), loadUniversalSentenceEncoder({ threads: 2 })]);
    const progress: number[] = [];
    const one = await alone.embedMany!(texts);
    const two = await shared.embedMany!(texts, (done) => progress.push(done));
    expect(two).toHaveLength(texts.length);
    expect(two.map((vector) => Buffer.from(vector.buffer).toString("base64"))).toEqual(one.map((vector) => Buffer.from(vector.buffer).toString("base64")));
    expect(progress.at(-1)).toBe(texts.length);
    // Unit length, as embed gives, and each text's own vector, in the order given.
    expect(Math.hypot(...two[0]!)).toBeCloseTo(1, 5);
    for (const index of [0, 1, 4, 57, 99]) {
      const [own] = await alone.embed([texts[index]!]);
      const cosine = own!.reduce((sum, value, k) => sum + value * two[index]![k]!, 0);
      expect(cosine, texts[index]).toBeGreaterThan(0.9999);
    }
  }, 60_000);

  it("gives the same vectors when a bot's lanes do the work", async () => {
    const texts = Array.from({ length: 70 }, (_, i) => `question ${i}: when will my ${i % 3 ? "hips" : "left hip"} settle`);
    const [alone, bot] = await Promise.all([loadUniversalSentenceEncoder({ threads: 1 }), loadUniversalSentenceEncoder({ threads: 2, lanes: 2 })]);
    try {
      const expected = (await alone.embedMany!(texts)).map((vector) => Buffer.from(vector.buffer).toString("base64"));
      expect((await bot.embedMany!(texts)).map((vector) => Buffer.from(vector.buffer).toString("base64"))).toEqual(expected);
    } finally {
      await bot.close?.();
    }
  }, 60_000);
});
