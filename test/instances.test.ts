import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { eventually, freePort, startNpm, webhookEnv, type RunningProcess } from "./helpers/processes.js";
import { createTestDatabase } from "./helpers/postgres-server.js";

const TOKEN = "123456789:AAF_e2e_instances_token_abcdefghijk";
const SECRET = "two_instances_secret";
const STAFF_CHAT = { id: -7007, type: "supergroup", title: "Clinic staff" };
const PATIENT = { id: 777, is_bot: false, first_name: "Pat" };
const NURSE = { id: 9001, is_bot: false, first_name: "Kim" };
/** The bot as the emulator's getMe describes it. */
const BOT = { id: 666, is_bot: true, first_name: "Test First name", username: "TestNameBot" };

interface Stored {
  messageId: number;
  message: { chat_id: number | string; text: string; entities?: unknown; reply_markup?: unknown };
}

const parsed = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);

describe("two bot instances in webhook mode sharing one PostgreSQL", () => {
  let emulator: TelegramServer;
  const bots: RunningProcess[] = [];

  beforeEach(async () => {
    const port = await freePort();
    emulator = new TelegramServer({ port, host: "127.0.0.1", storeTimeout: 600 });
    await emulator.start();
  });

  afterEach(async () => {
    const stopped = await Promise.all(bots.map((bot) => bot.stop()));
    bots.length = 0;
    await emulator.stop();
    expect(stopped.every(Boolean), "a process of a bot outlived its test").toBe(true);
  });

  async function startInstance(databaseUrl: string) {
    const port = await freePort();
    const bot = startNpm("start", {
      ...webhookEnv({ token: TOKEN, apiRoot: emulator.config.apiURL, port, secret: SECRET }),
      DATABASE_URL: databaseUrl,
      STAFF_CHAT_ID: String(STAFF_CHAT.id),
    });
    bots.push(bot);
    await bot.waitFor(/"event":"started".*"mode":"webhook".*"database":"postgres"/, 30_000);
    let nextId = 1;
    /** Posts an update to this instance, as Telegram would. */
    const post = async (update: Record<string, unknown>) => {
      const response = await fetch(`http://127.0.0.1:${port}/hook`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
        body: JSON.stringify({ update_id: port * 1000 + nextId++, ...update }),
      });
      expect(response.status).toBe(200);
    };
    return { bot, post };
  }

  const stored = (): Stored[] => emulator.storage.botMessages as unknown as Stored[];
  const waitForMessage = (chatId: number, pattern: RegExp) =>
    eventually(() => stored().find((entry) => Number(entry.message.chat_id) === chatId && pattern.test(entry.message.text)), 15_000);
  /** A bot message as a callback query or a reply carries it. */
  const asMessage = (entry: Stored, chat: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    message_id: entry.messageId,
    date: 0,
    chat,
    from: BOT,
    text: entry.message.text,
    ...(entry.message.entities ? { entities: parsed(entry.message.entities) } : {}),
    ...(entry.message.reply_markup ? { reply_markup: parsed(entry.message.reply_markup) } : {}),
    ...extra,
  });

  it("the question and consent reach instance A, the staff reply reaches instance B, and the answer reaches the patient", async () => {
    const databaseUrl = await createTestDatabase(inject("postgresUrl"));
    const a = await startInstance(databaseUrl);
    const b = await startInstance(databaseUrl);
    const privateChat = { id: PATIENT.id, type: "private", first_name: PATIENT.first_name };

    const question = { message_id: 501, date: 0, chat: privateChat, from: PATIENT, text: "Can I drink alcohol after the operation?" };
    await a.post({ message: question });
    const fallback = await waitForMessage(PATIENT.id, /not in my notes|board-certified/i);
    const fallbackMarkup = parsed(fallback.message.reply_markup) as { inline_keyboard: { text: string; callback_data?: string }[][] };
    expect(fallbackMarkup.inline_keyboard.flat().map((button) => button.callback_data)).toContain("ask:q");

    await a.post({
      callback_query: { id: "cb1", from: PATIENT, chat_instance: "ci", data: "ask:q", message: asMessage(fallback, privateChat, { reply_to_message: question }) },
    });
    const preview = await waitForMessage(PATIENT.id, /^This is what I will send/);
    expect(preview.message.text).toContain("Can I drink alcohol after the operation?");
    await a.post({ callback_query: { id: "cb2", from: PATIENT, chat_instance: "ci", data: "tk:send", message: asMessage(preview, privateChat) } });

    const ticket = await waitForMessage(STAFF_CHAT.id, /^🎫 Question #\d+ from Pat/);
    expect(ticket.message.text).toContain("Can I drink alcohol after the operation?");

    await b.post({
      message: {
        message_id: 9001,
        date: 0,
        chat: STAFF_CHAT,
        from: NURSE,
        text: "Please avoid alcohol for two weeks; we will confirm at your check-up.",
        reply_to_message: asMessage(ticket, STAFF_CHAT),
      },
    });
    const answer = await waitForMessage(PATIENT.id, /^💬 The clinic's team answered your question #\d+/);
    expect(answer.message.text).toContain("Please avoid alcohol for two weeks");
    await waitForMessage(STAFF_CHAT.id, /^✅ Delivered to Pat/);

    // Neither instance logged the patient's words.
    for (const { bot } of [a, b]) expect(bot.output()).not.toContain("alcohol");
    await Promise.all([a.bot.signal("SIGTERM"), b.bot.signal("SIGTERM")]);
    expect(await a.bot.exited).toBe(0);
    expect(await b.bot.exited).toBe(0);
  }, 90_000);

  it("refuses to start when the database cannot be reached: one line naming the host and the error", async () => {
    const closed = await freePort();
    const bot = startNpm("start", { BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.config.apiURL, DATABASE_URL: `postgres://bot:secret@127.0.0.1:${closed}/bot` });
    bots.push(bot);
    expect(await bot.exited).toBe(1);
    const lines = bot.output().trim().split("\n").filter((line) => !line.startsWith("training the matcher"));
    expect(lines).toEqual([`Cannot use the database at 127.0.0.1:${closed}/bot: connect ECONNREFUSED 127.0.0.1:${closed}`]);
  }, 60_000);
});
