import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copyKnowledge, editFile } from "./helpers/knowledge-copy.js";
import { AMBIGUOUS_QUESTION } from "./helpers/questions.js";
import { temporaryDir } from "./helpers/temporary.js";

const ROOT = join(import.meta.dirname, "..");

/** Runs a bundled CLI (built by the global setup) the way its npm script does. */
function run(script: string, args: string[] = [], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(process.execPath, [join(ROOT, "dist", "cli", `${script}.js`), ...args], {
    cwd: ROOT,
    input: options.input ?? "",
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    timeout: 15_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run chat", () => {
  it("greets, answers, follows numbered choices and exits 0 at end of input", () => {
    const { code, stdout } = run("chat", [], {
      input: ["why are my hips uneven", "2", "/tips", "/surgeon", "i have a fever", ""].join("\n"),
    });
    expect(code).toBe(0);
    expect(stdout).toContain("I give general information only");
    expect(stdout).toContain("usually trace back to one of three things");
    expect(stdout).toMatch(/2\) Can fat handling cause it\?/);
    expect(stdout).toContain("The fat goes through three steps");
    expect(stdout).toContain("Recovery tips for your hips");
    expect(stdout).toContain("confirm that the surgeon is board-certified");
    expect(stdout).toContain("may need urgent medical care");
  });

  it("takes a number as a choice only while choices are shown, and says so otherwise", () => {
    const { code, stdout } = run("chat", [], { input: "99\n" });
    expect(code).toBe(0);
    expect(stdout).toMatch(/Pick a number from 1 to \d+, or type your question in words\./);
  });

  it("opens an answer from a /start payload and a topic from its number", () => {
    const { code, stdout } = run("chat", [], { input: "/start revision-implant\n/topics\n4\n" });
    expect(code).toBe(0);
    expect(stdout).toContain("A revision normally uses your own fat");
    expect(stdout).toMatch(/Correcting uneven hips[\s\S]*1\) When can I get a revision\?/);
  });

  it("refuses to start on a broken knowledge base, naming file and line", () => {
    const dir = copyKnowledge();
    editFile(dir, "entries/surgeon.yaml", "  alternates:", "  alternatse:");
    const { code, stderr } = run("chat", [], { env: { KNOWLEDGE_DIR: dir } });
    expect(code).toBe(1);
    expect(stderr).toMatch(/entries\/surgeon\.yaml:\d+:\d+: \[find-surgeon\] unknown key "alternatse" \(did you mean "alternates"\?\)/);
    expect(stderr).toContain("the keys allowed here are id, topic, title, question, alternates, answer, related, source");
  });
});

describe("npm run ask", () => {
  it("prints kind, entry id, confidence and the exact message text as JSON", () => {
    const { code, stdout } = run("ask", ["--json", "implant?"]);
    expect(code).toBe(0);
    const reply = JSON.parse(stdout);
    expect(reply).toMatchObject({ kind: "answer", entryId: "revision-implant" });
    expect(reply.confidence).toBeGreaterThan(0);
    expect(reply.text).toMatch(/^A revision normally uses your own fat\./);
    expect(reply.text).not.toContain("**");
  });

  it("lists the options of a 'did you mean'", () => {
    const reply = JSON.parse(run("ask", ["--json", AMBIGUOUS_QUESTION]).stdout);
    expect(reply.kind).toBe("clarify");
    expect([...reply.options].sort()).toEqual(["final-results-timing", "revision-timing"]);
    expect(reply.entryId).toBeUndefined();
  });

  it("explains its usage when no question is given", () => {
    const { code, stderr } = run("ask");
    expect(code).toBe(1);
    expect(stderr).toContain('usage: npm run ask -- "your question"');
  });
});

describe("npm run eval", () => {
  it("prints only JSON with --json: a summary and one result per item", () => {
    const { code, stdout } = run("eval", [join("test", "fixtures", "eval-sample.yaml"), "--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report.summary)).toEqual(["accuracy", "reach", "wrongRate", "fallbackRate", "urgentRecall", "falseAlarms", "smalltalkRate", "n"]);
    expect(report.items).toHaveLength(report.summary.n);
    expect(Object.keys(report.items[0])).toEqual(expect.arrayContaining(["q", "expect", "kind", "entryId", "options", "confidence"]));
  });

  it("refuses a set that expects an entry id the knowledge base lacks, naming it and its items", () => {
    const file = join(temporaryDir("eval-"), "typo.yaml");
    writeFileSync(file, 'questions:\n  - q: "hello"\n    expect: smalltalk\n  - q: "why is one hip bigger"\n    expect: [asymmetry-causes, asymetry-causes]\n');
    const { code, stdout, stderr } = run("eval", [file]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain(`${file}: unknown entry id "asymetry-causes" (item 2)`);
  });

  it("prints the misses, then the engine's summary line", () => {
    const { code, stdout } = run("eval", [join("test", "fixtures", "eval-sample.yaml")]);
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines.at(-1)).toMatch(/^assistant: accuracy [\d.]+, reach [\d.]+, wrong rate [\d.]+, fallback [\d.]+, urgent recall [\d.]+, false alarms \d+, small talk [\d.]+, n \d+$/);
  });

  it("--cv prints the cross-validation per entry and the most confused pairs", () => {
    const { code, stdout } = run("eval", ["--cv", "--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.folds).toBeGreaterThanOrEqual(3);
    expect(report.entries).toHaveLength(16);
    for (const entry of report.entries) expect(entry.phrasings).toBeGreaterThanOrEqual(50);
    expect(report.accuracy).toBeGreaterThan(0.8);
    expect(Array.isArray(report.confused)).toBe(true);
  });
});

describe("npm run kb:check", () => {
  it("passes the shipped knowledge base with one summary line", () => {
    const { code, stdout } = run("kb-check");
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^OK: 16 entries, \d+ alternates, 5 topics; every paragraph \[3\]\.\.\[9\] cited$/);
  });

  it("takes the folder as train does (--knowledge), and says so for an option it does not know", () => {
    const dir = copyKnowledge();
    editFile(dir, "entries/causes.yaml", "  alternates:", "  alternatse:");
    expect(run("kb-check", ["--knowledge", dir]).stderr).toContain(`1 problem in ${dir}`);
    const unknown = run("kb-check", ["--folder", dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe("unknown option --folder. usage: npm run kb:check -- [DIR | --knowledge DIR]");
  });

  it("fails on a copy with a misspelt key, a dangling related id and a tab, naming each file and line", () => {
    const dir = copyKnowledge();
    editFile(dir, "entries/causes.yaml", "  alternates:", "  alternatse:");
    editFile(dir, "entries/revision.yaml", "related: [revision-timing, revision-implant, revision-outcome]", "related: [revision-timing, revison-implant, revision-outcome]");
    editFile(dir, "topics.yaml", "  title: Recovery and final result", "\ttitle: Recovery and final result");
    const { code, stderr } = run("kb-check", [dir]);
    expect(code).toBe(1);
    const lines = stderr.trim().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/topics\.yaml:7:1: line is indented with a tab/),
      expect.stringMatching(/entries\/causes\.yaml:6:3: \[asymmetry-definition\] unknown key "alternatse"/),
      expect.stringMatching(/entries\/revision\.yaml:\d+:\d+: \[revision-procedure\] related id "revison-implant" does not exist/),
      `3 problems in ${dir}`,
    ]);
  });
});

describe("every command's options", () => {
  it.each(["ask", "chat", "eval", "kb-check", "report", "train"])("%s prints its usage for --help and exits 0, doing nothing else", (script) => {
    const { code, stdout, stderr } = run(script, ["--help"]);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^usage: npm run /);
    expect(stderr).toBe("");
  });

  it("refuses an option that needs a value and has none, rather than reading the default", () => {
    const kbCheck = run("kb-check", ["--knowledge"]);
    expect(kbCheck.code).toBe(2);
    expect(kbCheck.stderr.trim()).toBe("--knowledge needs a value. usage: npm run kb:check -- [DIR | --knowledge DIR]");
    const report = run("report", ["--days", "--json"]);
    expect(report.code).toBe(1);
    expect(report.stderr.trim()).toBe("--days needs a value");
  });

  it("takes everything after -- as the question, options included", () => {
    const { code, stdout } = run("ask", ["--json", "--", "--why", "is", "one", "hip", "bigger?"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).entryId).toBe("asymmetry-causes");
  });

  it("ask reads the knowledge base --knowledge names", () => {
    const { code, stderr } = run("ask", ["--knowledge", "/nonexistent-folder", "hello"]);
    expect(code).toBe(1);
    expect(stderr).toContain("/nonexistent-folder");
  });
});
