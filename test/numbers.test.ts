import { describe, expect, it } from "vitest";
import { numbersInWords } from "../src/matching/english/index.js";

const read = (text: string) => numbersInWords(text.split(" ")).join(" ");

describe("numbers written in words", () => {
  it("become digits: tens and units, hundreds, decimals and halves", () => {
    expect(read("temp thirty nine point one")).toBe("temp 39.1");
    expect(read("one hundred and two degrees")).toBe("102 degrees");
    expect(read("thirty eight and a half")).toBe("38.5");
    expect(read("ninety nine point nine")).toBe("99.9");
    expect(read("temperature is a hundred and three")).toBe("temperature is 103");
    expect(read("a hundred one point five")).toBe("101.5");
  });

  it("stay apart where they are not one spoken number, and leave other words alone", () => {
    expect(read("nine one one")).toBe("9 1 1");
    expect(read("twenty twenty")).toBe("20 20");
    expect(read("a hundred times")).toBe("a hundred times");
    expect(read("a hundred and")).toBe("a hundred and");
    expect(read("a hundred and a half")).toBe("a hundred and a half");
    expect(read("to the point")).toBe("to the point");
    expect(read("one point")).toBe("1 point");
    expect(read("my husband is a constructor")).toBe("my husband is a constructor");
  });
});
