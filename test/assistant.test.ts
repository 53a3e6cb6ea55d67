import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Assistant, Reply } from "../src/assistant.js";
import { createAssistant } from "../src/assistant.js";
import { loadKnowledgeBase } from "../src/knowledge/load.js";
import { loadOrTrainModel } from "../src/matching/model/cache.js";
import { SMALLTALK } from "../src/matching/model/features.js";
import { createSmalltalkDetector } from "../src/matching/smalltalk.js";
import { createRedFlagDetector, type RedFlagDetector } from "../src/matching/red-flags.js";
import { createLexicon } from "../src/matching/lexicon.js";
import { otherSpellings } from "../src/matching/english/index.js";
import { createPresenter } from "../src/render/message.js";
import { shippedCore, testEncoder } from "./helpers/engine.js";
import { SHIPPED_KNOWLEDGE_DIR } from "./helpers/knowledge-copy.js";
import { AMBIGUOUS_QUESTION } from "./helpers/questions.js";

let assistant: Assistant;
beforeAll(async () => {
  assistant = (await shippedCore()).assistant;
});

async function answerOf(text: string): Promise<string | undefined> {
  const reply = await assistant.reply(text);
  return reply.kind === "answer" ? reply.entry.id : undefined;
}

async function kindOf(text: string): Promise<Reply["kind"]> {
  return (await assistant.reply(text)).kind;
}

/** The messages of a file in test/fixtures, one per line (lines starting with "#" are comments). */
function fixtureLines(name: string): string[] {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line && !line.startsWith("#"));
}

/** The messages that do not get the urgent reply. */
async function notUrgent(messages: readonly string[]): Promise<string[]> {
  const missed: string[] = [];
  for (const message of messages) if ((await kindOf(message)) !== "urgent") missed.push(message);
  return missed;
}

let redFlags: RedFlagDetector | undefined;
/** The clinic's red-flag list of the shipped knowledge base, on its own. */
function shippedRedFlags(): RedFlagDetector {
  if (!redFlags) {
    const kb = loadKnowledgeBase(SHIPPED_KNOWLEDGE_DIR);
    redFlags = createRedFlagDetector(kb.vocabulary, createLexicon(kb));
  }
  return redFlags;
}

/** Each text gets its red flag from the clinic's list (the text names a failure). */
function expectFlagged(cases: readonly (readonly [text: string, flag: string])[]): void {
  for (const [text, flag] of cases) expect(shippedRedFlags().detect(text), text).toBe(flag);
}

/** No text gets a red flag from the clinic's list. */
function expectUnflagged(texts: readonly string[]): void {
  for (const text of texts) expect(shippedRedFlags().detect(text), text).toBeUndefined();
}

describe("the assistant answers", () => {
  it("a plain question with its entry, a confidence and related entries", async () => {
    const reply = await assistant.reply("When will I see my final result?");
    expect(reply.kind).toBe("answer");
    if (reply.kind !== "answer") return;
    expect(reply.entry.id).toBe("final-results-timing");
    expect(reply.confidence).toBeGreaterThan(0.5);
    expect(reply.confidence).toBeLessThanOrEqual(1);
    expect(reply.related.map((entry) => entry.id)).toEqual(["revision-timing", "recovery-care", "natural-asymmetry"]);
  });

  it("slang, lay words and synonyms", async () => {
    expect(await answerOf("why r my hips so lopsided after bbl")).toBe("asymmetry-causes");
    expect(await answerOf("do they take fat out of my belly for the booty")).toBe("procedure-fat-transfer");
    expect(await answerOf("can i get a redo yet, only 5 wks post op")).toBe("revision-timing");
  });

  it("misspelt words", async () => {
    expect(await answerOf("what is hip asymetry")).toBe("asymmetry-definition");
    expect(await answerOf("how is a revison done")).toBe("revision-procedure");
    expect(await answerOf("small diffrence between my hipps is that normal")).toBe("natural-asymmetry");
  });

  it("very short messages", async () => {
    expect(await answerOf("implant?")).toBe("revision-implant");
    expect(await answerOf("final result when")).toBe("final-results-timing");
  });

  it("a long story with the question at the end", async () => {
    const story =
      "So I had the surgery about three months ago and honestly the first weeks were rough, my sister stayed with me " +
      "and helped with everything. Everything healed fine. Now I look in the mirror and the left hip is clearly wider " +
      "than the right one. Why does this happen?";
    expect(await answerOf(story)).toBe("asymmetry-causes");
  });

  it("case, punctuation, emoji and invisible characters as if they were not there", async () => {
    expect(await answerOf("WHEN WILL I SEE MY FINAL RESULT?!?! 😩😩")).toBe("final-results-timing");
    expect(await answerOf("when\u200b will i see my\u0007 final result")).toBe("final-results-timing");
  });
});

describe("the assistant asks or declines instead of guessing", () => {
  it("is torn on the tests' ambiguous question, as the bot's and the CLI's tests expect", async () => {
    const reply = await assistant.reply(AMBIGUOUS_QUESTION);
    expect(reply.kind, "pick another AMBIGUOUS_QUESTION (test/helpers/questions.ts)").toBe("clarify");
    if (reply.kind === "clarify") expect(reply.options.map((entry) => entry.id).sort()).toEqual(["final-results-timing", "revision-timing"]);
  });

  it("asks 'did you mean' when two entries are about equally likely, offering both", async () => {
    const kb = loadKnowledgeBase(SHIPPED_KNOWLEDGE_DIR);
    const model = await loadOrTrainModel(kb, await testEncoder());
    const probabilities = new Float64Array(model.classes.length).fill(0.01);
    probabilities[model.classes.indexOf("final-results-timing")] = 0.45;
    probabilities[model.classes.indexOf("revision-timing")] = 0.4;
    const torn = createAssistant(kb, { model, score: () => Promise.resolve({ probabilities, urgent: 0, note: () => undefined }) });
    const reply = await torn.reply("how long do i wait to know if it worked");
    expect(reply.kind).toBe("clarify");
    if (reply.kind !== "clarify") return;
    expect(reply.options.map((entry) => entry.id)).toEqual(["final-results-timing", "revision-timing"]);
    expect(reply.confidence).toBe(0.45);
  });

  it("never answers a message without one word the knowledge base knows", async () => {
    for (const text of ["2", "42", "is it?"]) expect(await kindOf(text)).not.toBe("answer");
    for (const text of ["2", "42?", "3.5"]) expect(await assistant.reply(text)).toMatchObject({ kind: "fallback", reason: "empty" });
  });

  it("gives a polite reply, never an exception, to a message that is not text", async () => {
    for (const odd of [42, null, undefined, { text: "hi" }]) {
      expect(await assistant.reply(odd as unknown as string)).toMatchObject({ kind: "fallback", reason: "empty" });
    }
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
  ])("falls back on a question the article does not answer: %s", async (text) => {
    const reply = await assistant.reply(text);
    expect(reply.kind).toBe("fallback");
    if (reply.kind === "fallback") expect(reply.reason).toBe("not-covered");
  });
});

describe("topics the article does not cover", () => {
  it("get the 'not in my notes' reply, named by topic, even next to covered words", async () => {
    expect(await assistant.reply("does insurance cover a revision surgery")).toMatchObject({ kind: "fallback", reason: "not-covered", notCovered: "insurance" });
    expect(await assistant.reply("how long does the operation take")).toMatchObject({ kind: "fallback", notCovered: "length of the operation" });
  });

  it("do not block the question when they are only its context", async () => {
    expect(await answerOf("I don't care about the cost, I just want to know when I see the final result")).toBe("final-results-timing");
    expect(await answerOf("the swelling went down and now one hip is clearly bigger, why")).toBe("asymmetry-causes");
    expect(await answerOf("im quite skinny, is there enough fat on me for a revision")).toBe("revision-implant");
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
    // A review found this one got small talk.
    "I think I'm having a heart attack",
  ])("get the urgent-care reply: %s", async (text) => {
    expect(await kindOf(text)).toBe("urgent");
  });

  it("are found when misspelt, even where the repair would pick an everyday word", async () => {
    // "fevr" is one edit from "fear" and from "fever"; "chils" one from "child" and from "chills".
    expect(await assistant.reply("i have a fevr")).toEqual({ kind: "urgent", redFlag: "fever" });
    expect(await assistant.reply("bad chils since last night")).toEqual({ kind: "urgent", redFlag: "chills" });
  });

  it("in the words of two reviews' emergencies that the list had lacked are found by the list", () => {
    // Each got fallback, small talk, "did you mean" or an answer from both engines of the review.
    expectFlagged([
      ["i dont want live no more, everything is bad after the surgery", "thoughts of self-harm or suicide"],
      ["honestly kinda want to not wake up tomorrow 😂 jk... mostly", "thoughts of self-harm or suicide"],
      ["thinking of ending it because of this surgery", "thoughts of self-harm or suicide"],
      ["dont want to be here anymore because of how i look", "thoughts of self-harm or suicide"],
      ["can I lift my laundry basket my wound has split", "pus or smelly discharge"],
      ["I'm struggling for air after three steps", "shortness of breath"],
      ["My vision goes black each time I get off the sofa", "fainting, dizziness or confusion"],
      ["don't laugh but I keep forgetting where I am in my own flat 🤪", "fainting, dizziness or confusion"],
      ["the pain is to much, the pills not work, every day more worst", "severe or worsening pain"],
      ["the pain is so bad from sitting that i cant think, is it normal?", "severe or worsening pain"],
      ["redness getting bigger every time i check it is this normal?", "spreading redness"],
      ["um blood pouring from the port site my hips look great tho", "heavy bleeding"],
      ["feeding the baby and soaked in blood frm the incision haha", "heavy bleeding"],
    ]);
    expectUnflagged(["I don't want to wake up early tomorrow", "my vision of the result is clear", "I forgot where I put the garment"]);
  });

  it("are found when two letters are swapped", async () => {
    // A review found the first a "not in my notes": "pian" was read as "plan" only.
    expect(await assistant.reply("the pian is geting worse even with painkilers")).toEqual({ kind: "urgent", redFlag: "severe or worsening pain" });
    expect(await assistant.reply("my chset hurts")).toEqual({ kind: "urgent", redFlag: "chest pain" });
  });

  it("in words the clinic's list lacks are caught by the trained detector", async () => {
    expect(await kindOf("my heart is pounding and everything is spinning since this morning")).toBe("urgent");
  });

  it("told before an ordinary question are read without the question, which would drown them", async () => {
    // Read whole, each of these scores far below the detector's threshold (0.002 to 0.11).
    for (const text of [
      "I woke up on the floor and dont know how I got there, when can I book my revision?",
      "I have not peed since yesterday morning. is it ok to lie on my side?",
      // The same after a denial (read without it), and with the question first.
      "no fever. I woke up on the floor and dont know how I got there, when can I book my revision?",
      "When can I book my revision, I woke up on the floor and dont know how I got there?",
    ]) {
      expect(await assistant.reply(text), text).toEqual({ kind: "urgent", redFlag: "symptoms described" });
    }
  });

  it("told before a question without punctuation are read without the question", async () => {
    // A review found each missed: read whole, the question drowns the sign.
    expect(await kindOf("puking with every sip of water when can i go back to the gym?")).toBe("urgent");
    expect(await kindOf("hey was confused the first days and my husband says i still am can i sit on my hips yet?")).toBe("urgent");
  });

  it("of the list are kept where what the message tells without its question reads urgent", async () => {
    // A review found each overruled: read whole, the question makes the sign look calm.
    expect(await kindOf("omg I fainted lol can I lift my kids?")).toBe("urgent");
    expect(await kindOf("can I go to the vet with my dog? I have a fever")).toBe("urgent");
  });

  it("told before a laugh and a question are read without the question", async () => {
    // A review found the first two overruled: read whole, the question drowns the sign (0.003 to 0.01).
    expect(await kindOf("omg I'm so dizzy lol can I carry my son on my hip?")).toBe("urgent");
    expect(await kindOf("omg the wound opened lol can I go to the vet with my dog?")).toBe("urgent");
    // Here only the laugh ends the clause: "who is" starts no run-on question.
    expect(await kindOf("omg I fainted lol who is the best surgeon for revisions?")).toBe("urgent");
  });

  it("told as a statement after thanks are not taken for a question", async () => {
    // A review found each lost while "is the" started a run-on question: the message then
    // asked, and its told part was no longer read as the whole message.
    expect(await kindOf("thanks doc 🙏 my leg is the size of a melon and throbbing")).toBe("urgent");
    expect(await kindOf("thanks doc 🙏 she is the palest i have seen her and her lips are greyish")).toBe("urgent");
  });

  it("told after a denial are not made calmer by it", async () => {
    // 0.25 while a denial counted against an emergency, under the threshold; 0.86 without "no fever".
    expect(await kindOf("thank u so much, no fever, but my arm is numb and my face feels droopy")).toBe("urgent");
  });

  it("told beside a sign that is over, with a past verb, a word of an end said of something else or someone else named, get the urgent reply (two reviews of a withdrawn veto)", async () => {
    const lines = fixtureLines("over-then-current-emergencies.txt");
    expect(lines.length).toBe(114);
    expect(await notUrgent(lines)).toEqual([]);
  }, 120_000);

  it("beside an ordinary question are not overruled by a detector only fairly sure they are calm (the list's veto is capped)", async () => {
    // With the nineteenth stop's examples the veto would have risen to 0.04, overruling each of these.
    for (const message of [
      "can I take a long flight at week 2 blood everywhere",
      "can I take a long flight at week 2 there's so much blood",
      "what would it mean if I fainted? because I just did",
      "had chills the first night and they never stopped anyway how long do i wear the garment?",
      "help babe i mean my baby has a fever after her hips anyway how long do i wear the garment?",
    ]) {
      expect(await kindOf(message), message).toBe("urgent");
    }
  });

  it("told as a sign back in other words, or with a cause that sounds calm, get the urgent reply (two reviews of withdrawn not-current cues)", async () => {
    const lines = fixtureLines("recurrence-and-cause-emergencies.txt");
    expect(lines.length).toBe(490);
    expect(await notUrgent(lines)).toEqual([]);
  }, 120_000);

  it("about ending one's life gets the reply written for that sign, even after another sign", async () => {
    const presenter = createPresenter(assistant);
    const crisis = assistant.texts.urgent_for_signs.find(({ sign }) => sign === "thoughts of self-harm or suicide")!.text;
    expect(crisis).not.toBe(assistant.texts.urgent);
    expect(presenter.reply(await assistant.reply("i dont want to live anymore")).text).toBe(crisis);
    // Its texting shorthand too (a review found "kms" declined).
    expect(await assistant.reply("honestly i want to kms")).toEqual({ kind: "urgent", redFlag: "thoughts of self-harm or suicide" });
    const both = await assistant.reply("fever of 39 since last night and I want to kill myself");
    expect(both).toEqual({ kind: "urgent", redFlag: "fever", otherSigns: ["thoughts of self-harm or suicide"] });
    expect(presenter.reply(both).text).toBe(crisis);
    expect(presenter.reply(await assistant.reply("fever of 39 since last night")).text).toBe(assistant.texts.urgent);
  });

  it("told alone, before an ordinary question, after a denial or after a thank-you get the urgent reply, most of them (a review's 101 emergencies)", async () => {
    const lines = fixtureLines("emergencies-told-alone.txt");
    expect(lines.length).toBe(101);
    const urgentOf = async (message: (line: string) => string) => (await Promise.all(lines.map((line) => kindOf(message(line))))).filter((kind) => kind === "urgent").length;
    // Measured (eleventh stop): 97 alone; 72 with the question (71 before the detector lost its
    // denial feature, 69 after it at the old told bar 0.7, 28 with the told reading switched off);
    // 74 after a denial (44 while a denial counted against an emergency); 97 after a thank-you
    // (58 while greetings and thanks stayed in the told part).
    expect(await urgentOf((line) => line)).toBeGreaterThanOrEqual(95);
    expect(await urgentOf((line) => `${line}, when will I see my final result?`)).toBeGreaterThanOrEqual(70);
    expect(await urgentOf((line) => `no fever, but ${line}`)).toBeGreaterThanOrEqual(70);
    expect(await urgentOf((line) => `thanks. ${line}`)).toBeGreaterThanOrEqual(95);
  }, 120_000);

  it("that the message denies do not reach the trained detector", async () => {
    expect(await kindOf("I don't have chills or a fever, when is the final result")).not.toBe("urgent");
  });

  it("win over a FAQ question in the same message", async () => {
    const reply = await assistant.reply("when will i see my final result? also i have a fever of 39 degrees");
    expect(reply).toEqual({ kind: "urgent", redFlag: "fever" });
  });

  it("are not triggered when negated", async () => {
    expect(await answerOf("no fever, just uneven hips, why did that happen")).toBe("asymmetry-causes");
    expect(await kindOf("I don't have chills or a fever, when is the final result")).not.toBe("urgent");
    expect(await kindOf("no infection, no bleeding. is it normal that my hips are a tiny bit different")).not.toBe("urgent");
  });

  it("are not triggered by a negation between their words", () => {
    const detector = shippedRedFlags();
    expect(detector.detect("my legs aren't swollen, I checked")).toBeUndefined();
    expect(detector.detect("my leg is swollen")).toBe("calf pain or swelling");
    expect(detector.detect("my leg isn't swollen but my calf hurts a lot")).toBe("calf pain or swelling");
    expect(detector.detect("I do not have any fever")).toBeUndefined();
    // A negation that is one of the phrase's own words, or stands far from its later word, does not cancel it.
    expect(detector.detect("I can not breathe")).toBe("shortness of breath");
    expect(detector.detect("the painkillers not working at all")).toBe("severe or worsening pain");
    expect(detector.detect("pills dont help anymore")).toBe("severe or worsening pain");
    expect(detector.detect("my calf not my thigh is swollen")).toBe("calf pain or swelling");
  });

  it("written with \"can't\" or \"don't\" on the list are found written the other ways too, the words of \"can not\" only side by side", () => {
    // The list says "cant keep anything down" only (reviews' "cannot" and "can not" were missed).
    expectFlagged([
      ["i cannot keep anything down since yesterday", "vomiting"],
      ["I can't keep anything down", "vomiting"],
      ["ok so i can not keep anything down since yesterday", "vomiting"],
      // The list says "dont want to live": a partner writes "she doesn't".
      ["my girlfriend says she doesnt want to live anymore", "thoughts of self-harm or suicide"],
      ["she does not want to be alive, she told me last night", "thoughts of self-harm or suicide"],
      // The list writes its phrases in the first person: "blood dont stop" also finds "the blood doesnt stop".
      ["blood dont stop", "heavy bleeding"],
      ["the blood does not stop coming out", "heavy bleeding"],
      ["i do not wanna be alive", "thoughts of self-harm or suicide"],
      ["she does not recognise me, she keeps asking who I am", "fainting, dizziness or confusion"],
    ]);
    expectUnflagged([
      "i cannot believe how good my hips look",
      // "can … not" apart, in any order, is not "can not" (a review).
      "I can keep fluids down, not sick at all",
      "i can keep water down and not feeling sick",
      "i can not say i keep anything down easily but im fine",
      // Not from the third person to the first: the list's "doesnt recognize me" is someone else's confusion (a review).
      "my friends dont recognize me, I look amazing",
    ]);
    expect(otherSpellings(["i", "cant", "breath"])).toEqual([
      ["i", "cant", "breath"],
      ["i", "cannot", "breath"],
      ["i", "can not", "breath"],
    ]);
    expect(otherSpellings(["cannot", "stop", "shake"])).toContainEqual(["cant", "stop", "shake"]);
    expect(otherSpellings(["fever"])).toEqual([["fever"]]);
  });

  it("about ending one's life in words a review found missing are on the list; look-alikes of new phrases are not", () => {
    const detector = shippedRedFlags();
    for (const message of [
      "I keep thinking everyone would be better off if I wasnt here",
      "tbh i've been thinking of not being here anymore",
      "I wrote a goodbye letter, I'm sorry for bothering you",
      "my best friend had her hips done last week, she says she wants to end her life",
      "I'm not safe with myself tonight",
    ]) {
      expect(detector.detect(message), message).toBe("thoughts of self-harm or suicide");
    }
    expect(detector.detect("she is the palest i have seen her and her lips are greyish")).toBe("shortness of breath");
    expect(detector.detect("sorry to bother, da red patch doubled in size since yesterday")).toBe("spreading redness");
    // A review of the phrases' first versions ("puking", "grey lips", "red patch growing") found these.
    for (const calm of ["the nurse poked my hip to check the swelling, all good", "I bought a grey lip liner lol", "my hair is growing back and the red patch from the tape is gone"]) {
      expect(detector.detect(calm), calm).toBeUndefined();
    }
  });

  it("in the other languages our patients write in are on the clinic's list, negations and all", () => {
    const detector = shippedRedFlags();
    expect(detector.detect("tengo fiebre desde ayer")).toBe("fever");
    expect(detector.detect("у меня температура 39 со вчерашнего дня")).toBe("fever");
    expect(detector.detect("عندي حرارة عالية 39.5 بعد العملية")).toBe("fever");
    expect(detector.detect("الحرارة 39")).toBe("fever");
    expect(detector.detect("не могу дышать")).toBe("shortness of breath");
    expect(detector.detect("no tengo fiebre")).toBeUndefined();
    expect(detector.detect("нет температуры, всё хорошо")).toBeUndefined();
    expect(detector.detect("بدون حرارة عالية الحمد لله")).toBeUndefined();
    expect(detector.detect("no tengo fiebre pero estoy sangrando mucho")).toBe("heavy bleeding");
    expect(detector.detect("Não tenho febre mas estou sangrando muito")).toBe("heavy bleeding");
    expect(detector.detect("لا حرارة عالية ولكن نزيف")).toBe("heavy bleeding");
  });

  it("of another script are matched as written, and a bare word that also means something harmless is not one", () => {
    // "bed" is not "bleeds", "medicine" not "dizziness", "clean" not "bleeding": no repair in other scripts.
    expectUnflagged(["можно спать на кровати на спине", "هل يمكنني أخذ دواء للألم", "الجرح نظيف والحمد لله", "Температура нормальная", "هل يمكنني الجلوس في حرارة الشمس"]);
    // Nor is an everyday word of another language "repaired" into a sign it only looks like, and
    // a sign of several words counts only word for word, in order.
    expectUnflagged([
      "¿dormir de lado puede dañar la grasa injertada?",
      "quiero la cintura marcada",
      "mi sutura se ve bien",
      "can I drink sangria after my bbl",
      "¿Cuál es el secreto para una buena recuperación?",
      "es sagrado el reposo?",
      "¿Puedo calentar la zona con una bolsa de agua?",
      "¿Puedo respirar profundo o no?",
      "Я не могу понять как правильно дышать в белье",
    ]);
  });

  it("are cancelled by a negation only across linking words, never across the rest of a sentence", () => {
    expectFlagged([
      ["no energy at all and fever", "fever"],
      ["I dont feel good I have a fever", "fever"],
      ["no appetite and vomiting since morning", "vomiting"],
      ["no one answers at the clinic and im bleeding a lot", "heavy bleeding"],
      ["No puedo dormir por la fiebre", "fever"],
      ["Llevo tres días sin dormir y con fiebre", "fever"],
      ["No sé si es normal tengo fiebre de 39", "fever"],
      ["Nao consigo dormir com a dor no peito", "chest pain"],
      ["не могу остановить кровотечение", "heavy bleeding"],
      // Pronouns, "the", a verb or another symptom without "or" between end a negation's reach.
      ["no im bleeding", "heavy bleeding"],
      ["no the wound opened", "pus or smelly discharge"],
      ["no fever i have chest pain", "chest pain"],
      ["i dont have chest pain i have fever", "fever"],
      ["it doesnt stop bleeding", "heavy bleeding"],
      ["painkillers didnt help the pain is unbearable", "severe or worsening pain"],
      ["I have never felt so dizzy", "fainting, dizziness or confusion"],
      ["нет, у меня кровотечение", "heavy bleeding"],
      // A sign with a negation of its own is never cancelled by another one.
      ["no no puedo respirar", "shortness of breath"],
      ["no puedo ni respirar", "shortness of breath"],
      // An emoji, and the Arabic comma, end a clause and so a negation's reach.
      ["no fever 😭 im bleeding", "heavy bleeding"],
      ["لا حرارة عالية، نزيف", "heavy bleeding"],
    ]);
    expectUnflagged([
      "I do not have any fever",
      "I haven't noticed any pus or bleeding",
      "no fever or chills, just curious",
      "I don't have chills or a fever, when is the final result",
      "no chest pain or fever",
      "no heavy bleeding just some spotting",
      "no obvious signs of infection",
      "haven't had even a slight fever",
      "no longer bleeding, when can I shower",
      "salamat doc wala akong lagnat",
    ]);
  });

  it("are found when a comma separates their words as in a list, and only then", () => {
    const detector = shippedRedFlags();
    expect(detector.detect("the skin on that side is hot, red and swollen")).toBe("spreading redness");
    expect(detector.detect("La zona está roja, caliente y cada día se extiende más")).toBe("spreading redness");
    expect(detector.detect("not hot, red or swollen, just wondering about the final result")).toBeUndefined();
    // Words of a sign in two clauses that only happen to be close are no sign.
    expectUnflagged([
      "is hot yoga ok, red light therapy?",
      "when can I wear a red dress, is hot weather ok",
      "the pain, is it worse after bbl or lipo?",
      "my legs, arms and back are swollen after lipo 360, how long does it last",
    ]);
  });

  it("are read from numbers: a temperature or a heart rate in its range, next to a word saying what it measures", () => {
    expectFlagged([
      ["my heart rate is 130 just lying in bed, surgery was tuesday", "chest pain"],
      ["resting pulse is 125 and my watch keeps warning me", "chest pain"],
      ["HR 130 resting, day 3", "chest pain"],
      ["apple watch: 140 bpm", "chest pain"],
      ["thermometer says 38,9", "fever"],
      ["my temprature is 39.2 and i feel awful", "fever"],
      ["temp: 39", "fever"],
      ["temp 101.5F rn", "fever"],
      ["fever39.5 help", "fever"],
      ["38.6° this morning", "fever"],
      ["حرارة ٣٩", "fever"],
      // Where it was taken says what it measures (a review found "I measured 38.6 under my arm" missed).
      ["I measured 38.6 under my arm", "fever"],
      ["38.7 under the tongue, feel awful", "fever"],
      // "at" only right before a number written with one decimal, as a thermometer shows it.
      ["had a fever last week, it went away. But I am at 38.9", "fever"],
      ["still at 39,1 tonight", "fever"],
    ]);
    // Weights, ages, times, dates, prices, fractions and other numbers between are no readings.
    expectUnflagged([
      "my temp is 37.2, is that ok",
      "pulse 80, bp 125/80",
      "temp 36.6, bp 110/70",
      "I weigh 110 lbs, heart rate normal",
      "I'm 39, what temperature should the shower be",
      "took 400mg ibuprofen at 10:40, temp 37.1",
      "temp check on the 38th day, all fine",
      "temp 37.5 on day 39",
      "how much is it, 120? pulse lavage",
      "pulse session 120 euros",
      "temperature dropped to -39 outside",
      "I measured my hips, 41 and 39 inches",
      "can I have it done at 40?",
      "the garment is on sale at 39.99",
      "I'm at 38.5 kg now",
      "my BMI is at 38.5, is that too high?",
    ]);
  });

  it("are denied by 'nothing' only right before them, never across other words", () => {
    const detector = shippedRedFlags();
    expect(detector.inspect("normal swelling, nothing hot or red. why are hips uneven")).toEqual({ redFlags: [], denied: true, deniedAlone: true, affirmed: "normal swelling. why are hips uneven" });
    expect(detector.detect("no shivers, nothing oozing, can I sit yet")).toBeUndefined();
    expect(detector.detect("I ate nothing feeling dizzy and faint")).toBe("fainting, dizziness or confusion");
    expect(detector.detect("pain meds do nothing have chills")).toBe("chills");
    expect(detector.detect("I've eaten nothing fainted twice today")).toBe("fainting, dizziness or confusion");
    expect(detector.detect("nothing stops the bleeding")).toBe("heavy bleeding");
  });

  it("named only to be denied bring the line on what to do if the sign comes, unless the message gets an answer", async () => {
    for (const text of ["no fever", "no fever, thanks!", "no chills no fever, when will my hips look even?", "no pus, how much does it cost?"]) {
      const reply = await assistant.reply(text);
      expect(reply.kind === "answer" || reply.kind === "clarify" || ("signsNamed" in reply && reply.signsNamed), `${text}: ${JSON.stringify(reply)}`).toBe(true);
    }
  });

  it("that are denied leave the rest of their clause for the trained detector to read", () => {
    const detector = shippedRedFlags();
    expect(detector.inspect("im not bleeding or anything lol just want to find a good surgeon")).toEqual({
      redFlags: [],
      denied: true,
      deniedAlone: false,
      affirmed: "im or anything lol. just want to find a good surgeon",
    });
    expect(detector.inspect("no fever here yet when is the final result")).toEqual({ redFlags: [], denied: true, deniedAlone: false, affirmed: "here yet when is the final result" });
    // A sign found across other words ("chills ... shaking" for "shaking chills") takes only its
    // words next to the denial with it.
    expect(detector.inspect("hey no fever or chills my whole body is shaking thx")).toEqual({ redFlags: [], denied: true, deniedAlone: false, affirmed: "hey my whole body is shaking thx" });
    expect(detector.inspect("no chills im shaking thx")).toEqual({ redFlags: [], denied: true, deniedAlone: false, affirmed: "im shaking thx" });
  });

  it("are not denied by a negation that reaches them only through another sign, by a cry, or where they come again", () => {
    expectFlagged([
      // A sign with a negation of its own.
      ["no fever cant breathe thanks", "shortness of breath"],
      // Two signs side by side without "or": a list of denials, or a denial and a sign.
      ["no fever calf swollen thanks", "calf pain or swelling"],
      ["oh no bleeding", "heavy bleeding"],
      ["oh no not fever again", "fever"],
    ]);
    expectUnflagged(["no fever or chills, when can I sit", "nothing hot or red around the cuts"]);
  });

  it("get the urgent-care reply when a relative writes, the surgery is told in the past or the patient asks whether to worry", async () => {
    for (const text of [
      "my daughter had lipo last week and she has a fever how do i know if its serious",
      "my daughter had lipo last week and the wound opened up how do i know if its serious",
      "my mom had the hips done 5 days ago and now she is confused and very sleepy, what should we do",
      "im a bit dizzy should i worry",
      "I ate nothing today, feeling dizzy and faint",
    ]) {
      expect(await kindOf(text), text).toBe("urgent");
    }
  });

  it("from the clinic's list do not count when the sign is someone else's and the writer says the surgery was theirs", () => {
    expectUnflagged([
      "my son has a fever, I'm 10 days post op, can I carry him on my hip?",
      "my daughter has the flu with a fever and I'm exhausted. I'm 4 weeks post op, are my hips normal?",
      "my son has a fever and chills (flu going around). I'm 10 days post op and feel fine",
      "My daughter (she's 6) has a tummy bug and keeps throwing up. I'm 2 weeks post-op, can I sleep on my side?",
    ]);
    // Still the patient's sign: the surgery is another's, or not said to be the writer's, or the
    // person is not the subject of the sign, or the message is not in English.
    expectFlagged([
      ["my wife had the procedure 5 days ago and now she has a fever", "fever"],
      ["my mum is 6 days post op and she has a fever, I'm so worried", "fever"],
      ["my son has a fever", "fever"],
      ["my sister has a fever (she never had surgery), I'm 10 days post op", "fever"],
      ["I had lipo 5 days ago and my husband is away, now a high fever and shaking", "fever"],
      ["I'm 10 days post op. Me and my husband both have a fever", "fever"],
      ["I had lipo on Monday. Went for a cat scan and fainted in the waiting room", "fainting, dizziness or confusion"],
      ["Not kidding, burning up with fever, I had my bbl 5 days ago", "fever"],
      ["I'm posting for my husband who had a tummy tuck: my husband has a high fever and chills", "fever"],
      ["My wife had a tummy tuck with you last week (I posted a review). My wife has a fever and chills now", "fever"],
      ["my son is at school, I'm 4 days post op and I'm so dizzy I can't stand", "fainting, dizziness or confusion"],
      ["my son has a fever and I have chills, 5 days post op", "chills"],
      // The writer has it too, in words of the shared list (a review's look-alikes).
      ["my son has a fever and so am I, I'm 5 days post op", "fever"],
      ["my son has a fever, same for me, I had my bbl 4 days ago", "fever"],
      ["my daughter has a fever, and now me. I'm 10 days post op", "fever"],
      ["my wife (she's 5 days post op) has a fever", "fever"],
      ["I'm 6 days post op, my daughter says I have a fever", "fever"],
    ]);
  });

  it("from the clinic's list do not count when the sign is told as over, unless anything leaves a doubt", () => {
    expectUnflagged([
      "I had a fever 2 weeks ago but it's gone now. When can I think about a revision?",
      "I was dizzy from the anaesthesia on the first day but it's completely gone now",
      // The question is the sentence's last clause, not the one that says the sign is over.
      "I had a fever last week but it's completely gone now, anyway when can I see the final shape?",
      "I was vomiting on the first day but it stopped the same night",
      "I had a fever in the first week, it went away the next day",
    ]);
    expectFlagged([
      ["I had a fever on day 2, it went away, but tonight it's back", "fever"],
      ["I had a fever, it went away with paracetamol", "fever"],
      ["I had chills all night and they are still there", "chills"],
      ["I had a fever yesterday and now the pain is gone", "fever"],
      ["I had heavy bleeding and I can't make it stop", "heavy bleeding"],
      ["I've had a fever for 3 days, it's gone up", "fever"],
      ["I got chest pain and it has gone down my arm", "chest pain"],
      ["My wound was bleeding all night, it's gone through 3 pads", "heavy bleeding"],
      ["I had a fever last night and it was over 39", "fever"],
      ["I had a high fever, it settled then spiked this morning", "fever"],
      ["I had a fever and I'm not sure it went away", "fever"],
      ["I had a fever, I hope it's gone soon", "fever"],
      ["I had a bad fever, how long until it's gone?", "fever"],
      ["I had pus from my wound, is it healed?", "pus or smelly discharge"],
      ["I had a fever, is it gone for good?", "fever"],
      // Over only for the signs of over_signs, only long enough ago, never in the present perfect.
      ["I had chest pain 2 weeks ago but it's gone now", "chest pain"],
      ["I had a fever this morning but it's gone now", "fever"],
      ["I've also had a fever since 2 days ago, it's gone now", "fever"],
      ["I had a fever last night and it never came back down", "fever"],
      ["I had chest pain this morning, do you think i'm ok?", "chest pain"],
      ["I was short of breath walking to the bathroom, I'm ok when I sit down", "shortness of breath"],
      ["I had a high fever ok now what", "fever"],
      ["I had a fever 2 weeks ago, it went away, now it's 39", "fever"],
      ["I had a fever 2 weeks ago, it went away. Tonight it's back", "fever"],
      ["I had a fever last week and it stopped me sleeping", "fever"],
      ["I was vomiting in the first days, it stopped, but I still feel sick", "vomiting"],
      // After the word of the end, "but" or "yesterday" may tell something is wrong again, in other words.
      ["I had a fever last week, it's gone. But I feel awful and burning hot", "fever"],
      ["I was dizzy the first day, it passed. Since yesterday I see spots when I stand", "fainting, dizziness or confusion"],
      // A word of the present in a later sentence may tell the sign is back, statement or question.
      ["I was dizzy last week, it went away. Now everything is spinning", "fainting, dizziness or confusion"],
      ["I had a fever 2 days ago but it went away. It's there now, what should I do?", "fever"],
      ["I had a fever last week but it went away. Then this evening 38.7, should I worry?", "fever"],
      ["I had a fever 1 week ago but it went away. today I feel terrible", "fever"],
      ["I had a fever 2 days ago, it stopped, started, stopped", "fever"],
      ["I had a fever 3 days ago that passed 39", "fever"],
      ["I had a fever 3 days ago, it passed the 39 mark", "fever"],
    ]);
  });

  it("from the clinic's list still count in four reviews' look-alike emergencies", () => {
    const detector = shippedRedFlags();
    const lines = fixtureLines("not-current-emergencies.txt");
    expect(lines.length).toBeGreaterThan(30);
    for (const text of lines) expect(detector.detect(text), text).toBeDefined();
  });

  it("from the clinic's list do not count inside a figure of speech", () => {
    expectUnflagged([
      "I'm burning up with jealousy, my friend's results are perfect",
      "throwing up my hands with this surgeon",
      "bleeding money on garments",
      "my heart is racing with excitement, when will I see the final shape?",
      "shivers down my spine, I love the curve",
      "dizzy with excitement, my surgery is booked",
      "we passed out laughing at the photos",
    ]);
    expectFlagged([
      ["I'm burning up with fever and chills", "fever"],
      ["throwing up since lunch, can't keep water down", "vomiting"],
      ["my heart is racing and I feel faint", "chest pain"],
      ["I have chills and my back hurts down my spine", "chills"],
      ["the antibiotics gave me chills", "chills"],
      ["so dizzy I can't stand, and my heart is racing", "fainting, dizziness or confusion"],
    ]);
  });

  it("are not cancelled by link words that only look like a denial", () => {
    expectUnflagged(["haven't had a single dizzy spell since surgery", "not one drop of pus, incisions look clean"]);
    expectFlagged([["no one can make the bleeding stop", "heavy bleeding"]]);
  });

  it("are looked for in the words patients use for a wound that opened, blood that will not stop and a crushing chest", () => {
    const detector = shippedRedFlags();
    expect(detector.detect("one of my stitches popped today and the skin has separated")).toBe("pus or smelly discharge");
    expect(detector.detect("blood not stop from cut, many tissue full")).toBe("heavy bleeding");
    expect(detector.detect("a crushing feeling in the chest since an hour")).toBe("chest pain");
    expect(detector.detect("thermometer says 38.9°C, is that ok")).toBe("fever");
    expectUnflagged(["when do the stitches come out", "will sitting crush the fat", "I wear a 38C bra, will lipo change that", "is it normal that the skin separated from the fat feels lumpy"]);
  });

  it("are looked for in everyday words for worsening pain, a hard calf, blood, yellow liquid, confusion, breathing and self-harm", () => {
    expectFlagged([
      ["the pain gets worse every hour since lunch", "severe or worsening pain"],
      ["my pain meds aren't helping, it's worse each morning", "severe or worsening pain"],
      ["painkillers don't even touch it", "severe or worsening pain"],
      ["my left calf is hard and sore", "calf pain or swelling"],
      ["one calf is bigger than the other since yesterday", "calf pain or swelling"],
      ["bright red blood keeps coming into the drain", "heavy bleeding"],
      ["thick yellow liquid came out of the cut", "pus or smelly discharge"],
      ["she keeps losing her words and can't find my name", "fainting, dizziness or confusion"],
      ["when will I see my final result? I can hardly breathe", "shortness of breath"],
      ["i can barely breathe when i lie down", "shortness of breath"],
      ["there is not enough air in the room for me, I'm panting on the sofa", "shortness of breath"],
      ["my lips are blue and I feel weird", "shortness of breath"],
      ["there is blood all over the bed", "heavy bleeding"],
      ["I threw up blood this morning", "heavy bleeding"],
      ["my mum doesn't know who I am since this morning", "fainting, dizziness or confusion"],
      ["I want to end my life", "thoughts of self-harm or suicide"],
      ["I took too many pills", "thoughts of self-harm or suicide"],
      ["i dont want to live anymore after this surgery", "thoughts of self-harm or suicide"],
    ]);
    expectUnflagged(["my left hip is bigger than the right, why", "how hard should the garment be", "I felt foggy from the anaesthetic on the day, fine since"]);
  });

  it("are looked for in the ways patients say they do not want to live, and in the forms Russian and Arabic give those words", () => {
    expectFlagged([
      ["no point in living anymore", "thoughts of self-harm or suicide"],
      ["i have no reason to live", "thoughts of self-harm or suicide"],
      ["i want to unalive myself", "thoughts of self-harm or suicide"],
      ["honestly there's nothing to live for since the surgery", "thoughts of self-harm or suicide"],
      ["nobody would miss me anyway", "thoughts of self-harm or suicide"],
      ["my family is better off without me", "thoughts of self-harm or suicide"],
      ["мысли о самоубийстве", "thoughts of self-harm or suicide"],
      ["я не хочу жить", "thoughts of self-harm or suicide"],
      ["أفكر في الانتحار", "thoughts of self-harm or suicide"],
      ["أريد أن أقتل نفسي", "thoughts of self-harm or suicide"],
      ["أشعر بضيق في التنفس", "shortness of breath"],
      ["اشعر بالدوخة", "fainting, dizziness or confusion"],
      ["عندي ضيق بالتنفس", "shortness of breath"],
      ["أحس بألم شديد في صدري", "severe or worsening pain"],
      ["رجلي منتفخة", "calf pain or swelling"],
      ["حرارتي مرتفعة", "fever"],
      // A denied sign in a form the list does not hold does not carry its denial on to the next one.
      ["без рвоты одышка со вчерашнего дня", "shortness of breath"],
    ]);
    expectUnflagged([
      "is there any reason I can't live a normal life after the op?",
      "I'm dying to see my final result",
      "жить с этим можно? когда будет результат",
      "I'm tired of living in these compression garments",
      "Как снизить риск инфекции после операции?",
      "Боюсь навредить себе упражнениями после операции",
    ]);
  });

  it("are read from a thermometer's reading sent alone, with one decimal; a whole number or a price alone is no reading", async () => {
    expectFlagged([
      ["38.9", "fever"],
      ["39,4", "fever"],
      ["101.3", "fever"],
    ]);
    // A feverish patient sends a series too; a sign makes a number money, a share or a reference (a review).
    expectFlagged([
      ["38.5 39.1", "fever"],
      ["٣٨٫٩", "fever"],
    ]);
    expectUnflagged(["39", "38.99", "37.2", "2.5", "37.2 37.5", "$38.9", "38.9%", "#38.9", "40,5 €"]);
    expect(await assistant.reply("38.9")).toMatchObject({ kind: "urgent", redFlag: "fever" });
    expect(await assistant.reply("39")).toMatchObject({ kind: "fallback", reason: "empty" });
  });

  it("are read from numbers written in words, as voice-to-text writes them", () => {
    expectFlagged([
      ["I have temperature thirty nine point one since last night", "fever"],
      ["my temp is one hundred and two", "fever"],
      ["i think my temperature is a hundred and three is that bad after surgery", "fever"],
      ["temperature thirty eight and a half and shaking", "fever"],
    ]);
    expectUnflagged(["I'm thirty nine and my temperature is normal", "temperature thirty six point eight this morning", "my temperature was fine two weeks ago", "I checked my temperature a hundred times today, all normal"]);
  });

  it("still count after a negation of something else", async () => {
    expect(await kindOf("no fever but my calf is swollen")).toBe("urgent");
    expect(await kindOf("not sure if it is infected, it smells bad")).toBe("urgent");
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
    ["hola buenas", "greeting"],
    ["спасибо", "thanks"],
    ["muito obrigada", "thanks"],
    ["salam alaikum", "greeting"],
  ])("'%s' gets the %s reply", async (text, smalltalk) => {
    expect(await assistant.reply(text)).toEqual({ kind: "smalltalk", smalltalk });
  });

  it("the list recognises only its phrases and companions, so words like 'help' still reach the urgent detector", () => {
    const detector = createSmalltalkDetector(loadKnowledgeBase(SHIPPED_KNOWLEDGE_DIR).vocabulary);
    expect(detector.detect("hello doctor")).toBe("greeting");
    expect(detector.detect("thanks so much team")).toBe("thanks");
    expect(detector.detect("hi need help please")).toBeUndefined();
    expect(detector.detect("hello doctor help now")).toBeUndefined();
  });

  it("that is nothing but small talk once the signs it denies are left out gets small talk with what to do if the sign comes", async () => {
    const reply = await assistant.reply("no fever, no chills, thanks!");
    expect(reply).toEqual({ kind: "smalltalk", smalltalk: "thanks", signsNamed: true });
    const presenter = createPresenter(assistant);
    expect(presenter.reply(reply).text).toBe(`${assistant.texts.smalltalk.thanks}\n\n${assistant.texts.signs_named}`);
    expect(presenter.reply(await assistant.reply("thank you so much")).text).toBe(assistant.texts.smalltalk.thanks);
  });

  it("that denies a sign gets small talk only where it asks nothing, the model reads the rest as small talk and the detector reads it as calm as overruling the list takes", async () => {
    // Without the model's reading of what the message affirms, these were declined ("not in my notes").
    for (const text of ["No fever and no bleeding, healing nicely. Just wanted to say thank you!", "no fever, no chills, eating well. just wanted to say thanks for the care!"]) {
      const reply = await assistant.reply(text);
      expect(reply, text).toMatchObject({ kind: "smalltalk", signsNamed: true });
    }
    // A question beside the denial wants an answer; read whole, the denials sound like small talk to the model.
    for (const text of ["day 3, slight swelling, no fever, is that ok?", "no chills, is this fine?", "no fever no swelling just curious when i can sit on a chair"]) {
      expect(await kindOf(text), text).not.toBe("smalltalk");
    }
    // Read above the list's veto: declined, not small talk.
    expect(await kindOf("no fever, but I need help right now")).toBe("fallback");
  });

  it("that denies a sign and says anything more in the denial's clause is declined with what to do if the sign comes, never small talk", async () => {
    // A misread denial, or another sign beside it, must not get a cheerful reply (a review found
    // these with the model's small talk before each denial had to be a clause of its own).
    expect(await kindOf("hey no fever or chills my whole body is shaking thx")).toBe("urgent");
    for (const text of ["thx no fever is still there", "no bleeding stopped, thanks", "hi no fever has not gone", "no fever, but I need help right now", "no fever anymore but I still feel awful, thanks"]) {
      const reply = await assistant.reply(text);
      expect(reply.kind === "urgent" || (reply.kind === "fallback" && reply.signsNamed === true), `${text}: ${JSON.stringify(reply)}`).toBe(true);
    }
    const detector = shippedRedFlags();
    expect(detector.inspect("no fever, no chills. feeling great, thanks").deniedAlone).toBe(true);
    expect(detector.inspect("thx no fever is still there").deniedAlone).toBe(false);
    const presenter = createPresenter(assistant);
    expect(presenter.reply(await assistant.reply("no fever, but I need help right now")).text).toBe(`${assistant.texts.fallback}\n\n${assistant.texts.signs_named}`);
    const thanks = await assistant.reply("no fever, no chills, eating well. just wanted to say thanks for the care!");
    expect(presenter.reply(thanks).text).toBe(`${assistant.texts.smalltalk[thanks.kind === "smalltalk" ? thanks.smalltalk : "thanks"]}\n\n${assistant.texts.signs_named}`);
    expect(presenter.reply(await assistant.reply("how much does the operation cost?")).text).toBe(assistant.texts.fallback);
  });

  it("does not swallow a question that starts with a greeting", async () => {
    expect(await answerOf("hi! when will i see my final result")).toBe("final-results-timing");
  });
});

describe("odd input", () => {
  it("empty or blank text gets a hint", async () => {
    for (const text of ["", "   ", "\n\t", "\u200b\u200b"]) {
      expect(await assistant.reply(text)).toMatchObject({ kind: "fallback", reason: "empty" });
    }
  });

  it("emoji or punctuation only gets a hint", async () => {
    expect(await assistant.reply("🤔🤔")).toMatchObject({ kind: "fallback", reason: "empty" });
    expect(await assistant.reply("???")).toMatchObject({ kind: "fallback", reason: "empty" });
  });

  it("another script gets the English-only fallback", async () => {
    expect(await assistant.reply("почему у меня бедра разные")).toMatchObject({ kind: "fallback", reason: "other-language" });
    expect(await assistant.reply("为什么我的臀部不对称")).toMatchObject({ kind: "fallback", reason: "other-language" });
  });

  it("a 10,000-character message gets a reply, and nothing but its end is matched", async () => {
    const reply = await assistant.reply(`${"I have been reading a lot about this procedure online. ".repeat(200)} when will i see my final result`);
    expect(["answer", "clarify", "fallback", "urgent"]).toContain(reply.kind);
    expect(await kindOf("x".repeat(10_000))).not.toBe("answer");
  });

  it("an emergency at the start of a long message is seen by the trained detector too", async () => {
    const story = `my heart is pounding and everything is spinning since this morning. ${"We talked about the holidays and the kids and the garden. ".repeat(60)} when will i see my final result`;
    expect(await kindOf(story)).toBe("urgent");
  });

  it("a failing model still gives the patient a reply (the fallback), and says so", async () => {
    const kb = loadKnowledgeBase(SHIPPED_KNOWLEDGE_DIR);
    const model = await loadOrTrainModel(kb, await testEncoder());
    const errors: unknown[] = [];
    const broken = createAssistant(kb, { model, score: () => Promise.reject(new Error("encoder out of memory")) }, { onError: (error) => errors.push(error) });
    expect(await broken.reply("when will i see my final result")).toMatchObject({ kind: "fallback", reason: "not-covered" });
    expect(await broken.reply("i have a fever")).toMatchObject({ kind: "urgent" });
    expect(errors).toHaveLength(2);
  });

  it("a message in another script still goes past the urgent detector before the English-only reply", async () => {
    const kb = loadKnowledgeBase(SHIPPED_KNOWLEDGE_DIR);
    const model = await loadOrTrainModel(kb, await testEncoder());
    const verdict = (urgent: number) => ({ probabilities: new Float64Array(model.classes.length), urgent, note: () => undefined });
    const read: string[] = [];
    const alarmed = createAssistant(kb, { model, score: (evidence) => (read.push(evidence.text), Promise.resolve(verdict(1))) });
    const calm = createAssistant(kb, { model, score: () => Promise.resolve(verdict(0)) });
    const text = "Здравствуйте, у меня болит бедро since night";
    expect(await alarmed.reply(text)).toMatchObject({ kind: "urgent" });
    expect(read).toEqual(["since night"]);
    expect(await calm.reply(text)).toMatchObject({ kind: "fallback", reason: "other-language" });
    // Nothing in Latin script: nothing the models can read, so no verdict is asked of them.
    expect(await alarmed.reply("у меня болит бедро")).toMatchObject({ kind: "fallback", reason: "other-language" });
    expect(read).toEqual(["since night"]);
    // A sign of the clinic's list in the other language is urgent, whatever the detector says of
    // the Latin-script words, which do not contain it.
    expect(await calm.reply("у меня температура 39 since yesterday")).toEqual({ kind: "urgent", redFlag: "fever" });
    expect(await calm.reply("у меня температура 39, что делать")).toEqual({ kind: "urgent", redFlag: "fever" });
  });

  it("a red flag of the clinic's list is overruled only when the detector is sure it is not a current one", async () => {
    const kb = loadKnowledgeBase(SHIPPED_KNOWLEDGE_DIR);
    const model = await loadOrTrainModel(kb, await testEncoder());
    expect(model.listVeto).toBeGreaterThan(0);
    expect(model.listVeto).toBeLessThan(model.urgentThreshold);
    const probabilities = new Float64Array(model.classes.length);
    probabilities[model.classes.indexOf("final-results-timing")] = 0.9;
    const withUrgency = (urgent: number) => createAssistant(kb, { model, score: () => Promise.resolve({ probabilities, urgent, note: () => undefined }) });
    const text = "had a fever on day two, gone the next morning. when do i see the final shape";
    expect(await withUrgency(model.listVeto).reply(text)).toEqual({ kind: "urgent", redFlag: "fever" });
    expect(await withUrgency(model.listVeto / 2).reply(text)).toMatchObject({ kind: "answer", entry: { id: "final-results-timing" } });
    // A reading that is not a number keeps the list.
    expect(await withUrgency(Number.NaN).reply(text)).toEqual({ kind: "urgent", redFlag: "fever" });
    // Never for the signs of never_overruled, however calm the rest of the message reads.
    expect(await withUrgency(0).reply("I want to end my life, when will I see my final result?")).toEqual({ kind: "urgent", redFlag: "thoughts of self-harm or suicide" });
    expect(await withUrgency(0).reply("I fainted again, when will I see my final result?")).toMatchObject({ kind: "answer" });
    // Nor where another sign comes first: every sign the message names counts.
    expect(await withUrgency(0).reply("I fainted again and honestly I want to end my life, when will I see my final result?")).toEqual({
      kind: "urgent",
      redFlag: "fainting, dizziness or confusion",
      otherSigns: ["thoughts of self-harm or suicide"],
    });
    // A pain score alone is a red flag, not an empty message.
    expect(await withUrgency(model.listVeto).reply("9/10")).toEqual({ kind: "urgent", redFlag: "severe or worsening pain" });
    // A red flag in the middle of a very long message, which the detector never reads, is never overruled.
    const filler = "We talked about the holidays, the kids and the garden. ";
    const long = `${filler.repeat(40)}I fainted in the shower. ${filler.repeat(40)}when do i see the final shape`;
    expect(await withUrgency(0).reply(long)).toEqual({ kind: "urgent", redFlag: "fainting, dizziness or confusion" });
    // Nor beside a sign at the end that it did read: every sign of the message counts.
    const calm = "had a fever on day two, gone the next morning. when do i see the final shape";
    const middle = (sign: string) => `${filler.repeat(40)}${sign} ${filler.repeat(40)}${calm}`;
    expect(await withUrgency(model.listVeto / 2).reply(middle("My calf is swollen and hot."))).toMatchObject({ kind: "urgent", otherSigns: ["calf pain or swelling"] });
    expect(await withUrgency(0).reply(middle("I want to end my life."))).toMatchObject({ kind: "urgent", otherSigns: ["thoughts of self-harm or suicide"] });
    // The detector reads the start of a long message too: a sign there that it reads as current
    // keeps the list, however calm the end reads.
    const headFirst = `I fainted in the shower. ${filler.repeat(80)}${calm}`;
    const byPart = createAssistant(kb, {
      model,
      score: (evidence) => Promise.resolve({ probabilities, urgent: evidence.text.startsWith("I fainted") ? model.listVeto : 0, note: () => undefined }),
    });
    expect(await byPart.reply(headFirst)).toMatchObject({ kind: "urgent", redFlag: "fever", otherSigns: ["fainting, dizziness or confusion"] });
    expect(await withUrgency(0).reply(headFirst)).toMatchObject({ kind: "answer" });
  });

  it("what a message tells before its question is urgent only where the detector is sure of it and it is nearer an emergency than anything calm", async () => {
    const kb = loadKnowledgeBase(SHIPPED_KNOWLEDGE_DIR);
    const model = await loadOrTrainModel(kb, await testEncoder());
    const probabilities = new Float64Array(model.classes.length);
    probabilities[model.classes.indexOf("final-results-timing")] = 0.9;
    const reading = (urgent: number, margin: number) => createAssistant(kb, { model, score: () => Promise.resolve({ probabilities, urgent: 0, told: { urgent, margin }, note: () => undefined }) });
    const text = "my fingers look strange, when do i see the final shape?";
    expect(await reading(0.95, 0.1).reply(text)).toEqual({ kind: "urgent", redFlag: "symptoms described" });
    // The bar (0.68, eleventh stop) sits just under two emergencies of the review's probe.
    expect(await reading(0.69, 0.1).reply(text)).toEqual({ kind: "urgent", redFlag: "symptoms described" });
    expect(await reading(0.67, 0.1).reply(text)).toMatchObject({ kind: "answer", entry: { id: "final-results-timing" } });
    expect(await reading(0.95, 0).reply(text)).toMatchObject({ kind: "answer", entry: { id: "final-results-timing" } });
    expect(await reading(0.5, 0.1).reply(text)).toMatchObject({ kind: "answer", entry: { id: "final-results-timing" } });
  });

  it("of a message that asks nothing are read without its greetings and thanks", async () => {
    const kb = loadKnowledgeBase(SHIPPED_KNOWLEDGE_DIR);
    const model = await loadOrTrainModel(kb, await testEncoder());
    const probabilities = new Float64Array(model.classes.length);
    probabilities[model.classes.indexOf(SMALLTALK)] = 0.9;
    const reading = (urgent: number, margin: number) => createAssistant(kb, { model, score: () => Promise.resolve({ probabilities, urgent: 0, told: { urgent, margin }, note: () => undefined }) });
    // Between the detector's threshold and the told part's bar (0.68).
    const under = (model.urgentThreshold + 0.68) / 2;
    // Read with the whole message's threshold, not the told part's stricter bars.
    expect(await reading(under, -0.1).reply("thanks! my fingers look strange")).toEqual({ kind: "urgent", redFlag: "symptoms described" });
    expect(await reading(model.urgentThreshold / 2, 0.1).reply("thanks! my fingers look strange")).toMatchObject({ kind: "smalltalk" });
    // A message that asks keeps the told part's bars.
    expect(await reading(under, 0.1).reply("thanks! my fingers look strange, when do i see the final shape?")).toMatchObject({ kind: "smalltalk" });
  });

  it("of a huge message in another script, the detector reads only the Latin-script words at its start too", async () => {
    const kb = loadKnowledgeBase(SHIPPED_KNOWLEDGE_DIR);
    const model = await loadOrTrainModel(kb, await testEncoder());
    const read: string[] = [];
    const calm = createAssistant(kb, {
      model,
      score: (evidence) => (read.push(evidence.text), Promise.resolve({ probabilities: new Float64Array(model.classes.length), urgent: 0, note: () => undefined })),
    });
    const text = `температура 39 после BBL. ${"очень долго рассказываю ".repeat(200)} что делать, doctor?`;
    // The list saw the fever at the start; the detector, which cannot read Cyrillic, may not overrule it.
    expect(await calm.reply(text)).toEqual({ kind: "urgent", redFlag: "fever" });
    expect(read).toEqual(["doctor", "39 BBL"]);
  });

  it("a red flag at the start of a huge message is still seen", async () => {
    expect(await kindOf(`I have a fever. ${"and then ".repeat(2000)} when will i see my final result`)).toBe("urgent");
  });
});
