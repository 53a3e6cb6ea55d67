/**
 * `npm run bench [-- --quick] [-- --json]`: speed, memory and accuracy of the reply engine
 * next to plain Fuse.js and MiniSearch, measured side by side in one run.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import Fuse from "fuse.js";
import MiniSearch from "minisearch";
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { createAssistant, type Reply } from "../src/assistant.js";
import { createBot } from "../src/bot/create-bot.js";
import { createDesk } from "../src/bot/desk.js";
import { loadBotEncoder, loadUniversalSentenceEncoder } from "../src/encoders/universal-sentence-encoder.js";
import { evaluate, loadEvalSet, summarizeResults, type EvalSummary } from "../src/evaluation.js";
import { loadKnowledgeBase } from "../src/knowledge/load.js";
import type { KnowledgeBase } from "../src/knowledge/types.js";
import { silentLogger } from "../src/logger.js";
import { loadOrTrainModel, loadVectorStore, modelCacheDir } from "../src/matching/model/cache.js";
import type { SentenceEncoder } from "../src/matching/model/encoder.js";
import { createHybridScorer } from "../src/matching/model/hybrid.js";
import { trainModel, type TrainedModel } from "../src/matching/model/train.js";
import { createCoreFor, type Core } from "../src/session.js";
import { openDatabase } from "../src/storage/database.js";
import { createStore } from "../src/storage/store.js";
import { BOT_INFO, createRecordingBot } from "../test/helpers/recording-bot.js";
import { botNodeFlags } from "../test/helpers/node-flags.js";
import { freePort } from "../test/helpers/processes.js";
import { renderChart } from "./chart.js";
import { createFuseBaseline } from "./fuse-baseline.js";
import { mixedUpdates, mixShares, type MixUpdate } from "./mix.js";
import { shuffled } from "../src/matching/model/random.js";
import { createRandom, syntheticKnowledgeBase, syntheticMessages, syntheticModel } from "./synthetic.js";

const ROOT = join(import.meta.dirname, "..");
const SHARED_EVAL = join(ROOT, "..", "shared", "eval", "questions.yaml");
const EVAL_DIR = join(ROOT, "test", "eval");
const PROJECT_EVAL = join(EVAL_DIR, "project-questions.yaml");
const LOCKED_EVAL = join(EVAL_DIR, "locked.yaml");
const SIZES = [16, 200, 2000];
const ENGINES = ["assistant", "fuse", "minisearch"] as const;
type EngineName = (typeof ENGINES)[number];
/** Telegram's documented ceiling for one bot: about 30 messages per second. */
const TELEGRAM_CEILING = 30;

const args = new Set(process.argv.slice(2));
const quick = args.has("--quick");
const json = args.has("--json");
const log = (line: string) => {
  if (!json) console.log(line);
};
const progress = (line: string) => process.stderr.write(json ? "" : `${line}\n`);

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const heapMb = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Engines {
  readonly encoder: SentenceEncoder;
  /** The model trained for the shipped knowledge base. */
  readonly model: TrainedModel;
}

/**
 * Builds one engine over a knowledge base; returns a function answering one message. For the
 * synthetic knowledge bases the assistant runs on a model of the right shape with random
 * vectors (see syntheticModel): its timing is real, its answers are not meant to be.
 */
function buildEngine(name: EngineName, kb: KnowledgeBase, engines: Engines): (text: string) => unknown {
  switch (name) {
    case "assistant": {
      const model = kb.entries.length === engines.model.classes.length - 2 ? engines.model : syntheticModel(kb, engines.model);
      const assistant = createAssistant(kb, createHybridScorer(model, engines.encoder));
      return (text) => assistant.reply(text);
    }
    case "fuse":
      return createFuseBaseline(kb);
    case "minisearch":
      return createMiniSearchBaseline(kb);
  }
}

/** MiniSearch with fuzzy, prefix BM25 search over every phrasing; answers with its best hit. */
function createMiniSearchBaseline(kb: KnowledgeBase): (text: string) => Reply {
  const search = new MiniSearch<{ id: number; text: string; entry: number }>({ fields: ["text"], storeFields: ["entry"] });
  let id = 0;
  search.addAll(kb.entries.flatMap((entry, index) => [entry.question, ...entry.alternates].map((text) => ({ id: id++, text, entry: index }))));
  return (text) => {
    const [hit] = search.search(text, { fuzzy: 0.2, prefix: true });
    if (!hit) return { kind: "fallback", reason: "not-covered", topics: kb.topics };
    return { kind: "answer", entry: kb.entries[hit.entry as number]!, confidence: 1, related: [] };
  };
}

interface ScalingRow {
  engine: EngineName;
  entries: number;
  buildMs: number;
  p50Ms: number;
  p99Ms: number;
  heapMb: number;
  samples: number;
}

async function measureScaling(base: KnowledgeBase, messages: readonly string[], engines: Engines): Promise<ScalingRow[]> {
  const rows: ScalingRow[] = [];
  // Each engine gets a time budget per size; slow ones measure fewer messages (at least minSamples).
  const budgetMs = quick ? 1_000 : 20_000;
  const minSamples = quick ? 1 : 5;
  for (const size of SIZES) {
    const kb = size === base.entries.length ? base : syntheticKnowledgeBase(base, size);
    for (const engine of ENGINES) {
      const heapBefore = heapMb();
      const started = performance.now();
      let answer: ((text: string) => unknown) | undefined = buildEngine(engine, kb, engines);
      const buildMs = performance.now() - started;
      const heap = heapMb() - heapBefore;
      const latencies: number[] = [];
      const deadline = performance.now() + budgetMs;
      // Warm up on a few messages, unless one call is so slow that warming up changes nothing.
      const first = performance.now();
      await answer(messages[0]!);
      const firstMs = performance.now() - first;
      if (firstMs > 100) latencies.push(firstMs);
      else for (const message of messages.slice(1, 5)) await answer(message);
      for (const message of messages.slice(latencies.length)) {
        if (latencies.length >= minSamples && performance.now() > deadline) break;
        const begin = performance.now();
        await answer(message);
        latencies.push(performance.now() - begin);
      }
      answer = undefined;
      latencies.sort((a, b) => a - b);
      const row = { engine, entries: size, buildMs: round(buildMs), p50Ms: round(percentile(latencies, 50), 3), p99Ms: round(percentile(latencies, 99), 3), heapMb: round(heap), samples: latencies.length };
      rows.push(row);
      progress(`  ${engine.padEnd(10)} ${String(size).padStart(6)} entries: p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms (${row.samples} messages)`);
    }
  }
  return rows;
}

/**
 * Accuracy on the evaluation sets: the hybrid, its two ablations (lexical evidence only, the
 * sentence encoder only; each trained like the hybrid) and the plain baselines. The locked set
 * is read here, so a full bench run counts as one of its rare measurements (EVALUATION.md).
 */
async function measureAccuracy(kb: KnowledgeBase, engines: Engines) {
  const sets: [string, string][] = [["locked", LOCKED_EVAL], ["project", PROJECT_EVAL]];
  if (existsSync(SHARED_EVAL)) sets.push(["shared", SHARED_EVAL]);
  const store = loadVectorStore(modelCacheDir(), engines.encoder.id);
  const ablations: [string, TrainedModel][] = [["hybrid", engines.model]];
  for (const [name, evidences] of [["lexical only", { lexical: true, encoder: false }], ["encoder only", { lexical: false, encoder: true }]] as const) {
    progress(`  training the ${name} ablation...`);
    ablations.push([name, await trainModel(kb, engines.encoder, { store, evidences })]);
  }
  const rows: { engine: string; set: string; summary: EvalSummary }[] = [];
  for (const [set, path] of sets) {
    const items = loadEvalSet(path);
    for (const [name, model] of ablations) {
      const assistant = createAssistant(kb, createHybridScorer(model, engines.encoder));
      rows.push({ engine: name, set, summary: summarizeResults(await evaluate(items, (text) => assistant.reply(text))) });
    }
    for (const engine of ["fuse", "minisearch"] as const) {
      const answer = buildEngine(engine, kb, engines) as (text: string) => Reply;
      rows.push({ engine, set, summary: summarizeResults(await evaluate(items, answer)) });
    }
  }
  return rows;
}

function textUpdate(updateId: number, chatId: number, text: string) {
  return {
    update_id: updateId,
    message: { message_id: updateId, date: 0, chat: { id: chatId, type: "private" as const, first_name: "P" }, from: { id: chatId, is_bot: false, first_name: "P" }, text },
  };
}

async function measurePipeline(core: Core, messages: readonly string[]) {
  const { bot } = await createRecordingBot({ rateLimit: 1e9, core });
  const count = quick ? 300 : 3_000;
  for (let i = 0; i < 200; i++) await bot.handleUpdate(textUpdate(i, 1 + (i % 50), messages[i % messages.length]!));
  let started = performance.now();
  for (let i = 0; i < count; i++) await bot.handleUpdate(textUpdate(1000 + i, 1 + (i % 50), messages[i % messages.length]!));
  const updatesPerSecond = count / ((performance.now() - started) / 1000);

  const port = await freePort();
  const emulator = new TelegramServer({ port, host: "127.0.0.1", storeTimeout: 3600 });
  await emulator.start();
  const emulatorCount = quick ? 300 : 3_000;
  let emulatorUpdatesPerSecond = NaN;
  try {
    const emulatorBot = createBot("123456789:AAF_bench_token_abcdefghijklmnopqrstu", {
      core,
      logger: silentLogger,
      apiRoot: `http://127.0.0.1:${port}`,
      rateLimit: 1e9,
      botInfo: BOT_INFO,
    });
    const concurrency = 16;
    let next = 0;
    started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        while (next < emulatorCount) {
          const i = next++;
          await emulatorBot.handleUpdate(textUpdate(50_000 + i, 100 + worker, messages[i % messages.length]!));
        }
      }),
    );
    emulatorUpdatesPerSecond = emulatorCount / ((performance.now() - started) / 1000);
  } finally {
    await emulator.stop();
  }
  return { updatesPerSecond: Math.round(updatesPerSecond), emulatorUpdatesPerSecond: Math.round(emulatorUpdatesPerSecond) };
}

/** One update of the realistic mix as Telegram delivers it, from a patient in a private chat. */
function mixUpdate(updateId: number, chatId: number, update: MixUpdate) {
  const chat = { id: chatId, type: "private" as const, first_name: "P" };
  const from = { id: chatId, is_bot: false, first_name: "P" };
  if ("text" in update) {
    const entities = update.command ? [{ type: "bot_command" as const, offset: 0, length: update.text.length }] : undefined;
    return { update_id: updateId, message: { message_id: updateId, date: 0, chat, from, text: update.text, ...(entities ? { entities } : {}) } };
  }
  // A tap on a button of one of the bot's earlier messages in this chat.
  const message = { message_id: updateId, date: 0, chat, from: { id: BOT_INFO.id, is_bot: true, first_name: BOT_INFO.first_name }, text: "…", reply_markup: { inline_keyboard: update.keyboard } };
  return { update_id: updateId, callback_query: { id: `cb${updateId}`, from, chat_instance: `ci${chatId}`, data: update.data, message } };
}

/**
 * The realistic mix of bench/mix.ts through handleUpdate, on a bot as `npm start` runs it
 * without DATABASE_URL: with SQLite (votes, daily counts), no staff chat. One update at a
 * time, then 16 at a time (different chats in parallel, as the runner or a webhook would).
 * New questions are texts the bot has never seen: the project set's questions not in the
 * free-text pool, then the development sets' messages in a seeded shuffle (patients' own words
 * in many voices, with their typos, stories, emergencies and small talk), then generated ones
 * (questions about other procedures, half with a typo: made for the scaling benchmark, and
 * reached only by a run longer than the sets).
 */
/** Patients in the mixed benchmark, as in the free-text one (chats 1-50). */
const PATIENTS = 50;

async function measureMixedPipeline(core: Core, kb: KnowledgeBase, realMessages: readonly string[], patientMessages: readonly string[], pool: readonly string[]) {
  const folder = mkdtempSync(join(tmpdir(), "hourglass-bench-"));
  const database = await openDatabase({ sqlitePath: join(folder, "bot.sqlite") });
  try {
    const desk = createDesk({ store: createStore(database), retentionDays: 90, logger: silentLogger });
    const { bot } = await createRecordingBot({ rateLimit: 1e9, desk, core });
    const seen = new Set(pool);
    const fresh = [...realMessages, ...patientMessages, ...syntheticMessages(realMessages, 12_000, 23).slice(realMessages.length)].filter((text) => !seen.has(text) && (seen.add(text), true));
    const updates = mixedUpdates({ entryIds: kb.entries.map((entry) => entry.id), topicIds: kb.topics.map((topic) => topic.id), newQuestions: fresh.values() });
    const random = createRandom(5);
    let updateId = 200_000;
    const one = (update = updates.next().value!) => bot.handleUpdate(mixUpdate(updateId++, 1 + Math.floor(random() * PATIENTS), update) as never);
    const count = quick ? 300 : 3_000;
    // Every patient has voted before: the salted hash of a voter (scrypt, tens of milliseconds
    // on libuv's thread pool) is made once per patient and process, then remembered.
    const entryId = kb.entries[0]!.id;
    for (let patient = 1; patient <= PATIENTS; patient++) {
      await bot.handleUpdate(mixUpdate(updateId++, patient, { kind: "feedback", data: `+:${entryId}`, keyboard: [] }) as never);
    }
    for (let i = 0; i < 200; i++) await one();
    await desk.settled();

    // One at a time, timing new questions apart from the rest.
    const spent = { newQuestion: 0, newQuestions: 0, other: 0, others: 0 };
    let started = performance.now();
    for (let i = 0; i < count; i++) {
      const update = updates.next().value!;
      const begin = performance.now();
      await one(update);
      const ms = performance.now() - begin;
      if (update.kind === "new-question") {
        spent.newQuestion += ms;
        spent.newQuestions++;
      } else {
        spent.other += ms;
        spent.others++;
      }
    }
    await desk.settled();
    const updatesPerSecond = count / ((performance.now() - started) / 1000);
    const newQuestionMs = spent.newQuestion / spent.newQuestions;
    const otherMs = spent.other / spent.others;

    let left = count;
    started = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (left-- > 0) await one();
      }),
    );
    await desk.settled();
    const concurrentUpdatesPerSecond = count / ((performance.now() - started) / 1000);
    return {
      updatesPerSecond: Math.round(updatesPerSecond),
      concurrentUpdatesPerSecond: Math.round(concurrentUpdatesPerSecond),
      shares: mixShares(),
      newQuestionMs: round(newQuestionMs, 2),
      otherMs: round(otherMs, 2),
      // The share of new questions at which one update at a time would still reach 300/s.
      newQuestionShareFor300: round(Math.max(0, (1000 / 300 - otherMs) / (newQuestionMs - otherMs)), 3),
    };
  } finally {
    await database.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** A process's resident memory now and at its peak, in MB (NaN where /proc cannot say: not Linux, or it ended). */
function memoryOf(pid: number | undefined): { rssMb: number; peakRssMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const mb = (field: string) => round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]) / 1024, 1);
    return { rssMb: mb("VmRSS"), peakRssMb: mb("VmHWM") };
  } catch {
    return { rssMb: NaN, peakRssMb: NaN };
  }
}

function timeUntil(command: string, commandArgs: string[], env: Record<string, string>, pattern: RegExp) {
  return new Promise<{ ms: number; rssMb: number }>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, commandArgs, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        const ms = performance.now() - started;
        const { rssMb } = memoryOf(child.pid);
        child.stdout.off("data", onData);
        child.stderr.off("data", onData);
        child.kill("SIGTERM");
        resolve({ ms, rssMb });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", () => {
      if (!pattern.test(output)) reject(new Error(`${command} ${commandArgs.join(" ")} ended without ${pattern}:\n${output}`));
    });
  });
}

async function measureColdStart() {
  const runs = quick ? 2 : 7;
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const ask: number[] = [];
  for (let i = 0; i < runs; i++) {
    ask.push((await timeUntil(process.execPath, [join("dist", "cli", "ask.js"), "when will i see my final result"], {}, /\S/)).ms);
  }
  const port = await freePort();
  const emulator = new TelegramServer({ port, host: "127.0.0.1" });
  await emulator.start();
  const ready: number[] = [];
  const rss: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const result = await timeUntil(
        process.execPath,
        [...botNodeFlags(), join("dist", "main.js")],
        { BOT_TOKEN: "123456789:AAF_bench_token_abcdefghijklmnopqrstu", TELEGRAM_API_ROOT: `http://127.0.0.1:${port}`, LOG_LEVEL: "info" },
        /"event":"started"/,
      );
      ready.push(result.ms);
      rss.push(result.rssMb);
    }
  } finally {
    await emulator.stop();
  }
  return { askMs: Math.round(median(ask)), readyMs: Math.round(median(ready)), rssMb: round(median(rss), 1) };
}

/** Patients who write to the running bot in measureRunningMemory; the bot lets each send 10 messages per 10 s. */
const LOAD_PATIENTS = 200;

/** Long messages for the memory burst: a patient's message twelve times over (past the encoder's 128 tokens), each its own. */
function longMessages(questions: readonly string[], count: number): string[] {
  return questions.slice(0, count).map((text, i) => `${`${text} `.repeat(12)}(${i})`);
}

/**
 * The memory of a running bot: `npm start` (dist/main.js, polling the loopback emulator, its
 * encoder on `lanes` worker threads, the default if undefined, SQLite in a temporary folder)
 * answers `count` questions it has never seen, from many patients at once, then a further
 * `long` long ones (stories past the encoder's 128 tokens, whose every clause is embedded too);
 * its resident memory now and at its peak are read (VmRSS, VmHWM) after each burst. A bot whose
 * lane failed, or that stops, fails the measurement.
 */
async function measureRunningMemory(questions: readonly string[], count: number, long: number, lanes?: number) {
  const port = await freePort();
  const emulator = new TelegramServer({ port, host: "127.0.0.1", storeTimeout: 3600 });
  const folder = mkdtempSync(join(tmpdir(), "hourglass-bench-"));
  const token = "123456789:AAF_bench_token_abcdefghijklmnopqrstu";
  let child: ReturnType<typeof spawn> | undefined;
  try {
    await emulator.start();
    // DATABASE_URL set empty, so that a .env cannot point the burst at a real database.
    const env: NodeJS.ProcessEnv = { ...process.env, BOT_TOKEN: token, TELEGRAM_API_ROOT: `http://127.0.0.1:${port}`, LOG_LEVEL: "info", DATABASE_URL: "", SQLITE_PATH: join(folder, "bot.sqlite") };
    if (lanes === undefined) delete env.ENCODER_LANES;
    else env.ENCODER_LANES = String(lanes);
    const bot = spawn(process.execPath, [...botNodeFlags(), join("dist", "main.js")], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    child = bot;
    let output = "";
    bot.stdout!.on("data", (chunk: Buffer) => void (output += chunk.toString()));
    bot.stderr!.on("data", (chunk: Buffer) => void (output += chunk.toString()));
    const ended = () => bot.exitCode !== null || bot.signalCode !== null;
    const until = async (condition: () => boolean, what: string, timeoutMs: number) => {
      const deadline = performance.now() + timeoutMs;
      while (!condition()) {
        if (ended() || performance.now() > deadline) throw new Error(`the bot did not ${what}:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await until(() => /"event":"started"/.test(output), "start", 60_000);
    const chatIds = Array.from({ length: LOAD_PATIENTS }, (_, i) => 10_000 + i);
    const clients = chatIds.map((id) => emulator.getClient(token, { userId: id, chatId: id, firstName: "P" }));
    // Patient i % LOAD_PATIENTS sends text i of each burst. Every text gets at least one message
    // back (the bot's only limit, 10 per patient per 10 s, is not reached): the burst is
    // answered when each patient has as many messages as texts sent so far.
    const sentTo = chatIds.map(() => 0);
    const burst = async (texts: readonly string[]) => {
      const started = performance.now();
      texts.forEach((_, i) => sentTo[i % LOAD_PATIENTS]!++);
      await Promise.all(texts.map((text, i) => emulator.addUserMessage(clients[i % LOAD_PATIENTS]!.makeMessage(text))));
      const answered = () => {
        const got = new Map<string, number>();
        for (const { message } of emulator.storage.botMessages) {
          const chat = String((message as { chat_id?: number | string }).chat_id);
          got.set(chat, (got.get(chat) ?? 0) + 1);
        }
        return chatIds.every((id, i) => (got.get(String(id)) ?? 0) >= sentTo[i]!);
      };
      await until(answered, `answer ${texts.length} messages`, 300_000);
      if (/the sentence encoder's worker failed/.test(output)) throw new Error(`the bot's encoder lane failed during the burst:\n${output}`);
      return { questions: texts.length, seconds: round((performance.now() - started) / 1000, 1), ...memoryOf(bot.pid) };
    };
    const questionsBurst = await burst(questions.slice(0, count));
    const longBurst = await burst(longMessages(questions.slice(count), long));
    return { ...questionsBurst, long: longBurst };
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await emulator.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

function table(header: string[], rows: (string | number)[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => String(row[column]).length)));
  const line = (cells: (string | number)[]) => `| ${cells.map((cell, column) => String(cell).padEnd(widths[column]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

async function main() {
  const base = loadKnowledgeBase(join(ROOT, "knowledge"));
  const realMessages = loadEvalSet(PROJECT_EVAL).map((item) => item.q);
  const messages = syntheticMessages(realMessages, quick ? 150 : 400);
  // The development sets (test/eval/dev*.yaml): patients' messages in many voices, none in the
  // knowledge base, in a seeded order (one set after another would not be a stream of patients).
  const developmentSets = readdirSync(EVAL_DIR).filter((name) => /^dev(-\d+)?\.yaml$/.test(name));
  const patientMessages = shuffled(
    developmentSets.flatMap((name) => loadEvalSet(join(EVAL_DIR, name)).map((item) => item.q)),
    29,
  );

  // The pipeline as the bot runs it: with its encoder (lanes on worker threads), on the shipped
  // knowledge base; one for both pipelines, as one bot handles both kinds of traffic.
  // A lane that fails falls back to the bot's thread: the figures would no longer be the bot's.
  const onLaneFailure = (error: unknown) => {
    console.error(`The sentence encoder's worker lane failed (${String(error)}): the pipeline figures below are not the bot's.`);
    process.exitCode = 1;
  };
  const botEncoder = await loadBotEncoder({ onLaneFailure });
  const botCore = await createCoreFor(base, { encoder: botEncoder });
  const encoder = await loadUniversalSentenceEncoder();
  const engines = { encoder, model: await loadOrTrainModel(base, encoder, { progress }) };
  progress(`Scaling (${quick ? "quick" : "full"} run)...`);
  const scaling = await measureScaling(base, messages, engines);
  progress("Accuracy...");
  const accuracy = args.has("--no-accuracy") ? [] : await measureAccuracy(base, engines);
  progress("Pipeline...");
  const pipeline = await measurePipeline(botCore, messages);
  progress("Pipeline, realistic mix...");
  const mixed = await measureMixedPipeline(botCore, base, realMessages, patientMessages, messages);
  await botEncoder.close?.();
  // The same mix with one lane (ENCODER_LANES=1) and with the encoder on the bot's thread (no
  // lanes), side by side in this run.
  const oneLane = await loadBotEncoder({ onLaneFailure, lanes: 1 });
  const mixedOneLane = await measureMixedPipeline(await createCoreFor(base, { encoder: oneLane }), base, realMessages, patientMessages, messages);
  await oneLane.close?.();
  const mixedOnBotThread = await measureMixedPipeline(await createCoreFor(base, { encoder }), base, realMessages, patientMessages, messages);
  progress("Cold start...");
  const coldStart = await measureColdStart();
  progress("Memory of the running bot...");
  const loadQuestions = quick ? 300 : 1_000;
  const longQuestions = quick ? 90 : 300;
  const runningMemory = await measureRunningMemory(patientMessages, loadQuestions, longQuestions);
  const runningMemoryOneLane = await measureRunningMemory(patientMessages, loadQuestions, longQuestions, 1);

  const p99 = (engine: EngineName, entries: number) => scaling.find((row) => row.engine === engine && row.entries === entries)!.p99Ms;
  const growth = Object.fromEntries(ENGINES.map((engine) => [engine, round(p99(engine, 2000) / p99(engine, 16), 1)]));
  const speedupAt2000 = round(p99("fuse", 2000) / p99("assistant", 2000), 1);
  const machine = { cpus: `${cpus().length} × ${cpus()[0]?.model ?? "unknown"}`, memoryGb: round(totalmem() / 1024 ** 3, 0), node: process.version };

  if (json) {
    console.log(JSON.stringify({ scaling: scaling.map(({ samples: _samples, ...row }) => row), accuracy, pipeline, mixed, mixedOneLane, mixedOnBotThread, coldStart, runningMemory, runningMemoryOneLane, growth, speedupAt2000, machine }, null, 2));
  } else {
    log(`\nMachine: ${machine.cpus}, ${machine.memoryGb} GB, Node ${machine.node}${quick ? " (quick run)" : ""}\n`);
    log("Scaling: per-message latency and index heap by knowledge-base size");
    log(table(["engine", "entries", "build ms", "p50 ms", "p99 ms", "heap MB", "messages"], scaling.map((row) => [row.engine, row.entries, row.buildMs, row.p50Ms, row.p99Ms, row.heapMb, row.samples])));
    log(`\np99 growth 16 → 2,000 entries: ${ENGINES.map((engine) => `${engine} ${growth[engine]}x`).join(", ")}`);
    log(`At 2,000 entries plain Fuse.js's p99 divided by the assistant's: ${speedupAt2000} (above 1: the assistant is faster).\n`);
    log("Accuracy on the shipped knowledge base (hybrid and its ablations, then the plain baselines)");
    log(
      table(
        ["engine", "set", "accuracy", "reach", "wrong rate", "fallback", "urgent recall", "false alarms", "small talk", "n"],
        accuracy.map(({ engine, set, summary: s }) => [engine, set, s.accuracy, s.reach, s.wrongRate, s.fallbackRate, s.urgentRecall, s.falseAlarms, s.smalltalkRate, s.n]),
      ),
    );
    const percent = (share: number) => `${Math.round(share * 100)}%`;
    log(
      `Pipeline, realistic mix (bench/mix.ts: ${percent(mixed.shares.freeText)} free text, ${percent(mixed.shares.newQuestions)} of all updates a question never seen before; ${percent(mixed.shares.buttons)} button taps; ${percent(mixed.shares.commands)} commands; SQLite): ` +
        `${mixed.updatesPerSecond} updates/s through handleUpdate one at a time, ${mixed.concurrentUpdatesPerSecond} updates/s 16 at a time.`,
    );
    log(
      `  One at a time, a new question took ${mixed.newQuestionMs} ms on average (the sentence encoder), any other update ${mixed.otherMs} ms: ` +
        `300 updates/s one at a time needs new questions to be at most ${percent(mixed.newQuestionShareFor300)} of all updates.\n` +
        `  The same mix with one lane (ENCODER_LANES=1): ${mixedOneLane.updatesPerSecond} updates/s one at a time, ${mixedOneLane.concurrentUpdatesPerSecond} 16 at a time; a new question ${mixedOneLane.newQuestionMs} ms.\n` +
        `  The same mix with the encoder on the bot's thread instead of a worker lane: ${mixedOnBotThread.updatesPerSecond} updates/s one at a time, ${mixedOnBotThread.concurrentUpdatesPerSecond} 16 at a time.`,
    );
    log(`Pipeline, free text only: ${pipeline.updatesPerSecond} updates/s through handleUpdate (recording transformer), ${pipeline.emulatorUpdatesPerSecond} updates/s through the loopback emulator; Telegram allows a bot about ${TELEGRAM_CEILING} messages/s (${Math.round(pipeline.updatesPerSecond / TELEGRAM_CEILING)}x and ${Math.round(pipeline.emulatorUpdatesPerSecond / TELEGRAM_CEILING)}x that).`);
    log(`Cold start: first answer of \`ask\` after ${coldStart.askMs} ms; bot ready against the emulator after ${coldStart.readyMs} ms with ${coldStart.rssMb} MB RSS.`);
    log(
      `Running bot (\`npm start\` in polling mode against the emulator, its default encoder lanes) after answering ${runningMemory.questions} questions it had never seen from ${LOAD_PATIENTS} patients at once (${runningMemory.seconds} s): ${runningMemory.rssMb} MB RSS, ${runningMemory.peakRssMb} MB at its peak; ` +
        `with ENCODER_LANES=1 (${runningMemoryOneLane.seconds} s): ${runningMemoryOneLane.rssMb} MB, ${runningMemoryOneLane.peakRssMb} MB at its peak.\n` +
        `  Then ${runningMemory.long.questions} long messages (${runningMemory.long.seconds} s): ${runningMemory.long.rssMb} MB RSS, ${runningMemory.long.peakRssMb} MB at its peak; ` +
        `with ENCODER_LANES=1 (${runningMemoryOneLane.long.seconds} s): ${runningMemoryOneLane.long.rssMb} MB, ${runningMemoryOneLane.long.peakRssMb} MB at its peak.`,
    );
  }
  if (!quick || args.has("--chart")) {
    const chartPath = join(ROOT, "bench", "p99-by-size.svg");
    writeFileSync(chartPath, renderChart(scaling, ENGINES, SIZES));
    progress(`Chart written to ${chartPath}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
