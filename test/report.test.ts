import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDesk } from "../src/bot/desk.js";
import { silentLogger } from "../src/logger.js";
import { buildReport } from "../src/reporting/report.js";
import { createStore } from "../src/storage/store.js";
import { openTestDatabase, type TestDatabase } from "./helpers/databases.js";
import { ROOT } from "./helpers/processes.js";
import { buttonsOf, createRecordingBot, sentId, STAFF_CHAT_ID } from "./helpers/recording-bot.js";

const run = promisify(execFile);

describe("npm run report, on a database the bot filled", () => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await openTestDatabase("sqlite");
    const desk = createDesk({ store: createStore(test.database), staffChatId: STAFF_CHAT_ID, retentionDays: 90, logger: silentLogger });
    const bot = await createRecordingBot({ desk });
    for (const question of ["when will i see my final result", "when will i see my final result", "why is one hip bigger", "how much does it cost", "hello"]) {
      await bot.text(question);
    }
    const answer = await bot.text("can i sit on my hips after surgery");
    const notHelpful = buttonsOf(answer.find((call) => call.method === "sendMessage")).find(([label]) => label === "👎")![1];
    await bot.press(notHelpful, sentId(answer));
    const fallback = await bot.text("how much does it cost");
    const preview = await bot.press("ask:q", sentId(fallback));
    const ticket = (await bot.press("tk:send", sentId(preview))).find((call) => call.method === "sendMessage" && call.payload.chat_id === STAFF_CHAT_ID)!;
    await bot.replyTo(ticket.result.message_id, "About 5,000; we will call you.", "staff");
  });
  afterAll(() => test.dispose());

  it("prints the table", async () => {
    const { stdout } = await run("node", ["dist/cli/report.js", "--days", "7"], { cwd: ROOT, env: { ...process.env, ...test.env } });
    expect(stdout).toMatch(/^Last 7 days \(since \d{4}-\d\d-\d\d, UTC\): 7 messages$/m);
    expect(stdout).toMatch(/^ {2}answered +4 +57\.1%$/m);
    expect(stdout).toMatch(/^ {2}final-results-timing +2 +0 +0 +0$/m);
    expect(stdout).toContain("Questions to the clinic: 0 open, 1 answered; median time to an answer");
  });

  it("prints the JSON shape with --json", async () => {
    const { stdout } = await run("node", ["dist/cli/report.js", "--json"], { cwd: ROOT, env: { ...process.env, ...test.env } });
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(["days", "messages", "byKind", "entries", "notCovered", "feedback", "tickets"]));
    expect(report.days).toBe(30);
    expect(report.messages).toBe(7);
    expect(report.byKind).toEqual({ answer: 4, clarify: 0, fallback: 2, urgent: 0, smalltalk: 1 });
    expect(report.feedback).toEqual({ helpful: 0, notHelpful: 1 });
    expect(report.tickets).toMatchObject({ open: 0, answered: 1 });
    expect(typeof report.tickets.medianMinutesToAnswer).toBe("number");
    expect(report.entries[0]).toEqual({ id: "final-results-timing", answered: 2, chosenFromClarify: 0, helpful: 0, notHelpful: 0 });
  });

  it("explains a missing database instead of creating one", async () => {
    const failure = await run("node", ["dist/cli/report.js"], { cwd: ROOT, env: { ...process.env, SQLITE_PATH: "/nonexistent/bot.sqlite", DATABASE_URL: "" } }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr.trim()).toBe(
      "No database at /nonexistent/bot.sqlite yet: the bot creates it when it first starts. Set DATABASE_URL or SQLITE_PATH to read another.",
    );
  });
});

describe("the report's judgement", () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase("sqlite");
  });
  afterAll(() => test.dispose());

  it("flags entries with low helpfulness or mostly reached through 'did you mean', and takes the median time to an answer", async () => {
    const store = createStore(test.database);
    const now = new Date("2026-11-27T12:00:00Z");
    for (const user of [1, 2, 3]) await store.vote(user, "weak-entry", user === 1, now);
    for (let i = 0; i < 3; i++) await store.count(now, [{ metric: "choice", key: "vague-entry" }]);
    await store.count(now, [{ metric: "entry", key: "vague-entry" }]);
    for (const minutes of [10, 30, 200]) {
      const id = await store.createTicket({ patientChatId: "1", firstName: "A", question: "q" }, now);
      await store.setTicketStatus(id, "answered", new Date(now.getTime() + minutes * 60_000));
    }
    const report = await buildReport(store, { days: 7, now });
    expect(report.needsWork).toEqual([
      { id: "vague-entry", reasons: ['reached through "did you mean" 3 times, answered directly 1'] },
      { id: "weak-entry", reasons: ["1 of 3 found it helpful"] },
    ]);
    expect(report.tickets.medianMinutesToAnswer).toBe(30);
  });
});
