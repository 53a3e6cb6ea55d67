import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copyKnowledge, editFile } from "./helpers/knowledge-copy.js";
import { eventually, freePort, ROOT, startNpm, type RunningProcess } from "./helpers/processes.js";
import { AMBIGUOUS_QUESTION } from "./helpers/questions.js";

type Emulator = TelegramServer;

const TOKEN = "123456789:AAF_e2e_test_token_abcdefghijklmnopq";

interface BotMessage {
  text: string;
  reply_markup?: { inline_keyboard: { text: string; callback_data?: string }[][] };
}

/** The bot's messages the emulator has received so far. */
function botMessages(emulator: Emulator): BotMessage[] {
  return emulator.storage.botMessages.map((stored: { message: unknown }) => {
    const message = stored.message as unknown as { text: string; reply_markup?: string | BotMessage["reply_markup"] };
    const markup = typeof message.reply_markup === "string" ? JSON.parse(message.reply_markup) : message.reply_markup;
    return { text: message.text, ...(markup ? { reply_markup: markup } : {}) };
  });
}

async function nextBotMessage(emulator: Emulator, count: number): Promise<BotMessage> {
  return eventually(() => botMessages(emulator)[count]);
}

function buttonData(message: BotMessage, label: string): string {
  const button = message.reply_markup?.inline_keyboard.flat().find((candidate) => candidate.text === label);
  if (!button?.callback_data) throw new Error(`no button "${label}" in ${JSON.stringify(message.reply_markup)}`);
  return button.callback_data;
}

/**
 * A pass-through proxy in front of the emulator that can hold sendMessage calls back,
 * to catch the bot with an update in flight.
 */
async function startSlowProxy(target: string): Promise<{ url: string; server: Server; holdSendMessage: (ms: number) => void; sendStarted: Promise<void> }> {
  let holdMs = 0;
  let signalStarted!: () => void;
  const sendStarted = new Promise<void>((resolve) => (signalStarted = resolve));
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.url?.endsWith("/sendMessage") && holdMs > 0) {
      signalStarted();
      await new Promise((resolve) => setTimeout(resolve, holdMs));
    }
    try {
      const upstream = await fetch(`${target}${request.url}`, {
        method: request.method ?? "GET",
        headers: { "content-type": request.headers["content-type"] ?? "application/json" },
        ...(request.method === "POST" ? { body: Buffer.concat(chunks) } : {}),
      });
      response.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
      response.end(Buffer.from(await upstream.arrayBuffer()));
    } catch {
      // The emulator is gone (the test is over): drop the request.
      response.destroy();
    }
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}`, server, holdSendMessage: (ms) => (holdMs = ms), sendStarted };
}

describe("end to end, against a local Bot API emulator", () => {
  let emulator: Emulator;
  let apiRoot: string;
  let bot: RunningProcess | undefined;

  beforeEach(async () => {
    const port = await freePort();
    emulator = new TelegramServer({ port, host: "127.0.0.1", storeTimeout: 600 });
    await emulator.start();
    apiRoot = `http://127.0.0.1:${port}`;
  });

  afterEach(async () => {
    // Every process the test started (npm, its shell, the bot) must be gone, whatever happened.
    const stopped = bot ? await bot.stop() : true;
    bot = undefined;
    await emulator.stop();
    expect(stopped, "a process of the bot outlived its test").toBe(true);
  });

  it("a test's bot is stopped with its whole process group: npm, its shell and the bot", async () => {
    bot = startNpm("start", { BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot, BOT_MODE: "polling", LOG_LEVEL: "info" });
    const pid = Number(/"pid":(\d+)/.exec(await bot.waitFor(/"event":"started"/))![1]);
    expect(await bot.stop()).toBe(true);
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it("polling: a user starts the bot, asks, and presses a related-question and a 'did you mean' button", async () => {
    bot = startNpm("start", { BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot, BOT_MODE: "polling", LOG_LEVEL: "info" });
    await bot.waitFor(/"event":"started".*"mode":"polling"/);
    const client = emulator.getClient(TOKEN, { timeout: 5000 });

    await client.sendCommand(client.makeCommand("/start"));
    const welcome = await nextBotMessage(emulator, 0);
    expect(welcome.text).toContain("I answer common questions");

    await client.sendMessage(client.makeMessage("why is one hip bigger than the other?"));
    const answer = await nextBotMessage(emulator, 1);
    expect(answer.text).toMatch(/^Uneven hips after the hourglass hip procedure/);
    // What Telegram shows is exactly what `npm run ask -- --json` prints as text.
    const asked = spawnSync(process.execPath, [join(ROOT, "dist", "cli", "ask.js"), "--json", "why is one hip bigger than the other?"], { cwd: ROOT, encoding: "utf8" });
    expect(JSON.parse(asked.stdout).text).toBe(answer.text);

    await client.sendCallback(client.makeCallbackQuery(buttonData(answer, "Can fat handling cause it?")));
    const related = await nextBotMessage(emulator, 2);
    expect(related.text).toMatch(/^Yes\. The fat goes through three steps/);

    await client.sendMessage(client.makeMessage(AMBIGUOUS_QUESTION));
    const clarify = await nextBotMessage(emulator, 3);
    expect(clarify.text).toContain("Did you mean");
    await client.sendCallback(client.makeCallbackQuery(buttonData(clarify, "When will I see my final result?")));
    const chosen = await nextBotMessage(emulator, 4);
    expect(chosen.text).toMatch(/^Give it time: the final result/);

    // One log line per update, never with the patient's words.
    expect(bot.output()).toMatch(/"event":"update".*"kind":"answer","entryId":"asymmetry-causes"/);
    expect(bot.output()).not.toContain("one hip bigger");

    await bot.signal("SIGTERM");
    expect(await bot.exited).toBe(0);
  });

  it("polling: SIGTERM while an update is in flight still sends the reply, then exits 0", async () => {
    const proxy = await startSlowProxy(apiRoot);
    try {
      bot = startNpm("start", { BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: proxy.url, BOT_MODE: "polling" });
      await bot.waitFor(/"event":"started"/);
      proxy.holdSendMessage(1500);
      const client = emulator.getClient(TOKEN);
      await client.sendMessage(client.makeMessage("when will i see my final result"));
      await proxy.sendStarted;
      await bot.signal("SIGTERM");
      expect(await bot.exited).toBe(0);
      expect(botMessages(emulator).map((message) => message.text)).toEqual([expect.stringMatching(/final result/)]);
    } finally {
      proxy.server.close();
    }
  });

  /** A loopback Bot API that answers getMe with `getMe`'s error code (or the bot), and getUpdates with `getUpdates`'s. */
  async function fakeBotApi(codes: { getMe?: number; getUpdates?: number }): Promise<{ url: string; server: Server }> {
    const server = createServer((request, response) => {
      const method = (request.url ?? "").split("/").pop() ?? "";
      request.resume();
      const code = method === "getMe" ? codes.getMe : method === "getUpdates" ? codes.getUpdates : undefined;
      const body =
        code !== undefined
          ? { ok: false, error_code: code, description: code === 401 ? "Unauthorized" : "Conflict: terminated by other getUpdates request" }
          : { ok: true, result: method === "getMe" ? { id: 42, is_bot: true, first_name: "Hip FAQ", username: "HipFaqBot" } : true };
      response.writeHead(code ?? 200, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
  }

  it("start-up: an unreachable Bot API is retried a few times, each failure on one line, then exit 1", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    bot = startNpm("start", { BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: closed, BOT_MODE: "polling", LOG_LEVEL: "info" });
    expect(await bot.exited).toBe(1);
    const output = bot.output();
    expect(output.match(/"cannot reach the Bot API"/g)?.length).toBeGreaterThanOrEqual(3);
    expect(output).toContain(closed);
    expect(output).toMatch(/Gave up reaching the Bot API at http:\/\/127\.0\.0\.1:\d+ after \d+ attempts/);
    expect(output).not.toMatch(/\n\s+at /);
  });

  it("start-up: a refused token says so and how to get a new one, without a stack trace", async () => {
    const api = await fakeBotApi({ getMe: 401 });
    try {
      bot = startNpm("start", { BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.url, BOT_MODE: "polling" });
      expect(await bot.exited).toBe(1);
      expect(bot.output()).toContain("Telegram refused the bot token (401 Unauthorized)");
      expect(bot.output()).toContain("@BotFather");
      expect(bot.output()).not.toMatch(/\n\s+at /);
    } finally {
      api.server.close();
    }
  });

  it("polling: a 409 Conflict while polling stops the process with a reason and a non-zero exit", async () => {
    const api = await fakeBotApi({ getUpdates: 409 });
    try {
      bot = startNpm("start", { BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.url, BOT_MODE: "polling" });
      expect(await bot.exited).not.toBe(0);
      expect(bot.output()).toContain("409 Conflict: another instance of this bot is polling");
      expect(bot.output()).not.toMatch(/\n\s+at /);
    } finally {
      api.server.close();
    }
  });

  it("webhook: rejects requests without the secret, answers those with it, serves /healthz, survives bad bodies", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/telegram/hook`;
    bot = startNpm("start", {
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      BOT_MODE: "webhook",
      WEBHOOK_URL: url,
      WEBHOOK_SECRET: "e2e_secret-123",
      HOST: "127.0.0.1",
      PORT: String(port),
    });
    await bot.waitFor(/"event":"started".*"mode":"webhook"/);

    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const update = (id: number, text: string) =>
      JSON.stringify({
        update_id: id,
        message: { message_id: id, date: 0, chat: { id: 777, type: "private", first_name: "Pat" }, from: { id: 777, is_bot: false, first_name: "Pat" }, text },
      });

    const unauthorized = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: update(1, "implant?") });
    expect(unauthorized.status).toBe(401);
    const wrongSecret = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "nope" }, body: update(2, "implant?") });
    expect(wrongSecret.status).toBe(401);

    const malformed = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "e2e_secret-123" }, body: "{not json" });
    expect(malformed.status).toBe(400);
    const tooLarge = await fetch(url, { method: "POST", headers: { "x-telegram-bot-api-secret-token": "e2e_secret-123" }, body: "x".repeat(2_000_000) });
    expect(tooLarge.status).toBe(413);
    expect(botMessages(emulator)).toEqual([]);

    const accepted = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "e2e_secret-123" }, body: update(3, "implant?") });
    expect(accepted.status).toBe(200);
    const reply = await nextBotMessage(emulator, 0);
    expect(reply.text).toMatch(/^A revision normally uses your own fat/);
    expect(botMessages(emulator)).toHaveLength(1);

    await bot.signal("SIGTERM");
    expect(await bot.exited).toBe(0);
  });

  it("refuses to start without a token, saying how to get one and how to try the bot without it", async () => {
    bot = startNpm("start", { BOT_TOKEN: "", TELEGRAM_API_ROOT: apiRoot });
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toContain("@BotFather");
    expect(bot.output()).toContain("npm run chat");
  });

  it("refuses to start on a broken knowledge base, naming the file and line", async () => {
    const dir = copyKnowledge();
    editFile(dir, "entries/recovery.yaml", "related: [cause-pressure-recovery, final-results-timing, natural-asymmetry]", "related: [cause-pressure-recovery, no-such-entry]");
    bot = startNpm("start", { BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot, KNOWLEDGE_DIR: dir });
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toMatch(new RegExp(`${dir}/entries/recovery\\.yaml:\\d+:\\d+: \\[recovery-care\\] related id "no-such-entry" does not exist`));
  });
});
