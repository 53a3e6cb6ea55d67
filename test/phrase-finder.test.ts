import { describe, expect, it } from "vitest";
import { createPhraseFinder } from "../src/matching/phrase-finder.js";

const tokens = (text: string) => text.split(" ");

describe("the phrase finder", () => {
  const finder = createPhraseFinder([{ tokens: ["calf", "swollen"], label: "calf" }, { tokens: ["can not", "keep", "down"], label: "vomiting" }], 5);

  it("finds a phrase's words near each other, in any order", () => {
    expect(finder.find(tokens("my calf is really swollen")).map((hit) => hit.label)).toEqual(["calf"]);
    expect(finder.find(tokens("swollen calf")).map((hit) => hit.label)).toEqual(["calf"]);
    expect(finder.find(tokens("calf is fine and my thigh is not that swollen"))).toEqual([]);
  });

  it("wants the words of one token side by side and in order, wherever the token stands", () => {
    expect(finder.find(tokens("i can not keep it down"))).toEqual([{ label: "vomiting", from: 1, to: 5, at: [1, 2, 3, 5] }]);
    expect(finder.find(tokens("keep it down i can not"))).toHaveLength(1);
    expect(finder.find(tokens("i can keep it down not sick"))).toEqual([]);
    expect(finder.find(tokens("i not can keep it down"))).toEqual([]);
  });

  it("with a window of 0 wants every word in order, side by side", () => {
    const exact = createPhraseFinder([{ tokens: ["all", "gone now"], label: true }], 0);
    expect(exact.find(tokens("its all gone now"))).toEqual([{ label: true, from: 1, to: 3, at: [1, 2, 3] }]);
    expect(exact.find(tokens("gone now all"))).toEqual([]);
  });

  it("matches a word through the spellings a typo could stand for", () => {
    expect(finder.find(tokens("my calf is swolen"), [["my"], ["calf"], ["is"], ["swolen", "swollen"]]).map((hit) => hit.label)).toEqual(["calf"]);
  });
});
