import { describe, expect, it } from "vitest";
import { createAssistant, type Reply } from "../src/assistant.js";
import { evaluate, loadEvalSet, summarizeResults } from "../src/evaluation.js";
import { loadKnowledgeBase } from "../src/knowledge/load.js";
import { SHIPPED_KNOWLEDGE_DIR } from "./helpers/knowledge-copy.js";

const kb = loadKnowledgeBase(SHIPPED_KNOWLEDGE_DIR);
const assistant = createAssistant(kb);

function answerOf(text: string): string | undefined {
  const reply = assistant.reply(text);
  return reply.kind === "answer" ? reply.entry.id : undefined;
}

function kindOf(text: string): Reply["kind"] {
  return assistant.reply(text).kind;
}

describe("the assistant answers", () => {
  it("a plain question with its entry, a confidence and related entries", () => {
    const reply = assistant.reply("When will I see my final result?");
    expect(reply.kind).toBe("answer");
    if (reply.kind !== "answer") return;
    expect(reply.entry.id).toBe("final-results-timing");
    expect(reply.confidence).toBeGreaterThan(0.5);
    expect(reply.confidence).toBeLessThanOrEqual(1);
    expect(reply.related.map((entry) => entry.id)).toEqual(["revision-timing", "recovery-care", "natural-asymmetry"]);
  });

  it("slang, lay words and synonyms", () => {
    expect(answerOf("why r my hips so lopsided after bbl")).toBe("asymmetry-causes");
    expect(answerOf("do they take fat out of my belly for the booty")).toBe("procedure-fat-transfer");
    expect(answerOf("can i get a redo yet, only 5 wks post op")).toBe("revision-timing");
  });

  it("misspelt words", () => {
    expect(answerOf("what is hip asymetry")).toBe("asymmetry-definition");
    expect(answerOf("how is a revison done")).toBe("revision-procedure");
    expect(answerOf("small diffrence between my hipps is that normal")).toBe("natural-asymmetry");
  });

  it("very short messages", () => {
    expect(answerOf("implant?")).toBe("revision-implant");
    expect(answerOf("final result when")).toBe("final-results-timing");
  });

  it("a long story with the question at the end", () => {
    const story =
      "So I had the surgery about three months ago and honestly the first weeks were rough, my sister stayed with me " +
      "and helped with everything. Everything healed fine. Now I look in the mirror and the left hip is clearly wider " +
      "than the right one. Why does this happen?";
    expect(answerOf(story)).toBe("asymmetry-causes");
  });

  it("case, punctuation, emoji and invisible characters as if they were not there", () => {
    expect(answerOf("WHEN WILL I SEE MY FINAL RESULT?!?! 😩😩")).toBe("final-results-timing");
    expect(answerOf("when\u200b will i see my\u0007 final result")).toBe("final-results-timing");
  });
});

describe("the assistant asks or declines instead of guessing", () => {
  it("asks 'did you mean' with up to three entries when two are equally close", () => {
    const reply = assistant.reply("fat?");
    expect(reply.kind).toBe("clarify");
    if (reply.kind !== "clarify") return;
    expect(reply.options.map((entry) => entry.id)).toEqual(["procedure-fat-transfer", "cause-fat-handling"]);
    const vague = assistant.reply("weeks");
    expect(vague.kind).toBe("clarify");
    if (vague.kind === "clarify") expect(vague.options).toHaveLength(3);
  });

  it("answers a near tie between two entries that list each other as related, offering the other as a button", () => {
    const reply = assistant.reply("how long do i wait to know if it worked");
    expect(reply.kind).toBe("answer");
    if (reply.kind !== "answer") return;
    expect(["final-results-timing", "revision-timing"]).toContain(reply.entry.id);
    expect(reply.related.map((entry) => entry.id)).toContain(reply.entry.id === "final-results-timing" ? "revision-timing" : "final-results-timing");
  });

  it.each([
    "how much does a revision cost",
    "does my insurance pay for it",
    "what anaesthesia will i get",
    "when can i go back to work",
    "when can i go back to the gym",
    "can i have alcohol after the operation",
    "which compression garment should i buy",
    "will the scars fade",
    "do you also do breast implants",
    "what's the weather like",
  ])("falls back on a question the article does not answer: %s", (text) => {
    const reply = assistant.reply(text);
    expect(reply.kind).toBe("fallback");
    if (reply.kind === "fallback") expect(reply.reason).toBe("not-covered");
  });
});

describe("topics the article does not cover", () => {
  it("block an answer when the question is about them, even next to covered words", () => {
    expect(assistant.reply("does insurance cover a revision surgery")).toMatchObject({ kind: "fallback", reason: "not-covered", notCovered: "insurance" });
    expect(assistant.reply("is it normal to be sore")).toMatchObject({ kind: "fallback", notCovered: "pain and discomfort" });
  });

  it("do not block the question when they are only its context", () => {
    expect(answerOf("my hip feels a bit sore at night, should i stop lying on that side?")).toBe("recovery-care");
    expect(answerOf("i dont have any pain, i just want to know when i see the final result")).toBe("final-results-timing");
  });
});

describe("urgent symptoms", () => {
  it.each([
    "I have a fever",
    "chills since last night",
    "the redness around my hip is spreading",
    "there is pus coming from the cut",
    "it is bleeding heavily",
    "I feel short of breath",
    "chest pain when I breathe",
    "I fainted this morning",
    "my calf is swollen and sore",
    "the pain is getting worse and worse",
  ])("get the urgent-care reply: %s", (text) => {
    expect(kindOf(text)).toBe("urgent");
  });

  it("win over a FAQ question in the same message", () => {
    const reply = assistant.reply("when will i see my final result? also i have a fever of 39 degrees");
    expect(reply).toEqual({ kind: "urgent", redFlag: "fever" });
  });

  it("are not triggered when negated", () => {
    expect(answerOf("no fever, just uneven hips, why did that happen")).toBe("asymmetry-causes");
    expect(kindOf("I don't have chills or a fever, when is the final result")).not.toBe("urgent");
    expect(kindOf("no infection, no bleeding. is it normal that my hips are a tiny bit different")).not.toBe("urgent");
  });

  it("still count after a negation of something else", () => {
    expect(kindOf("no fever but my calf is swollen")).toBe("urgent");
    expect(kindOf("not sure if it is infected, it smells bad")).toBe("urgent");
  });
});

describe("small talk", () => {
  it.each([
    ["hi", "greeting"],
    ["Hellooo!", "greeting"],
    ["thank you so much", "thanks"],
    ["are you a bot?", "identity"],
    ["bye", "bye"],
    ["ok", "acknowledgement"],
    ["👍", "acknowledgement"],
  ])("'%s' gets the %s reply", (text, smalltalk) => {
    expect(assistant.reply(text)).toEqual({ kind: "smalltalk", smalltalk });
  });

  it("does not swallow a question that starts with a greeting", () => {
    expect(answerOf("hi! when will i see my final result")).toBe("final-results-timing");
  });
});

describe("odd input", () => {
  it("empty or blank text gets a hint", () => {
    for (const text of ["", "   ", "\n\t", "\u200b\u200b"]) {
      expect(assistant.reply(text)).toMatchObject({ kind: "fallback", reason: "empty" });
    }
  });

  it("emoji or punctuation only gets a hint", () => {
    expect(assistant.reply("🤔🤔")).toMatchObject({ kind: "fallback", reason: "empty" });
    expect(assistant.reply("???")).toMatchObject({ kind: "fallback", reason: "empty" });
  });

  it("another script gets the English-only fallback", () => {
    expect(assistant.reply("почему у меня бедра разные")).toMatchObject({ kind: "fallback", reason: "other-language" });
    expect(assistant.reply("为什么我的臀部不对称")).toMatchObject({ kind: "fallback", reason: "other-language" });
  });

  it("a 10,000-character message is matched on its end, quickly enough to notice no difference", () => {
    const padding = "blah ".repeat(2000);
    const reply = assistant.reply(`${padding} when will i see my final result`);
    expect(reply).toMatchObject({ kind: "answer", entry: { id: "final-results-timing" } });
    expect(kindOf("x".repeat(10_000))).toBe("fallback");
  });

  it("a red flag at the start of a huge message is still seen", () => {
    expect(kindOf(`I have a fever. ${"and then ".repeat(2000)} when will i see my final result`)).toBe("urgent");
  });
});

describe("the project's own evaluation set", () => {
  const results = evaluate(loadEvalSet(new URL("eval/project-questions.yaml", import.meta.url).pathname), (text) => assistant.reply(text));
  const summary = summarizeResults(results);

  it("has at least 120 items covering every entry and reply kind", () => {
    expect(results.length).toBeGreaterThanOrEqual(120);
    const expected = new Set(results.flatMap((result) => (Array.isArray(result.expect) ? [result.expect[0]] : [result.expect])));
    for (const entry of kb.entries) expect(expected, entry.id).toContain(entry.id);
    for (const kind of ["fallback", "urgent", "smalltalk"]) expect(expected).toContain(kind);
  });

  it("meets the quality targets", () => {
    expect(summary.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(summary.reach).toBeGreaterThanOrEqual(0.98);
    expect(summary.wrongRate).toBeLessThanOrEqual(0.02);
    expect(summary.fallbackRate).toBeGreaterThanOrEqual(0.95);
    expect(summary.urgentRecall).toBe(1);
    expect(summary.falseAlarms).toBe(0);
    expect(summary.smalltalkRate).toBeGreaterThanOrEqual(0.95);
  });
});
