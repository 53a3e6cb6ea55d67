import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KnowledgeBaseError, messages, type Problem } from "../src/knowledge/errors.js";
import { loadKnowledgeBase, MAX_FILE_BYTES, MAX_ID_BYTES } from "../src/knowledge/load.js";
import { loadKnowledgeBaseCached } from "../src/knowledge/snapshot.js";
import { knowledgeBaseWarnings, summarize, uncitedParagraphs } from "../src/knowledge/report.js";
import { REQUIRED_ENTRY_IDS } from "../src/knowledge/types.js";
import { words } from "../src/matching/text.js";
import { copyKnowledge, editFile, lineOf, SHIPPED_KNOWLEDGE_DIR } from "./helpers/knowledge-copy.js";
import { temporaryDir } from "./helpers/temporary.js";

function problemsOf(dir: string): readonly Problem[] {
  try {
    loadKnowledgeBase(dir);
  } catch (error) {
    if (error instanceof KnowledgeBaseError) return error.problems;
    throw error;
  }
  throw new Error("the knowledge base loaded without problems");
}

function expectProblem(dir: string, file: string, line: number, message: string, entryId?: string): Problem {
  const problems = problemsOf(dir);
  const found = problems.find((problem) => problem.message === message);
  expect(found, `no problem "${message}" among:\n${problems.map((p) => p.message).join("\n")}`).toBeDefined();
  expect(found!.file).toBe(join(dir, file));
  expect(found!.line).toBe(line);
  expect(found!.col).toBeGreaterThan(0);
  if (entryId) expect(found!.entryId).toBe(entryId);
  return found!;
}

describe("the shipped knowledge base", () => {
  const kb = loadKnowledgeBase(SHIPPED_KNOWLEDGE_DIR);

  it("loads without problems and is frozen", () => {
    expect(Object.isFrozen(kb)).toBe(true);
    expect(Object.isFrozen(kb.entries[0]!.alternates)).toBe(true);
  });

  it("has every required entry, each with at least 12 alternates", () => {
    for (const id of REQUIRED_ENTRY_IDS) {
      const entry = kb.entries.find((candidate) => candidate.id === id);
      expect(entry, id).toBeDefined();
      expect(entry!.alternates.length, id).toBeGreaterThanOrEqual(12);
    }
  });

  it("cites every content paragraph of the article", () => {
    expect(uncitedParagraphs(kb)).toEqual([]);
    expect(summarize(kb)).toMatch(/^OK: 16 entries, \d+ alternates, 5 topics; every paragraph \[3\]..\[9\] cited$/);
  });

  it("warns only about the clinic placeholders an operator must replace", () => {
    expect(knowledgeBaseWarnings(kb)).toEqual([expect.stringMatching(/^clinic\.yaml still has placeholder values/)]);
  });

  it("copies no run of seven words from the article into an answer or tip", () => {
    const fingerprints = readFingerprints();
    const texts = [...kb.entries.map((entry) => entry.answer), ...kb.texts.tips.map((tip) => tip.text)];
    for (const text of texts) {
      expect(fingerprintsOf(text, fingerprints.runLength).filter((hash) => fingerprints.hashes.has(hash)), text).toEqual([]);
    }
  });

  it.runIf(existsSync(ARTICLE_PATH))("has article fingerprints that match the article beside the repository", () => {
    const fingerprints = readFingerprints();
    expect(new Set(fingerprintsOf(readFileSync(ARTICLE_PATH, "utf8"), fingerprints.runLength))).toEqual(fingerprints.hashes);
  });
});

const ARTICLE_PATH = join(SHIPPED_KNOWLEDGE_DIR, "..", "..", "shared", "source", "article.txt");

function readFingerprints(): { runLength: number; hashes: Set<string> } {
  const raw = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "article-fingerprints.json"), "utf8"));
  return { runLength: raw.runLength, hashes: new Set(raw.hashes) };
}

function fingerprintsOf(text: string, runLength: number): string[] {
  const textWords = words(text);
  const hashes: string[] = [];
  for (let i = 0; i + runLength <= textWords.length; i++) {
    hashes.push(createHash("sha256").update(textWords.slice(i, i + runLength).join(" ")).digest("hex").slice(0, 16));
  }
  return hashes;
}

describe("when the knowledge base is broken, the loader", () => {
  it("names the file and line of a YAML syntax error", () => {
    const dir = copyKnowledge();
    editFile(dir, "entries/recovery.yaml", "  title: When will I see my final result?", '  title: "When will I see my final result?');
    const problem = problemsOf(dir).find((p) => p.message.startsWith("YAML syntax error"));
    expect(problem?.file).toBe(join(dir, "entries/recovery.yaml"));
    expect(problem?.line).toBeGreaterThanOrEqual(lineOf(dir, "entries/recovery.yaml", '"When will I see my final result?'));
  });

  it("reports an entry file's syntax error alone, not again as missing entries and dangling related ids", () => {
    const dir = copyKnowledge();
    editFile(dir, "entries/recovery.yaml", "  title: When will I see my final result?", '  title: "When will I see my final result?');
    expect(problemsOf(dir).map((problem) => problem.message)).toEqual([expect.stringMatching(/^YAML syntax error/)]);
  });

  it("points at a line indented with a tab", () => {
    const dir = copyKnowledge();
    editFile(dir, "topics.yaml", "  title: Recovery and final result", "\ttitle: Recovery and final result");
    expectProblem(dir, "topics.yaml", lineOf(dir, "topics.yaml", "Recovery and final result"), messages.tabIndent);
  });

  it("reports a misspelt key once, with the likely key", () => {
    const dir = copyKnowledge();
    editFile(dir, "entries/revision.yaml", /(id: revision-implant[\s\S]*?)  alternates:/, "$1  alternatse:");
    const line = lineOf(dir, "entries/revision.yaml", "alternatse:");
    expectProblem(dir, "entries/revision.yaml", line, messages.unknownKey("alternatse", "alternates"), "revision-implant");
    expect(problemsOf(dir)).toHaveLength(1);
  });

  it("reports an example listed twice, or also as an entry's phrasing, at the second place", () => {
    const dir = copyKnowledge();
    const outOfScope = "examples/out-of-scope.yaml";
    const first = readFileSync(join(dir, outOfScope), "utf8").match(/^    - "(.*)"$/m)![1]!;
    editFile(dir, "examples/smalltalk.yaml", /^greeting:\n/m, `greeting:\n  - "${first}"\n`);
    editFile(dir, outOfScope, /^    - ".*"$/m, `    - "${first}"\n    - "What is hip asymmetry?"`);
    expectProblem(dir, outOfScope, lineOf(dir, outOfScope, "What is hip asymmetry?"), messages.duplicateExample("What is hip asymmetry?", 'entry "asymmetry-definition"'));
    expectProblem(dir, "examples/smalltalk.yaml", lineOf(dir, "examples/smalltalk.yaml", first), messages.duplicateExample(first, "examples/out-of-scope.yaml"));
  });

  it("reserves the ids of the matcher's other outcomes", () => {
    const dir = copyKnowledge();
    editFile(dir, "entries/surgeon.yaml", "- id: find-surgeon", "- id: smalltalk");
    expectProblem(dir, "entries/surgeon.yaml", lineOf(dir, "entries/surgeon.yaml", "- id: smalltalk"), messages.reservedId("smalltalk"), "smalltalk");
  });

  it("reports a folder named like a YAML file, a named pipe and a link to a device, without hanging", () => {
    const dir = copyKnowledge();
    mkdirSync(join(dir, "entries", "folder.yaml"));
    execFileSync("mkfifo", [join(dir, "entries", "pipe.yaml")]);
    symlinkSync("/dev/zero", join(dir, "entries", "zero.yaml"));
    const problems = problemsOf(dir);
    expect(problems.find((p) => p.file.endsWith("folder.yaml"))?.message).toBe(messages.unreadable("a folder"));
    expect(problems.find((p) => p.file.endsWith("pipe.yaml"))?.message).toBe(messages.unreadable("not a regular file (a pipe, socket or device)"));
    expect(problems.find((p) => p.file.endsWith("zero.yaml"))?.message).toBe(messages.unreadable("not a regular file (a pipe, socket or device)"));
    expect(() => loadKnowledgeBaseCached(dir, temporaryDir("kb-cache-"))).toThrow(KnowledgeBaseError);
  });

  it("reports a file over the size limit by name, without parsing it", () => {
    const dir = copyKnowledge();
    writeFileSync(join(dir, "entries", "huge.yaml"), `# ${"x".repeat(MAX_FILE_BYTES)}\n`);
    expect(problemsOf(dir).find((p) => p.file.endsWith("huge.yaml"))?.message).toBe(messages.tooLarge(MAX_FILE_BYTES + 3, MAX_FILE_BYTES));
  });

  it("rejects bytes that are not UTF-8 and control characters, at their line and column", () => {
    const dir = copyKnowledge();
    const path = join(dir, "entries", "revision.yaml");
    const text = readFileSync(path, "utf8");
    const at = text.indexOf("A revision normally uses");
    writeFileSync(path, Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xe9]), Buffer.from(text.slice(at))]));
    const line = text.slice(0, at).split("\n").length;
    expectProblem(dir, "entries/revision.yaml", line, messages.notUtf8(0xe9));
    const other = copyKnowledge();
    editFile(other, "entries/revision.yaml", "A revision normally uses", "A revision \u0000normally uses");
    expectProblem(other, "entries/revision.yaml", lineOf(other, "entries/revision.yaml", "normally uses"), messages.controlCharacter(0));
  });

  it("rejects YAML anchors and aliases, saying so", () => {
    const dir = copyKnowledge();
    editFile(dir, "entries/revision.yaml", "  source: [8]", "  source: &paragraphs [8]");
    editFile(dir, "entries/revision.yaml", "  source: [3, 9]", "  source: *paragraphs");
    const lines = problemsOf(dir)
      .filter((problem) => problem.message === messages.yamlAlias)
      .map((problem) => problem.line);
    expect(lines).toEqual([lineOf(dir, "entries/revision.yaml", "&paragraphs"), lineOf(dir, "entries/revision.yaml", "*paragraphs")]);
  });

  it("reports a knowledge-base folder that does not exist as one line", () => {
    const missing = join(tmpdir(), "no-such-knowledge-base");
    expect(problemsOf(missing)).toEqual([{ file: missing, line: 1, col: 1, message: messages.folderMissing, fix: expect.any(String) }]);
  });

  it("reports a missing field and an empty field", () => {
    const dir = copyKnowledge();
    editFile(dir, "entries/surgeon.yaml", "  title: How do I find the right surgeon?\n", "");
    editFile(dir, "entries/recovery.yaml", "  title: When will I see my final result?", '  title: ""');
    expectProblem(dir, "entries/surgeon.yaml", lineOf(dir, "entries/surgeon.yaml", "- id: find-surgeon"), messages.missingField("title"), "find-surgeon");
    expectProblem(dir, "entries/recovery.yaml", lineOf(dir, "entries/recovery.yaml", 'title: ""'), messages.emptyField("title"), "final-results-timing");
  });

  it("reports a duplicate id at the second definition, naming the first", () => {
    const dir = copyKnowledge();
    editFile(dir, "entries/revision.yaml", "- id: revision-outcome", "- id: revision-implant");
    const problem = expectProblem(
      dir,
      "entries/revision.yaml",
      lineOf(dir, "entries/revision.yaml", "  title: What does a revision achieve?") - 2,
      messages.duplicateId("revision-implant", `${join(dir, "entries/revision.yaml")}:${lineOf(dir, "entries/revision.yaml", "- id: revision-implant")}:7`),
    );
    expect(problem.entryId).toBe("revision-implant");
  });

  it("rejects ids that are not kebab-case or too long for callback data", () => {
    const dir = copyKnowledge();
    const longId = "a".repeat(MAX_ID_BYTES + 1);
    editFile(dir, "entries/surgeon.yaml", "related: [revision-timing, cause-surgeon-skill, revision-procedure]", "related: [revision-timing]");
    editFile(dir, "entries/surgeon.yaml", "- id: find-surgeon", "- id: Find_Surgeon");
    editFile(dir, "entries/procedure.yaml", "- id: procedure-overview", `- id: ${longId}`);
    expectProblem(dir, "entries/surgeon.yaml", lineOf(dir, "entries/surgeon.yaml", "Find_Surgeon"), messages.idNotKebab("Find_Surgeon"));
    expectProblem(dir, "entries/procedure.yaml", lineOf(dir, "entries/procedure.yaml", longId), messages.idTooLong(longId, MAX_ID_BYTES + 1, MAX_ID_BYTES));
  });

  it("reports a related id that does not exist", () => {
    const dir = copyKnowledge();
    editFile(dir, "entries/revision.yaml", "related: [revision-timing, revision-implant, revision-outcome]", "related: [revision-timing, revison-implant, revision-outcome]");
    expectProblem(dir, "entries/revision.yaml", lineOf(dir, "entries/revision.yaml", "revison-implant"), messages.unknownRelated("revison-implant"), "revision-procedure");
  });

  it("reports a red flag never to be overruled that names no red flag", () => {
    const dir = copyKnowledge();
    editFile(dir, "vocabulary.yaml", "never_overruled: [thoughts of self-harm or suicide]", "never_overruled: [thoughts of self harm]");
    expectProblem(dir, "vocabulary.yaml", lineOf(dir, "vocabulary.yaml", "never_overruled: [thoughts of self harm]"), messages.unknownRedFlag("thoughts of self harm"));
  });

  it("reports a sign-specific urgent reply that names no red flag, or a sign with two", () => {
    const dir = copyKnowledge();
    editFile(dir, "texts.yaml", "  - sign: thoughts of self-harm or suicide", "  - sign: self harm");
    expectProblem(dir, "texts.yaml", lineOf(dir, "texts.yaml", "sign: self harm"), messages.unknownRedFlag("self harm"));
    editFile(dir, "texts.yaml", "  - sign: self harm", "  - sign: fever\n    text: Call us.\n  - sign: fever");
    expectProblem(dir, "texts.yaml", lineOf(dir, "texts.yaml", "text: Call us.") + 1, messages.secondUrgentReply("fever"));
  });

  it("loads a texts.yaml written before urgent_for_signs existed, with no sign-specific replies", () => {
    const dir = copyKnowledge();
    const path = join(dir, "texts.yaml");
    const text = readFileSync(path, "utf8");
    const start = text.indexOf("urgent_for_signs:");
    const end = text.indexOf("\nempty:", start);
    writeFileSync(path, text.slice(0, start) + text.slice(end + 1));
    expect(readFileSync(path, "utf8")).not.toContain("urgent_for_signs");
    expect(loadKnowledgeBase(dir).texts.urgent_for_signs).toEqual([]);
  });

  it("reports a red-flag reading that names no red flag, has an empty range or a word without letters", () => {
    const dir = copyKnowledge();
    editFile(dir, "vocabulary.yaml", "  - name: chest pain\n    words: [heart rate", "  - name: heart racing\n    words: [heart rate");
    editFile(dir, "vocabulary.yaml", "ranges: [{from: 110, to: 250}]", "ranges: [{from: 110, to: 90}]");
    expectProblem(dir, "vocabulary.yaml", lineOf(dir, "vocabulary.yaml", "name: heart racing"), messages.unknownRedFlag("heart racing"));
    expectProblem(dir, "vocabulary.yaml", lineOf(dir, "vocabulary.yaml", "{from: 110, to: 90}"), messages.rangeOrder(110, 90));
    // A word the reading finder cannot read would match every number in range.
    editFile(dir, "vocabulary.yaml", "words: [heart rate,", "words: [\"--\", heart rate,");
    expectProblem(dir, "vocabulary.yaml", lineOf(dir, "vocabulary.yaml", "words: [\"--\""), messages.phraseHasNoWords("--"));
    editFile(dir, "vocabulary.yaml", "words_before_decimal: [at]", "words_before_decimal: [at, \"::\"]");
    expectProblem(dir, "vocabulary.yaml", lineOf(dir, "vocabulary.yaml", "words_before_decimal: [at, \"::\"]"), messages.phraseHasNoWords("::"));
    // A reversed range of a reading sent alone would never match (a review).
    editFile(dir, "vocabulary.yaml", "alone_with_decimal: [{from: 38, to: 43}", "alone_with_decimal: [{from: 43, to: 38}");
    expectProblem(dir, "vocabulary.yaml", lineOf(dir, "vocabulary.yaml", "alone_with_decimal: [{from: 43, to: 38}"), messages.rangeOrder(43, 38));
  });

  it("reports a source paragraph outside the article's numbering", () => {
    const dir = copyKnowledge();
    editFile(dir, "entries/revision.yaml", "  source: [8]", "  source: [8, 12]");
    expectProblem(dir, "entries/revision.yaml", lineOf(dir, "entries/revision.yaml", "source: [8, 12]"), messages.sourceOutOfRange(12, 9), "revision-implant");
  });

  it("reports an answer over 1,000 characters and a text over Telegram's 4,096", () => {
    const dir = copyKnowledge();
    editFile(dir, "entries/surgeon.yaml", "  answer: |-\n", `  answer: |-\n    ${"Long answer. ".repeat(90)}\n`);
    editFile(dir, "texts.yaml", "welcome: |-\n", `welcome: |-\n  ${"Hello. ".repeat(600)}\n`);
    const answerProblem = problemsOf(dir).find((p) => p.message.startsWith("answer is"));
    expect(answerProblem?.message).toMatch(/^answer is \d+ characters; at most 1000 allowed$/);
    expect(answerProblem?.line).toBe(lineOf(dir, "entries/surgeon.yaml", "  answer: |-"));
    const welcomeProblem = problemsOf(dir).find((p) => p.message.startsWith('"welcome"'));
    expect(welcomeProblem?.message).toMatch(/^"welcome" is \d+ characters; Telegram allows at most 4096 in one message$/);
    expect(welcomeProblem?.line).toBe(lineOf(dir, "texts.yaml", "welcome: |-"));
  });

  it("reports the same alternate under two entries, however it is capitalised", () => {
    const dir = copyKnowledge();
    editFile(dir, "entries/surgeon.yaml", "    - surgeon?", "    - Can I get a hip implant?");
    expectProblem(dir, "entries/surgeon.yaml", lineOf(dir, "entries/surgeon.yaml", "Can I get a hip implant?"), messages.duplicateAlternate("Can I get a hip implant?", "revision-implant"), "find-surgeon");
  });

  it("reports a required entry that is missing", () => {
    const dir = copyKnowledge();
    editFile(dir, "entries/revision.yaml", /- id: revision-outcome[\s\S]*$/, "");
    editFile(dir, "entries/revision.yaml", "related: [revision-timing, revision-implant, revision-outcome]", "related: [revision-timing, revision-implant]");
    editFile(dir, "entries/revision.yaml", "related: [revision-procedure, revision-outcome, find-surgeon]", "related: [revision-procedure, find-surgeon]");
    const problems = problemsOf(dir);
    expect(problems.map((p) => p.message)).toEqual([messages.requiredEntryMissing("revision-outcome")]);
    expect(problems[0]!.file).toBe(join(dir, "entries"));
  });

  it("lists every problem at once, not only the first", () => {
    const dir = copyKnowledge();
    editFile(dir, "entries/causes.yaml", "  alternates:", "  alternatse:");
    editFile(dir, "entries/revision.yaml", "  source: [8]", "  source: [10]");
    editFile(dir, "settings.yaml", /confidence_threshold: [\d.]+/, "confidence_threshold: 5");
    const problems = problemsOf(dir);
    expect(problems.map((p) => p.file.slice(dir.length + 1)).sort()).toEqual(["entries/causes.yaml", "entries/revision.yaml", "settings.yaml"]);
    const error = (() => {
      try {
        loadKnowledgeBase(dir);
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toContain("The knowledge base has 3 problems:");
    expect(error?.message).toContain(`${join(dir, "settings.yaml")}:${lineOf(dir, "settings.yaml", "confidence_threshold: 5")}:`);
  });

  it("names a missing file and an empty one", () => {
    const dir = copyKnowledge();
    rmSync(join(dir, "clinic.yaml"));
    editFile(dir, "topics.yaml", /[\s\S]*/, "# nothing here\n");
    expect(problemsOf(dir).map((p) => [p.file.slice(dir.length + 1), p.line, p.message])).toEqual([
      ["clinic.yaml", 1, messages.fileMissing("clinic.yaml")],
      ["topics.yaml", 1, messages.emptyFile("topics.yaml")],
    ]);
  });
});
