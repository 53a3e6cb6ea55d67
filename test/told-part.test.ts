import { describe, expect, it } from "vitest";
import { readClauses, toldPart as toldPartOf } from "../src/matching/english/index.js";

const toldPart = (text: string, isChatter?: (clause: string) => boolean) => toldPartOf(readClauses(text), isChatter);

describe("what a message tells without what it asks", () => {
  it("is every clause but the question", () => {
    expect(toldPart("my lips are going white, when will I see my final result?")).toBe("my lips are going white");
    expect(toldPart("I have not peed since yesterday. is it ok to lie on my side?")).toBe("I have not peed since yesterday");
    expect(toldPart("day 9, the wound is open. can I shower. also my calf hurts")).toBe("day 9, the wound is open, my calf hurts");
  });

  it("knows a question by its question word when the question mark is missing", () => {
    expect(toldPart("I fainted this morning how long until the hips look even")).toBe("I fainted this morning");
    expect(toldPart("I fainted this morning. how long until the hips look even")).toBe("I fainted this morning");
  });

  it("finds a question that starts in the middle of a clause without punctuation", () => {
    expect(toldPart("fever with sweats all night is it safe to fly next week?")).toBe("fever with sweats all night");
    expect(toldPart("heart pounding when i sit up when can i go back to the gym")).toBe("heart pounding when i sit up");
    expect(toldPart("cant catch my breath can i take ibuprofen")).toBe("cant catch my breath");
    expect(toldPart("puking with every sip of water or is that normal for week 2")).toBe("puking with every sip of water or");
    // A question word before a modal is one question, not two, however many spaces stand between.
    expect(readClauses("my calf hurts when can I fly").map((clause) => clause.text)).toEqual(["my calf hurts", "when can I fly"]);
    expect(readClauses("my calf hurts when  can I fly").map((clause) => clause.text)).toEqual(["my calf hurts", "when  can I fly"]);
  });

  it("leaves statements whole that only look like a run-on question", () => {
    for (const text of ["my leg is the size of a melon and throbbing", "there is this smell coming from the wound", "she is the palest i have seen her", "i dont know how long this lasts", "no matter how much I drink I throw up"]) {
      expect(readClauses(text), text).toEqual([{ text, asks: false }]);
    }
  });

  it("ends a clause at a laugh typed out, as at its emoji", () => {
    expect(toldPart("omg I'm so dizzy lol can I carry my son on my hip?")).toBe("omg I'm so dizzy lol");
    expect(toldPart("my calf is swollen haha what should I do")).toBe("my calf is swollen haha");
    expect(toldPart("I fainted lolol who is the best surgeon?")).toBe("I fainted lolol");
    for (const laugh of ["hahah", "lmaooo", "xD", "ha ha"]) expect(toldPart(`I fainted ${laugh} who is the best surgeon?`), laugh).toBe(`I fainted ${laugh}`);
    expect(readClauses("lollipops make me dizzy").length).toBe(1);
  });

  it("keeps what is told after a question that comes first in its sentence", () => {
    expect(toldPart("When can I book my revision, I woke up on the floor?")).toBe("I woke up on the floor");
  });

  it("drops the words that only join a clause to the one before", () => {
    expect(toldPart("no fever, but I woke up on the floor, when can I sit?")).toBe("no fever, I woke up on the floor");
    expect(toldPart("oh and my leg is cold. when can I sit?")).toBe("my leg is cold");
  });

  it("keeps a statement that opens with a word a question could open with", () => {
    expect(toldPart("can't breathe properly since this morning, when can I sleep on my back?")).toBe("can't breathe properly since this morning");
    expect(toldPart("have been throwing up all night. when can I sit?")).toBe("have been throwing up all night");
    expect(toldPart("was dizzy all day, what should I do?")).toBe("was dizzy all day");
  });

  it("leaves out what is said only to be polite, where the caller says what that is", () => {
    const chatter = (clause: string) => /^(?:thanks|thank you|hi|good morning doctor)$/i.test(clause);
    expect(toldPart("thanks! my lips are going white", chatter)).toBe("my lips are going white");
    expect(toldPart("Good morning doctor, my lips are going white. when can I sit?", chatter)).toBe("my lips are going white");
    expect(toldPart("thanks! my lips are going white")).toBeUndefined();
    expect(toldPart("thanks", chatter)).toBeUndefined();
  });

  it("knows which clauses ask", () => {
    expect(readClauses("thanks! my lips are going white, when can I sit?").map((clause) => clause.asks)).toEqual([false, false, true]);
    expect(readClauses("When can I book my revision, I woke up on the floor?").map((clause) => clause.asks)).toEqual([true, false]);
  });

  it("is undefined where a message only asks or only tells", () => {
    expect(toldPart("is it normal that my calf is swollen?")).toBeUndefined();
    expect(toldPart("when will I see my final result")).toBeUndefined();
    expect(toldPart("my calf is swollen and hot since yesterday")).toBeUndefined();
    expect(toldPart("")).toBeUndefined();
  });
});
