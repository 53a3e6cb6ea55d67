import { describe, expect, it } from "vitest";
import { createDesk } from "../src/bot/desk.js";
import { KnowledgeBaseError } from "../src/knowledge/errors.js";
import { loadKnowledgeBase } from "../src/knowledge/load.js";
import { createLogger, silentLogger } from "../src/logger.js";
import { createPrometheusMetrics, observeApiErrors } from "../src/metrics/metrics.js";
import { createReloader, describeReload } from "../src/reload/reloader.js";
import type { Core } from "../src/session.js";
import { createStore } from "../src/storage/store.js";
import { openDatabase } from "../src/storage/database.js";
import { coreFor, shippedCore } from "./helpers/engine.js";
import { copyKnowledge, editFile } from "./helpers/knowledge-copy.js";
import { eventually } from "./helpers/processes.js";
import { createRecordingBot, STAFF_CHAT_ID } from "./helpers/recording-bot.js";

describe("the reloader", () => {
  it("swaps to the new core in one step, and keeps the old one (logging file:line) when the new one is broken", async () => {
    const shipped = await shippedCore();
    const dir = copyKnowledge();
    editFile(dir, "entries/revision.yaml", "A revision normally uses your own fat.", "EDITED: own fat.");
    const lines: string[] = [];
    let loads = 0;
    const reloader = createReloader({
      initial: shipped,
      logger: createLogger("info", (line) => lines.push(line)),
      load: async () => {
        loads++;
        return coreFor(loadKnowledgeBase(dir));
      },
    });
    const outcome = await reloader.reload("test");
    expect(outcome).toMatchObject({ ok: true, entries: 16 });
    expect(reloader.current().presenter.entry("revision-implant")!.text).toMatch(/^EDITED/);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: "info", event: "knowledge base reloaded", trigger: "test", entries: 16 });

    editFile(dir, "entries/revision.yaml", "related: [", "related: [no-such-entry, ");
    const failed = await reloader.reload("test");
    expect(failed.ok).toBe(false);
    expect(reloader.current().presenter.entry("revision-implant")!.text).toMatch(/^EDITED/);
    const logged = JSON.parse(lines[1]!);
    expect(logged).toMatchObject({ level: "error", event: "knowledge base reload failed; still answering with the previous one" });
    expect(logged.problems[0]).toMatch(new RegExp(`^${dir}/entries/revision\\.yaml:\\d+:\\d+: \\[revision-\\w+\\] related id "no-such-entry" does not exist`));
    expect(describeReload(failed)).toContain("Still using the previous knowledge base");
    expect(loads).toBe(2);
  });

  it("never runs two reloads at once: requests during one are served by a single next one", async () => {
    const shipped = await shippedCore();
    let running = 0;
    let most = 0;
    let loads = 0;
    const reloader = createReloader({
      initial: shipped,
      logger: silentLogger,
      load: async () => {
        running++;
        loads++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 30));
        running--;
        return shipped;
      },
    });
    const results = await Promise.all([reloader.reload("a"), reloader.reload("b"), reloader.reload("c"), reloader.reload("d")]);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(most).toBe(1);
    expect(loads).toBe(2);
  });

  it("reports a failure that is not the knowledge base's (training) as one problem", async () => {
    const reloader = createReloader({ initial: await shippedCore(), logger: silentLogger, load: () => Promise.reject(new Error("training failed (exit 1)")) });
    expect(await reloader.reload("x")).toMatchObject({ ok: false, problems: ["training failed (exit 1)"] });
    await expect(
      createReloader({ initial: await shippedCore(), logger: silentLogger, load: () => Promise.reject(new KnowledgeBaseError([])) }).reload("x"),
    ).resolves.toMatchObject({ ok: false });
  });
});

describe("/reload and metrics in the bot", () => {
  it("/reload in the staff chat reloads and replies with the outcome; elsewhere it is the help", async () => {
    const database = await openDatabase({ sqlitePath: ":memory:" });
    const desk = createDesk({ store: createStore(database), staffChatId: STAFF_CHAT_ID, retentionDays: 90, logger: silentLogger });
    let reloads = 0;
    const bot = await createRecordingBot({
      desk,
      reload: async () => {
        reloads++;
        return "✅ Reloaded: 16 entries, 1 phrasings, in 0.1 s.";
      },
    });
    const replies = (await bot.text("/reload", "staff")).filter((call) => call.method === "sendMessage");
    // At once "reloading", then the outcome when the reload is done, without holding up the chat.
    expect(replies[0]!.payload.text).toBe("Reloading the knowledge base…");
    await eventually(() => (bot.calls.some((call) => call.payload.text === "✅ Reloaded: 16 entries, 1 phrasings, in 0.1 s.") ? true : undefined));
    expect(reloads).toBe(1);
    await bot.text("/reload");
    await bot.text("/reload", "group");
    expect(reloads).toBe(1);
    await database.close();
  });

  it("answers each update with the core current when it arrives", async () => {
    const shipped = await shippedCore();
    let current: Core = shipped;
    const bot = await createRecordingBot({ core: () => current });
    const dir = copyKnowledge();
    editFile(dir, "entries/revision.yaml", "A revision normally uses your own fat.", "EDITED: own fat.");
    const before = (await bot.text("implant?")).find((call) => call.method === "sendMessage")!;
    current = await coreFor(loadKnowledgeBase(dir));
    const after = (await bot.text("implant?")).find((call) => call.method === "sendMessage")!;
    expect(before.payload.text).toMatch(/^A revision/);
    expect(after.payload.text).toMatch(/^EDITED/);
  });

  it("counts updates, reply kinds, answers, fallbacks and Bot API errors", async () => {
    const metrics = createPrometheusMetrics({ processMetrics: false });
    const withMetrics = await createRecordingBot({ metrics });
    observeApiErrors(withMetrics.bot.api, metrics);
    await withMetrics.text("implant?");
    await withMetrics.text("how much does it cost");
    withMetrics.failWith({ method: "sendMessage", error_code: 403, description: "Forbidden: bot was blocked by the user" });
    await withMetrics.text("implant?");
    const text = await metrics.render();
    expect(text).toMatch(/hourglass_updates_total\{type="message"\} 3/);
    expect(text).toMatch(/hourglass_replies_total\{kind="answer"\} 2/);
    expect(text).toMatch(/hourglass_fallbacks_total\{reason="not-covered"\} 1/);
    expect(text).toMatch(/hourglass_answers_total\{entry="revision-implant"\} 2/);
    expect(text).toMatch(/hourglass_bot_api_errors_total\{method="sendMessage",code="403"\} 1/);
    expect(text).toMatch(/hourglass_encoder_lane_failures_total 0/);
    metrics.encoderLaneFailed();
    expect(await metrics.render()).toMatch(/hourglass_encoder_lane_failures_total 1/);
    expect(text).not.toContain("implant?");
  });
});
