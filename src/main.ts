import { autoRetry } from "@grammyjs/auto-retry";
import { run } from "@grammyjs/runner";
import dotenv from "dotenv";
import { ALLOWED_UPDATES, createBot, telegramCommands } from "./bot/create-bot.js";
import { createDesk } from "./bot/desk.js";
import { createUpdateTracker } from "./bot/update-tracker.js";
import { connectToBotApi, explainApiError, StartupError } from "./bot/startup.js";
import { createWebhookServer } from "./bot/webhook-server.js";
import { printStartupError } from "./cli/common.js";
import { loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { createPrometheusMetrics, observeApiErrors } from "./metrics/metrics.js";
import { createMetricsServer } from "./metrics/server.js";
import { describeReload } from "./reload/reloader.js";
import { startLiveCore } from "./reload/live-core.js";
import { DatabaseUnavailableError, openDatabase } from "./storage/database.js";
import { startRetention } from "./storage/retention.js";
import { createStore } from "./storage/store.js";

/** How long a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 15_000;

/** `npm start`: the Telegram bot, by long polling or webhook as configured. */
async function main(): Promise<number> {
  dotenv.config({ quiet: true });
  let config;
  let live;
  let logger;
  let database;
  const metrics = createPrometheusMetrics();
  try {
    config = loadConfig(process.env);
    logger = createLogger(config.logLevel);
    live = await startLiveCore({ knowledgeDir: config.knowledgeDir, watch: config.knowledgeWatch, logger, metrics, ...(config.encoderLanes !== undefined ? { encoderLanes: config.encoderLanes } : {}) });
    database = await openDatabase({ url: config.databaseUrl, sqlitePath: config.sqlitePath });
  } catch (error) {
    live?.stop();
    if (error instanceof DatabaseUnavailableError) {
      console.error(error.message);
      return 1;
    }
    if (printStartupError(error)) return 1;
    throw error;
  }
  const db = database;
  const { reloader } = live;
  const store = createStore(db);
  const desk = createDesk({ store, staffChatId: config.staffChatId, retentionDays: config.retentionDays, logger });
  const stopRetention = startRetention(store, { days: config.retentionDays, logger });

  const tracker = createUpdateTracker();
  const bot = createBot(config.botToken, {
    core: () => reloader.current(),
    reload: async () => describeReload(await reloader.reload("/reload")),
    logger,
    tracker,
    desk,
    metrics,
    ...(config.apiRoot ? { apiRoot: config.apiRoot } : {}),
  });
  try {
    await connectToBotApi(bot, config.apiRoot ?? "https://api.telegram.org", logger);
  } catch (error) {
    live.stop();
    stopRetention();
    await db.close();
    if (!(error instanceof StartupError)) throw error;
    console.error(error.message);
    return 1;
  }
  if (config.staffChatId === undefined) {
    logger.warn("STAFF_CHAT_ID is not set: \"Ask the clinic\" is off (see README, \"Ask the clinic\")");
  } else {
    // A wrong id, or a group the bot is not in, shows now rather than at the first patient's question.
    await bot.api.getChat(config.staffChatId).catch((error: unknown) =>
      logger.warn("the bot cannot see STAFF_CHAT_ID; add it to the staff group (patients will get the clinic's contact until then)", {
        staffChatId: config.staffChatId,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  }
  // 429s wait for retry_after; 5xx and network errors retry a few times, then fail the one request.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));
  observeApiErrors(bot.api, metrics);
  bot.api
    .setMyCommands(telegramCommands(true))
    .catch((error: unknown) => logger.warn("setMyCommands failed; the command menu may be out of date", { error: String(error) }));

  let stop: () => Promise<void>;
  let started: Record<string, unknown>;
  if (config.mode === "polling") {
    await bot.api.deleteWebhook();
    // Silent: the runner's own reporting prints stack traces; a fatal error is reported below.
    const runner = run(bot, { runner: { fetch: { allowed_updates: ALLOWED_UPDATES }, silent: true } });
    // A fatal polling error (a revoked token, a second instance) stops the process with a reason
    // and a non-zero exit, so that a supervisor restarts it.
    void runner.task()?.catch((error: unknown) => {
      live.stop();
      console.error(explainApiError(error) ?? `Polling stopped: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
    // Metrics, when asked for, on a port of their own (nothing else listens in polling mode).
    const metricsServer = config.metricsPort ? createMetricsServer(metrics) : undefined;
    if (metricsServer) {
      await new Promise<void>((resolve, reject) => {
        metricsServer.once("error", reject);
        metricsServer.listen(config.metricsPort, config.host, resolve);
      });
    }
    // The runner stops fetching at once; updates it already handed out are finished first.
    stop = async () => {
      await runner.stop();
      await tracker.idle();
      metricsServer?.close();
    };
    started = { mode: "polling", bot: bot.botInfo.username, database: db.dialect, ...(config.metricsPort ? { metricsPort: config.metricsPort } : {}), pid: process.pid };
  } else {
    const url = config.webhookUrl!;
    const webhook = createWebhookServer(bot, { path: url.pathname, secret: config.webhookSecret!, logger, metrics });
    await new Promise<void>((resolve, reject) => {
      webhook.server.once("error", reject);
      webhook.server.listen(config.port, config.host, resolve);
    });
    await bot.api.setWebhook(url.href, { secret_token: config.webhookSecret!, allowed_updates: ALLOWED_UPDATES });
    stop = async () => {
      await webhook.close();
      await tracker.idle();
    };
    started = { mode: "webhook", bot: bot.botInfo.username, port: config.port, path: url.pathname, database: db.dialect, pid: process.pid };
  }

  const finished = new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info("stopping", { signal });
      // No reload or training may outlive the bot.
      live.stop();
      setTimeout(() => {
        logger.error("shutdown took too long; exiting");
        resolve(1);
      }, SHUTDOWN_DEADLINE_MS).unref();
      stop()
        .then(async () => {
          stopRetention();
          await desk.settled();
          await db.close();
          // Last: the updates stop() waited for may have needed the encoder.
          await live.close();
        })
        .then(
          () => {
            logger.info("stopped");
            resolve(0);
          },
          (error: unknown) => {
            logger.error("shutdown failed", { error: String(error) });
            resolve(1);
          },
        );
    };
    process.once("SIGINT", () => shutdown("SIGINT"));
    process.once("SIGTERM", () => shutdown("SIGTERM"));
  });
  // Only now, with the signal handlers in place: a supervisor that stops the bot as soon as it
  // reads this line must find them installed (without them a SIGTERM kills the process outright).
  logger.info("started", started);
  return finished;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // An expected failure is one line; the stack trace only at LOG_LEVEL=debug.
    const detail = process.env.LOG_LEVEL === "debug" && error instanceof Error ? error.stack : undefined;
    console.error(explainApiError(error) ?? detail ?? (error instanceof Error ? error.message : String(error)));
    process.exit(1);
  },
);
