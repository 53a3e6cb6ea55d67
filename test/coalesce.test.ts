import { describe, expect, it } from "vitest";
import { coalesce } from "../src/encoders/coalesce.js";
import { loadUniversalSentenceEncoder } from "../src/encoders/universal-sentence-encoder.js";
import { testEncoder } from "./helpers/engine.js";

/** A batch function that records its batches and answers when told to. */
function recordingRun() {
  const batches: string[][] = [];
  const held: (() => void)[] = [];
  let hold = false;
  const run = async (keys: string[]) => {
    batches.push(keys);
    if (hold) await new Promise<void>((resolve) => held.push(resolve));
    if (keys.includes("boom")) throw new Error("model failed");
    return keys.map((key) => `v(${key})`);
  };
  return {
    run,
    batches,
    holdNext: () => void (hold = true),
    release() {
      hold = false;
      held.splice(0).forEach((resolve) => resolve());
    },
  };
}

describe("coalesce (micro-batching of encoder calls)", () => {
  it("puts the keys of callers that arrive together into one batch, and gives each caller its own values in order", async () => {
    const recorder = recordingRun();
    const embed = coalesce([recorder.run], { maxBatch: 16 });
    const [a, b, c] = await Promise.all([embed(["x", "y"]), embed(["z"]), embed(["y", "w"])]);
    expect(a).toEqual(["v(x)", "v(y)"]);
    expect(b).toEqual(["v(z)"]);
    expect(c).toEqual(["v(y)", "v(w)"]);
    // One batch for all three callers, "y" computed once.
    expect(recorder.batches).toEqual([["x", "y", "z", "w"]]);
  });

  it("lets callers that arrive while a batch is running wait and go together in the next one", async () => {
    const recorder = recordingRun();
    const embed = coalesce([recorder.run], { maxBatch: 16 });
    recorder.holdNext();
    const first = embed(["a"]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(recorder.batches).toEqual([["a"]]);
    const later = [embed(["b"]), embed(["c", "a"]), embed(["d"])];
    recorder.release();
    expect(await first).toEqual(["v(a)"]);
    expect(await Promise.all(later)).toEqual([["v(b)"], ["v(c)", "v(a)"], ["v(d)"]]);
    // "a" was running already: the second caller shares it rather than computing it again.
    expect(recorder.batches).toEqual([["a"], ["b", "c", "d"]]);
  });

  it("never runs a batch larger than its limit", async () => {
    const recorder = recordingRun();
    const embed = coalesce([recorder.run], { maxBatch: 3 });
    const keys = Array.from({ length: 8 }, (_, index) => `k${index}`);
    expect(await embed(keys)).toEqual(keys.map((key) => `v(${key})`));
    expect(recorder.batches.map((batch) => batch.length)).toEqual([3, 3, 2]);
  });

  it("fails every caller of a failed batch, and goes on with the next batches", async () => {
    const recorder = recordingRun();
    const embed = coalesce([recorder.run], { maxBatch: 16 });
    const results = await Promise.allSettled([embed(["p"]), embed(["boom", "q"])]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect(await embed(["p"])).toEqual(["v(p)"]);
  });

  it("gives keys that wait for a busy lane to an idle one, so that lanes compute side by side", async () => {
    const first = recordingRun();
    const second = recordingRun();
    const embed = coalesce([first.run, second.run], { maxBatch: 16 });
    first.holdNext();
    const early = embed(["a"]);
    await new Promise((resolve) => setImmediate(resolve));
    // The first lane is held: the next callers' keys go to the second one, without waiting for it.
    const later = embed(["b", "c"]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(first.batches).toEqual([["a"]]);
    expect(second.batches).toEqual([["b", "c"]]);
    expect(await later).toEqual(["v(b)", "v(c)"]);
    first.release();
    expect(await early).toEqual(["v(a)"]);
  });

  it("shares the keys waiting while several lanes are idle out among them, by cost", async () => {
    const first = recordingRun();
    const second = recordingRun();
    const embed = coalesce([first.run, second.run], { maxBatch: 16 });
    const long = "x".repeat(60);
    const short = ["a", "b", "c"].map((letter) => letter.repeat(20));
    expect(await embed([short[0]!, long, short[1]!, short[2]!])).toEqual([short[0], long, short[1], short[2]].map((key) => `v(${key})`));
    // Costliest first, each to the cheaper share: 60 against 20 + 20 + 20.
    expect(first.batches).toEqual([[long]]);
    expect(second.batches).toEqual([short]);
  });

  it("fails only the callers of a failed share, even of a lane that throws at once, and goes on with both lanes", async () => {
    let calls = 0;
    const throwsOnce = (keys: string[]) => {
      if (calls++ === 0) throw new Error("model failed");
      return Promise.resolve(keys.map((key) => `v(${key})`));
    };
    const other = recordingRun();
    const embed = coalesce([throwsOnce, other.run], { maxBatch: 16, cost: () => 1 });
    const first = await Promise.allSettled(["a", "b", "c", "d"].map((key) => embed([key])));
    expect(first.filter((result) => result.status === "rejected")).toHaveLength(2);
    expect(first.filter((result) => result.status === "fulfilled").map((result) => (result as PromiseFulfilledResult<string[]>).value)).toEqual(expect.arrayContaining([["v(b)"], ["v(d)"]]));
    for (let round = 0; round < 3; round++) {
      const keys = ["p", "q", "r"].map((key) => `${key}${round}`);
      expect(await Promise.all(keys.map((key) => embed([key])))).toEqual(keys.map((key) => [`v(${key})`]));
    }
  });

  it("shares keys that cost nothing out among idle lanes too", async () => {
    const first = recordingRun();
    const second = recordingRun();
    const embed = coalesce([first.run, second.run], { maxBatch: 16, cost: () => 0 });
    await embed(["a", "b", "c", "d"]);
    expect([first.batches.flat().length, second.batches.flat().length]).toEqual([2, 2]);
  });

  it("keeps each lane's share to the batch limit, and leaves no lane idle while keys wait", async () => {
    const first = recordingRun();
    const second = recordingRun();
    const embed = coalesce([first.run, second.run], { maxBatch: 2, cost: () => 1 });
    first.holdNext();
    const all = embed(["a", "b", "c", "d", "e"]);
    await new Promise((resolve) => setImmediate(resolve));
    // Two shares of two; "e" waits for the first lane free, which is the second (the first is held).
    expect(first.batches).toEqual([["a", "c"]]);
    expect(second.batches.flat().sort()).toEqual(["b", "d", "e"]);
    expect(second.batches.every((batch) => batch.length <= 2)).toBe(true);
    first.release();
    expect(await all).toEqual(["a", "b", "c", "d", "e"].map((key) => `v(${key})`));
  });
});

describe("the sentence encoder under concurrency", () => {
  it("gives the same vectors, bit for bit, from a lane on a worker thread as on this thread, and goes on answering after close", async () => {
    const texts = ["when will the swelling on my hips go down", "thanks!", "is it normal that one side is bigger"];
    const here = await testEncoder();
    const failures: unknown[] = [];
    const onWorker = await loadUniversalSentenceEncoder({ lanes: 1, onLaneFailure: (error) => failures.push(error) });
    try {
      const expected = await here.embed(texts);
      const vectors = await Promise.all(texts.map((text) => onWorker.embed([text]).then(([vector]) => vector!)));
      expect(vectors).toEqual(expected);
    } finally {
      await onWorker.close?.();
    }
    // Closed: a new text is embedded on this thread's copy of the model (loaded for it).
    expect(failures).toEqual([]);
    const [afterClose] = await onWorker.embed(["a text it has not seen"]);
    expect(afterClose).toHaveLength(512);
    // The stopped worker is reported once, and the next text goes straight to this thread.
    await onWorker.embed(["another text it has not seen"]);
    expect(failures).toHaveLength(1);
  });

  it("gives a text the same vector, bit for bit, alone and coalesced with other callers' texts", async () => {
    const texts = ["my left hip looks bigger than the right one", "hi", "can i sit on a chair two weeks after the bbl", "fever and chills since yesterday"];
    // Two encoders, so that neither answers from the other's cache of recent texts.
    const one = await testEncoder();
    const other = await loadUniversalSentenceEncoder();
    const alone: Float32Array[] = [];
    for (const text of texts) alone.push((await one.embed([text]))[0]!);
    const coalesced = await Promise.all(texts.map((text) => other.embed([text])));
    expect(coalesced.map(([vector]) => vector)).toEqual(alone);
  });
});
