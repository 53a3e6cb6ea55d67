import { spawnSync } from "node:child_process";
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadKnowledgeBase } from "../src/knowledge/load.js";
import { copyKnowledge, copySmallKnowledge, editFile, lineOf } from "./helpers/knowledge-copy.js";
import { eventually, freePort, startNpm, webhookEnv, type RunningProcess } from "./helpers/processes.js";

const TOKEN = "123456789:AAF_operations_token_abcdefghijklmn";
const SECRET = "operations_secret";
const ORIGINAL = /^A revision normally uses your own fat/;
const EDITED = "EDITED: a revision normally uses your own fat.";

interface Stored {
  message: { chat_id: number | string; text: string };
}

describe("running it for real: reloads, metrics, signals", () => {
  let emulator: TelegramServer;
  let bot: RunningProcess | undefined;

  beforeEach(async () => {
    emulator = new TelegramServer({ port: await freePort(), host: "127.0.0.1", storeTimeout: 600 });
    await emulator.start();
  });

  afterEach(async () => {
    const stopped = bot ? await bot.stop() : true;
    bot = undefined;
    await emulator.stop();
    expect(stopped, "a process of the bot outlived its test").toBe(true);
  });

  const botTexts = () => (emulator.storage.botMessages as unknown as Stored[]).map((stored) => stored.message.text);

  /** A bot in webhook mode on a copy of the knowledge base; `ask` posts a question and resolves with the reply. */
  async function startWebhookBot(env: Record<string, string> = {}, dir = copyKnowledge()) {
    const port = await freePort();
    bot = startNpm("start", {
      ...webhookEnv({ token: TOKEN, apiRoot: emulator.config.apiURL, port, secret: SECRET }),
      KNOWLEDGE_DIR: dir,
      ...env,
    });
    await bot.waitFor(/"event":"started"/, 30_000);
    let updateId = 1;
    const ask = async (text: string) => {
      const before = botTexts().length;
      const response = await fetch(`http://127.0.0.1:${port}/hook`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
        body: JSON.stringify({
          update_id: updateId++,
          message: { message_id: updateId, date: 0, chat: { id: 777, type: "private", first_name: "Pat" }, from: { id: 777, is_bot: false, first_name: "Pat" }, text },
        }),
      });
      expect(response.status).toBe(200);
      return eventually(() => botTexts()[before]);
    };
    return { port, dir, ask, running: bot };
  }

  it("serves an edited answer after SIGHUP; a broken edit keeps the old one and logs file:line", async () => {
    const { dir, ask, running } = await startWebhookBot();
    expect(await ask("implant?")).toMatch(ORIGINAL);

    editFile(dir, "entries/revision.yaml", "A revision normally uses your own fat.", EDITED);
    await running.signal("SIGHUP");
    await running.waitFor(/"event":"knowledge base reloaded".*"trigger":"SIGHUP".*"entries":16/);
    expect(await ask("implant?")).toMatch(/^EDITED: a revision/);

    editFile(dir, "entries/revision.yaml", "related: [", "related: [no-such-entry, ");
    const line = lineOf(dir, "entries/revision.yaml", "no-such-entry");
    await running.signal("SIGHUP");
    const failure = await running.waitFor(/"event":"knowledge base reload failed/);
    expect(failure).toContain(`${dir}/entries/revision.yaml:${line}:`);
    expect(failure).toContain('related id \\"no-such-entry\\" does not exist');
    expect(await ask("implant?")).toMatch(/^EDITED: a revision/);
    expect(running.output()).not.toContain("implant?");
  }, 60_000);

  it("retrains in a child process after a new phrasing, answering with the old model meanwhile", async () => {
    // A knowledge base cut down to a few phrasings per entry: the whole retraining takes seconds.
    const { dir, ask, running } = await startWebhookBot({}, copySmallKnowledge());
    const before = loadKnowledgeBase(dir).entries.reduce((sum, entry) => sum + 1 + entry.alternates.length, 0);
    // A phrasing no earlier run added, so the cache cannot hold this model: the reload must train.
    const unique = `is it already time to fix my lopsided hips, case ${Date.now().toString(36)}`;
    editFile(dir, "entries/revision.yaml", "    - when can i have a revision surgery\n", `    - when can i have a revision surgery\n    - ${unique}\n`);
    await running.signal("SIGHUP");
    expect(await ask("implant?")).toMatch(ORIGINAL);
    expect(running.output()).not.toContain("knowledge base reloaded");
    const reloaded = await running.waitFor(/"event":"knowledge base reloaded"/, 90_000);
    expect(reloaded).toContain(`"phrasings":${before + 1}`);
    expect(await ask("implant?")).toMatch(ORIGINAL);
  }, 120_000);

  it("SIGTERM during a retraining stops the training process too", async () => {
    const { dir, running } = await startWebhookBot();
    editFile(dir, "entries/revision.yaml", "    - when can i have a revision surgery\n", `    - when can i have a revision surgery\n    - stop me ${Date.now().toString(36)}\n`);
    await running.signal("SIGHUP");
    const training = () => {
      const found = spawnSync("pgrep", ["-f", `cli/train.js --knowledge ${dir}`], { encoding: "utf8" }).stdout.trim();
      return found ? found.split("\n").map(Number) : undefined;
    };
    await eventually(training, 15_000);
    await running.signal("SIGTERM");
    expect(await running.exited).toBe(0);
    // pgrep sees running processes only (not one that has exited and awaits reaping).
    await eventually(() => (training() === undefined ? true : undefined), 5_000);
  }, 60_000);

  it("with KNOWLEDGE_WATCH=1, serves an edited answer after the file changes", async () => {
    const { dir, ask, running } = await startWebhookBot({ KNOWLEDGE_WATCH: "1" });
    expect(await ask("implant?")).toMatch(ORIGINAL);
    editFile(dir, "entries/revision.yaml", "A revision normally uses your own fat.", EDITED);
    await running.waitFor(/"event":"knowledge base reloaded".*"trigger":"file change"/);
    expect(await ask("implant?")).toMatch(/^EDITED: a revision/);
  }, 60_000);

  it("webhook mode: /metrics exposes the counters, and they move when updates arrive", async () => {
    const { port, ask } = await startWebhookBot();
    const scrape = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/plain");
      return response.text();
    };
    const before = await scrape();
    for (const name of ["hourglass_model_load_seconds", "hourglass_reloads_total", "process_resident_memory_bytes", "nodejs_eventloop_lag_seconds"]) {
      expect(before).toContain(name);
    }
    expect(before).not.toMatch(/hourglass_updates_total\{type="message"\}/);

    await ask("implant?");
    await ask("how much does it cost");
    const after = await eventually(async () => {
      const text = await scrape();
      return /hourglass_updates_total\{type="message"\} 2/.test(text) ? text : undefined;
    });
    expect(after).toMatch(/hourglass_replies_total\{kind="answer"\} 1/);
    expect(after).toMatch(/hourglass_fallbacks_total\{reason="not-covered"\} 1/);
    expect(after).toMatch(/hourglass_answers_total\{entry="revision-implant"\} 1/);
    expect(after).toMatch(/hourglass_reply_duration_seconds_count\{type="message"\} 2/);
    // The emulator knows no setMyCommands: a Bot API error, by method and code.
    expect(after).toMatch(/hourglass_bot_api_errors_total\{method="setMyCommands",code="[^"]+"\} 1/);
  }, 60_000);

  it("polling mode: /metrics and /healthz on METRICS_PORT", async () => {
    const metricsPort = await freePort();
    bot = startNpm("start", { BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.config.apiURL, BOT_MODE: "polling", HOST: "127.0.0.1", METRICS_PORT: String(metricsPort) });
    await bot.waitFor(/"event":"started".*"metricsPort":/, 30_000);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()).toContain("hourglass_model_load_seconds");
    expect((await fetch(`http://127.0.0.1:${metricsPort}/hook`)).status).toBe(404);
  }, 60_000);

  it("SIGTERM to npm start stops the bot gracefully: exit 0, no process left", async () => {
    bot = startNpm("start", { BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.config.apiURL, BOT_MODE: "polling" });
    const pid = Number(/"pid":(\d+)/.exec(await bot.waitFor(/"event":"started"/, 30_000))![1]);
    // The signal goes to npm itself, as a supervisor or a container runtime sends it.
    process.kill(bot.child.pid!, "SIGTERM");
    const code = await bot.exited;
    expect(code, `signal ${bot.child.signalCode}; output:\n${bot.output()}`).toBe(0);
    expect(bot.output()).toMatch(/"event":"stopped"/);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(() => process.kill(-bot!.child.pid!, 0)).toThrow();
  }, 60_000);
});
