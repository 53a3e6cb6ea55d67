import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDesk, UNAVAILABLE, type Desk } from "../src/bot/desk.js";
import { handoffTexts, privacyTexts, staffTexts } from "../src/bot/texts.js";
import { createLogger, silentLogger, type Logger } from "../src/logger.js";
import { openDatabase, type Database } from "../src/storage/database.js";
import { createStore } from "../src/storage/store.js";
import { DIALECTS, openTestDatabase, type TestDatabase } from "./helpers/databases.js";
import { eventually } from "./helpers/processes.js";
import { createTestDatabase, startPostgresServer, type PostgresServer } from "./helpers/postgres-server.js";
import { buttonsOf, createRecordingBot, sentId, STAFF_CHAT_ID, type ApiCall } from "./helpers/recording-bot.js";
import { AMBIGUOUS_QUESTION } from "./helpers/questions.js";

const sent = (calls: ApiCall[]) => calls.filter((call) => call.method === "sendMessage");
const to = (chatId: number) => (calls: ApiCall[]) => sent(calls).filter((call) => call.payload.chat_id === chatId);
const toStaff = to(STAFF_CHAT_ID);
const toPatient = to(1001);
const QUESTION = "how much does it cost";
const NOW = new Date("2026-11-27T09:00:00Z");

/** Every text value stored in any table, to check what the bot kept. */
async function everythingStored(database: Database): Promise<string> {
  const tables = ["meta", "pending_questions", "drafts", "tickets", "ticket_messages", "votes", "daily_counts"];
  const rows = [];
  for (const table of tables) rows.push(...(await sql`select * from ${sql.table(table)}`.execute(database.db)).rows);
  return JSON.stringify(rows);
}

describe.each(DIALECTS)("Ask the clinic, on %s", (dialect) => {
  let test: TestDatabase;
  let lines: string[];
  let desk: Desk;

  beforeAll(async () => {
    test = await openTestDatabase(dialect);
  });
  afterAll(() => test.dispose());

  async function start(options: { logger?: Logger } = {}) {
    lines = [];
    const logger = options.logger ?? createLogger("info", (line) => lines.push(line));
    desk = createDesk({ store: createStore(test.database), staffChatId: STAFF_CHAT_ID, retentionDays: 90, logger, now: () => NOW });
    return createRecordingBot({ desk, logger, clock: () => NOW });
  }

  /** Asks a question the notes do not cover, presses "Ask the clinic" and "Send"; returns the ticket's staff message. */
  async function openTicket(bot: Awaited<ReturnType<typeof start>>, question = QUESTION) {
    const fallback = await bot.text(question);
    const preview = await bot.press("ask:q", sentId(fallback));
    const sending = await bot.press("tk:send", sentId(preview));
    const [ticket] = toStaff(sending);
    return { fallback, preview, sending, ticket: ticket!, ticketId: ticket!.result.message_id as number };
  }

  it("offers the hand-off under a fallback, shows exactly what will be sent, and stores nothing before Send", async () => {
    const bot = await start();
    const fallback = await bot.text(QUESTION);
    expect(buttonsOf(sent(fallback)[0])).toContainEqual([handoffTexts.askButton, "ask:q"]);
    // The fallback quotes the question, so the hand-off can read it back from any instance.
    expect(sent(fallback)[0]!.payload.reply_parameters).toBeDefined();

    const preview = sent(await bot.press("ask:q", sentId(fallback)))[0]!;
    expect(preview.payload.text).toContain(QUESTION);
    expect(preview.payload.text).toContain("From: Pat");
    expect(preview.payload.text).toContain("Nothing is stored or sent until you press Send");
    expect(buttonsOf(preview).map(([, data]) => data)).toEqual(["tk:send", "tk:cancel"]);
    expect(await everythingStored(test.database)).not.toContain(QUESTION);
    expect(bot.calls.some((call) => call.payload.chat_id === STAFF_CHAT_ID)).toBe(false);
  });

  it("sends the ticket to the staff group on Send, once, and tells the patient its number", async () => {
    const bot = await start();
    const { preview, sending, ticket } = await openTicket(bot);
    expect(ticket.payload.text).toMatch(/^🎫 Question #\d+ from Pat\n\nhow much does it cost\n\nReply to this message to answer Pat\.$/);
    const number = Number(/#(\d+)/.exec(ticket.payload.text)![1]);
    const edit = sending.find((call) => call.method === "editMessageText")!;
    expect(edit.payload.text).toBe(handoffTexts.sent(number));

    const again = await bot.press("tk:send", sentId(preview));
    expect(toStaff(again)).toHaveLength(0);
    expect(again.find((call) => call.method === "answerCallbackQuery")!.payload.text).toBe(handoffTexts.draftClosed);
  });

  it("delivers a staff reply to the patient as the clinic team's, confirms in the group, and threads the patient's answer back", async () => {
    const bot = await start();
    const { ticketId, ticket } = await openTicket(bot);
    const number = Number(/#(\d+)/.exec(ticket.payload.text)![1]);

    const answering = await bot.replyTo(ticketId, "We will call you tomorrow with a quote.", "staff");
    const [answer] = toPatient(answering);
    expect(answer!.payload.text).toBe(`${handoffTexts.answerHeading(number)}\n\nWe will call you tomorrow with a quote.\n\n${handoffTexts.answerFooter}`);
    expect(toStaff(answering)[0]!.payload.text).toBe(staffTexts.delivered(number, "Pat"));
    expect((await createStore(test.database).ticket(number))?.status).toBe("answered");

    const following = await bot.replyTo(answer!.result.message_id, "Thank you, mornings are best", "private");
    const [followUp] = toStaff(following);
    expect(followUp!.payload.text).toContain(`Question #${number}: Pat wrote again`);
    expect(followUp!.payload.text).toContain("Thank you, mornings are best");
    expect(followUp!.payload.reply_parameters.message_id).toBe(ticketId);
    expect(toPatient(following)[0]!.payload.text).toBe(handoffTexts.followUpSent(number));
    expect((await createStore(test.database).ticket(number))?.status).toBe("open");

    // The staff can answer the follow-up by replying to it, too.
    const second = await bot.replyTo(followUp!.result.message_id, "Noted!", "staff");
    expect(toPatient(second)[0]!.payload.text).toContain("Noted!");
  });

  it("from /surgeon asks for the question first; /cancel drops the draft", async () => {
    const bot = await start();
    const surgeon = await bot.text("/surgeon");
    expect(buttonsOf(sent(surgeon)[0])).toContainEqual([handoffTexts.askButton, "ask"]);
    const asking = await bot.press("ask", sentId(surgeon));
    expect(sent(asking)[0]!.payload.text).toBe(handoffTexts.askForQuestion);

    const preview = await bot.text("Can I send photos of my hips?");
    expect(sent(preview)[0]!.payload.text).toContain("Can I send photos of my hips?");
    const cancelling = await bot.text("/cancel");
    expect(cancelling.find((call) => call.method === "editMessageText")!.payload.text).toBe(handoffTexts.cancelled);
    expect(sent(cancelling)[0]!.payload.text).toBe(handoffTexts.cancelled);
    expect(toStaff(await bot.press("tk:send", sentId(preview)))).toHaveLength(0);
    expect(await everythingStored(test.database)).not.toContain("photos of my hips");

    // The wait ended with the question: the next message is an ordinary FAQ question again.
    const next = await bot.text("when will i see the final result");
    expect(sent(next)[0]!.payload.text).not.toContain(handoffTexts.previewHeading);
  });

  it("answers an emergency in a question meant for the clinic with the urgent-care reply first", async () => {
    const bot = await start();
    await bot.press("ask", sentId(await bot.text("/surgeon")));
    const replies = sent(await bot.text("my hip is hot and red and I have a fever of 39"));
    expect(replies[0]!.payload.text).toBe(bot.core.presenter.reply({ kind: "urgent", redFlag: "fever" }).text);
    expect(replies[1]!.payload.text).toContain(handoffTexts.previewHeading);
  });

  it("lists open tickets for the staff only; commands and replies elsewhere do nothing", async () => {
    const bot = await start();
    const { ticketId } = await openTicket(bot, "Can I fly a week after the operation?");
    const listing = sent(await bot.text("/tickets", "staff"))[0]!;
    expect(listing.payload.text).toMatch(/^Open questions \(\d+\):/);
    expect(listing.payload.text).toContain("· Pat · <1 h ago · Can I fly a week after the operation?");

    const fromPatient = sent(await bot.text("/tickets"))[0]!;
    expect(fromPatient.payload.text).not.toContain("Open questions");
    expect(sent(await bot.text("/tickets", "group"))).toHaveLength(0);
    // A reply to the ticket message from outside the staff chat reaches nobody.
    const elsewhere = await bot.replyTo(ticketId, "I am not staff", "group");
    expect(toPatient(elsewhere)).toHaveLength(0);
  });

  it("marks a ticket undeliverable when the patient blocked the bot, and tells the staff", async () => {
    const bot = await start();
    const { ticketId, ticket } = await openTicket(bot);
    const number = Number(/#(\d+)/.exec(ticket.payload.text)![1]);
    bot.failWith({ method: "sendMessage", chatId: 1001, error_code: 403, description: "Forbidden: bot was blocked by the user" });
    const answering = await bot.replyTo(ticketId, "Here is your answer", "staff");
    expect(toStaff(answering)[0]!.payload.text).toBe(staffTexts.undeliverable(number, "Pat"));
    expect((await createStore(test.database).ticket(number))?.status).toBe("undeliverable");
  });

  it("tells the patient to use the clinic's contact when the bot was removed from the staff group, and keeps nothing", async () => {
    const bot = await start();
    bot.failWith({ method: "sendMessage", chatId: STAFF_CHAT_ID, error_code: 403, description: "Forbidden: bot was kicked from the supergroup chat" });
    const fallback = await bot.text("Can I wear a corset after the operation?");
    const preview = await bot.press("ask:q", sentId(fallback));
    const sending = toPatient(await bot.press("tk:send", sentId(preview)));
    // The preview turns into the notice (its buttons gone), and the clinic's contact follows.
    expect(bot.messageById(sentId(preview))!.text).toBe(handoffTexts.unavailable);
    expect(bot.messageById(sentId(preview))!.reply_markup).toBeUndefined();
    expect(sending.map((call) => call.payload.text)).toEqual([bot.core.presenter.surgeon().text]);
    expect(lines.some((line) => line.includes('"level":"error"') && line.includes("bot was kicked"))).toBe(true);
    expect(await everythingStored(test.database)).not.toContain("corset");
  });

  it("answers an emergency in a reply to the clinic's answer with the urgent-care reply first, then passes it on", async () => {
    const bot = await start();
    const { ticketId } = await openTicket(bot);
    const answer = toPatient(await bot.replyTo(ticketId, "Call us if anything changes.", "staff"))[0]!;
    const following = await bot.replyTo(answer.result.message_id, "now I have a fever of 39 and the wound is red", "private");
    const replies = toPatient(following);
    expect(replies[0]!.payload.text).toBe(bot.core.presenter.reply({ kind: "urgent", redFlag: "fever" }).text);
    expect(replies[1]!.payload.text).toMatch(/^📨 Sent to the clinic's team/);
    expect(toStaff(following)[0]!.payload.text).toContain("fever of 39");
  });

  it("finds the ticket by its number when the staff reply to a question whose link was lost", async () => {
    const bot = await start();
    const { ticketId } = await openTicket(bot, "Can I swim in the sea next month?");
    await test.database.db.deleteFrom("ticket_messages").where("chat_id", "=", String(STAFF_CHAT_ID)).where("message_id", "=", ticketId).execute();
    const answering = await bot.replyTo(ticketId, "Yes, once the wounds have closed.", "staff");
    expect(toPatient(answering)[0]!.payload.text).toContain("Yes, once the wounds have closed.");
  });

  it("never lets a question's number reach another patient (a new database numbers from 1 again)", async () => {
    const bot = await start();
    const { ticketId, ticket } = await openTicket(bot, "Is a massage allowed?");
    const number = Number(/#(\d+)/.exec(ticket.payload.text)![1]);
    await test.database.db.deleteFrom("ticket_messages").where("ticket_id", "=", number).execute();
    // The same number now belongs to someone else.
    await test.database.db.updateTable("tickets").set({ first_name: "Someone Else" }).where("id", "=", number).execute();
    const answering = await bot.replyTo(ticketId, "Yes, gently.", "staff");
    expect(toPatient(answering)).toHaveLength(0);
    expect(toStaff(answering)[0]!.payload.text).toBe(staffTexts.unknownTicket);
  });

  it("delivers a long staff answer in parts, each a reply the patient can answer", async () => {
    const bot = await start();
    const { ticketId } = await openTicket(bot);
    const long = `${"Here is a long explanation. ".repeat(200)}The end.`;
    const parts = toPatient(await bot.replyTo(ticketId, long, "staff"));
    expect(parts.length).toBe(2);
    expect(parts.map((part) => part.payload.text).join(" ")).toContain("The end.");
    const following = await bot.replyTo(parts[0]!.result.message_id, "Thanks!", "private");
    expect(toStaff(following)[0]!.payload.text).toContain("Thanks!");
  });

  it("stops waiting for a question after half an hour: the message is an FAQ question again", async () => {
    let now = NOW;
    const bot = await start();
    desk = createDesk({ store: createStore(test.database), staffChatId: STAFF_CHAT_ID, retentionDays: 90, logger: silentLogger, now: () => now });
    const late = await createRecordingBot({ desk });
    await late.press("ask", sentId(await late.text("/surgeon")));
    now = new Date(NOW.getTime() + 31 * 60_000);
    expect(sent(await late.text("when will i see my final result"))[0]!.payload.text).toBe(bot.core.presenter.entry("final-results-timing")!.text);
  });
});

describe("feedback, statistics and privacy", () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase("sqlite");
  });
  afterAll(() => test.dispose());

  const start = async () => {
    const desk = createDesk({ store: createStore(test.database), staffChatId: STAFF_CHAT_ID, retentionDays: 45, logger: silentLogger, now: () => NOW });
    return { desk, bot: await createRecordingBot({ desk }) };
  };

  it("puts 👍/👎 under every answer; one vote per user and answer, changeable, stored without text", async () => {
    const { bot } = await start();
    const answer = sent(await bot.text("when will i see my final result"))[0]!;
    expect(buttonsOf(answer).slice(-2)).toEqual([
      ["👍", "+:final-results-timing"],
      ["👎", "-:final-results-timing"],
    ]);
    await bot.press("+:final-results-timing", answer.result.message_id);
    const changing = await bot.press("-:final-results-timing", answer.result.message_id);
    const marked = changing.find((call) => call.method === "editMessageReplyMarkup")!.payload.reply_markup.inline_keyboard.flat();
    expect(marked.map((button: { text: string }) => button.text)).toContain("👎 ✓");
    const votes = (await createStore(test.database).votesSince("2026-01-01")).filter((vote) => vote.entryId === "final-results-timing");
    expect(votes).toEqual([{ entryId: "final-results-timing", helpful: false, day: "2026-11-27" }]);
    // A button opening an answer gets the same row.
    expect(buttonsOf(sent(await bot.press("e:revision-implant"))[0]).slice(-2).map(([label]) => label)).toEqual(["👍", "👎"]);
  });

  it("counts replies per day by kind, entry, reason and clarify choice, with no text and no user ids", async () => {
    const { bot, desk } = await start();
    const before = await createStore(test.database).countsSince("2026-11-27");
    const count = (rows: typeof before, metric: string, key: string) => rows.find((row) => row.metric === metric && row.key === key)?.count ?? 0;
    await bot.text("when will i see my final result");
    await bot.text("how much does it cost");
    await bot.text(AMBIGUOUS_QUESTION);
    await bot.press("c:revision-timing");
    await desk.settled();
    const after = await createStore(test.database).countsSince("2026-11-27");
    expect(count(after, "kind", "answer") - count(before, "kind", "answer")).toBe(1);
    expect(count(after, "entry", "final-results-timing") - count(before, "entry", "final-results-timing")).toBe(1);
    expect(count(after, "kind", "fallback") - count(before, "kind", "fallback")).toBe(1);
    expect(count(after, "fallback", "not-covered") - count(before, "fallback", "not-covered")).toBe(1);
    expect(count(after, "kind", "clarify") - count(before, "kind", "clarify")).toBe(1);
    expect(count(after, "choice", "revision-timing") - count(before, "choice", "revision-timing")).toBe(1);
    const stored = await everythingStored(test.database);
    expect(stored).not.toContain("final result");
    // The patient's id (1001) is nowhere as a value of its own.
    expect(stored).not.toMatch(/:"?1001"?[,}]/);
  });

  it("/privacy says what is kept and for how long; /forget deletes the patient's tickets and votes", async () => {
    const { bot } = await start();
    const privacy = sent(await bot.text("/privacy"))[0]!.payload.text as string;
    expect(privacy).toContain("deleted after 45 days");
    expect(privacy).toContain("/forget");

    const fallback = await bot.text("can I smoke after surgery");
    await bot.press("tk:send", sentId(await bot.press("ask:q", sentId(fallback))));
    const answer = sent(await bot.text("when will i see my final result"))[0]!;
    await bot.press("+:final-results-timing", answer.result.message_id);

    const forgetting = sent(await bot.text("/forget"))[0]!.payload.text as string;
    expect(forgetting).toMatch(/^Done\. I deleted [1-9]\d* questions? to the clinic and 1 vote of yours\./);
    const stored = await everythingStored(test.database);
    expect(stored).not.toContain("smoke");
    expect(await createStore(test.database).votesSince("2026-01-01")).toEqual([]);
    expect(sent(await bot.text("/forget"))[0]!.payload.text).toBe("Done. I deleted 0 questions to the clinic and 0 votes of yours. Nothing else about you is stored.");
  });

  it("/help lists /privacy, /forget and /cancel where the bot stores something; without storage it does not", async () => {
    const { bot } = await start();
    const help = sent(await bot.text("/help"))[0]!.payload.text as string;
    expect(help).toContain("/topics");
    for (const command of ["/privacy", "/forget", "/cancel"]) expect(help).toContain(command);
    expect(sent(await bot.text("/nonsense"))[0]!.payload.text).toBe(help);
    const withoutStorage = await createRecordingBot();
    expect(sent(await withoutStorage.text("/help"))[0]!.payload.text).not.toContain("/forget");
  });

  it("/forget in a group only points to a private chat, and deletes nothing", async () => {
    const { bot } = await start();
    const answer = sent(await bot.text("when will i see my final result"))[0]!;
    await bot.press("+:final-results-timing", answer.result.message_id);
    const reply = sent(await bot.text("/forget", "group"))[0]!.payload.text as string;
    expect(reply).toBe(privacyTexts.privateOnly);
    expect((await createStore(test.database).votesSince("2026-01-01")).length).toBeGreaterThan(0);
  });

  it("reads a photo's caption like a message: an emergency gets the urgent-care reply, a question its answer", async () => {
    const { bot } = await start();
    const urgent = sent(await bot.message({ photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }], caption: "look, the wound is bleeding and won't stop" }));
    expect(urgent[0]!.payload.text).toBe(bot.core.presenter.reply({ kind: "urgent", redFlag: "bleeding" }).text);
    const question = sent(await bot.message({ photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }], caption: "when will i see my final result" }));
    expect(question[0]!.payload.text).toBe(bot.core.presenter.entry("final-results-timing")!.text);
  });

  it("/stats in the staff group shows the last 7 days", async () => {
    const { bot, desk } = await start();
    await bot.text("when will i see my final result");
    await desk.settled();
    const stats = sent(await bot.text("/stats", "staff"))[0]!.payload.text as string;
    expect(stats).toMatch(/^Last 7 days \(since 2026-11-21, UTC\): \d+ messages/);
    expect(stats).toContain("final-results-timing");
    expect(sent(await bot.text("/stats"))[0]!.payload.text).not.toContain("Last 7 days");
  });
});

describe("without a staff chat", () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase("sqlite");
  });
  afterAll(() => test.dispose());

  it("offers no hand-off, but keeps feedback and privacy", async () => {
    const desk = createDesk({ store: createStore(test.database), retentionDays: 90, logger: silentLogger });
    const bot = await createRecordingBot({ desk });
    expect(buttonsOf(sent(await bot.text("how much does it cost"))[0]).map(([label]) => label)).not.toContain(handoffTexts.askButton);
    expect(buttonsOf(sent(await bot.text("/surgeon"))[0]).map(([label]) => label)).not.toContain(handoffTexts.askButton);
    expect(buttonsOf(sent(await bot.text("when will i see my final result"))[0]).map(([label]) => label)).toContain("👍");
    expect(sent(await bot.text("/privacy"))[0]!.payload.text).not.toContain("Ask the clinic");
  });
});

describe("when PostgreSQL goes away mid-run", () => {
  let server: PostgresServer;
  let database: Database;
  beforeAll(async () => {
    server = await startPostgresServer();
    database = await openDatabase({ url: await createTestDatabase(server.url) });
  });
  afterAll(async () => {
    await database.close();
    await server.stop();
  });

  it("goes on answering, replaces the hand-off with the clinic's contact, warns once, and recovers", async () => {
    const lines: string[] = [];
    const logger = createLogger("info", (line) => lines.push(line));
    const desk = createDesk({ store: createStore(database), staffChatId: STAFF_CHAT_ID, retentionDays: 90, logger, probePauseMs: 0 });
    const bot = await createRecordingBot({ desk, logger });
    const warnings = () => lines.filter((line) => line.includes('"level":"warn"') && line.includes("database unreachable"));

    await server.pause();
    const answer = sent(await bot.text("when will i see my final result"))[0]!;
    expect(answer.payload.text).toBe(bot.core.presenter.entry("final-results-timing")!.text);
    const fallback = await bot.text("how much does it cost");
    const asking = toPatient(await bot.press("ask:q", sentId(fallback)));
    // The preview cannot be kept open, so it turns into the notice, followed by the contact.
    expect(bot.messageById(asking[0]!.result.message_id)!.text).toBe(handoffTexts.unavailable);
    expect(asking[1]!.payload.text).toBe(bot.core.presenter.surgeon().text);
    expect(buttonsOf(asking[0])).toHaveLength(2);
    expect(bot.messageById(asking[0]!.result.message_id)!.reply_markup).toBeUndefined();
    expect(warnings()).toHaveLength(1);
    expect(lines.join("\n")).not.toContain("how much does it cost");

    await server.resume();
    const preview = await bot.press("ask:q", sentId(fallback));
    expect(toStaff(await bot.press("tk:send", sentId(preview)))).toHaveLength(1);
    expect(lines.some((line) => line.includes("database reachable again"))).toBe(true);
    expect(warnings()).toHaveLength(1);
  });

  it("when PostgreSQL hangs, sends the urgent-care reply before waiting on it, and stops waiting on it after a first failure", async () => {
    const lines: string[] = [];
    const logger = createLogger("info", (line) => lines.push(line));
    const desk = createDesk({ store: createStore(database), staffChatId: STAFF_CHAT_ID, retentionDays: 90, logger, probePauseMs: 60_000 });
    const bot = await createRecordingBot({ desk, logger });
    const urgentText = bot.core.presenter.reply({ kind: "urgent", redFlag: "fever" }).text;
    server.freeze();
    try {
      let handled = false;
      const handling = bot.text("I have a fever of 39 and the wound is hot").then(() => (handled = true));
      // The urgent reply is out while the update still waits for the frozen database.
      await eventually(() => (bot.calls.some((call) => call.payload.text === urgentText) ? true : undefined));
      expect(handled).toBe(false);
      await handling;
      expect(lines.filter((line) => line.includes("database unreachable"))).toHaveLength(1);
      // The database is now known to be down: the next question is answered without waiting on it.
      const answer = sent(await bot.text("when will i see my final result"))[0]!;
      expect(answer.payload.text).toBe(bot.core.presenter.entry("final-results-timing")!.text);
    } finally {
      server.thaw();
    }
  }, 30_000);
});

describe("the desk, while the database is down", () => {
  it("leaves it alone for a pause after a failure, then lets one operation probe it", async () => {
    let calls = 0;
    let failing = true;
    const operation = async () => {
      calls++;
      if (failing) throw new Error("connect ECONNREFUSED");
      return "ok";
    };
    const store = createStore({} as Database);
    const paused = createDesk({ store, retentionDays: 90, logger: silentLogger, probePauseMs: 60_000 });
    expect(await paused.attempt(operation)).toBe(UNAVAILABLE);
    expect(await paused.attempt(operation)).toBe(UNAVAILABLE);
    expect(calls).toBe(1);

    calls = 0;
    const probing = createDesk({ store, retentionDays: 90, logger: silentLogger, probePauseMs: 0 });
    expect(await probing.attempt(operation)).toBe(UNAVAILABLE);
    failing = false;
    expect(await probing.attempt(operation)).toBe("ok");
    expect(await probing.attempt(operation)).toBe("ok");
    expect(calls).toBe(3);
  });

  it("does not take one failed statement (a constraint, say) for an outage", async () => {
    let calls = 0;
    const desk = createDesk({ store: createStore({} as Database), retentionDays: 90, logger: silentLogger, probePauseMs: 60_000 });
    const clash = Object.assign(new Error("duplicate key value violates unique constraint"), { code: "23505" });
    expect(await desk.attempt(async () => { calls++; throw clash; })).toBe(UNAVAILABLE);
    expect(await desk.attempt(async () => { calls++; return "ok"; })).toBe("ok");
    expect(calls).toBe(2);
  });
});
