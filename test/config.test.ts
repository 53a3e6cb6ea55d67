import { describe, expect, it } from "vitest";
import { ConfigError, configMessages, loadConfig } from "../src/config.js";

const TOKEN = "123456789:AAF_valid_looking_token_abcdefghijklm";

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("loadConfig", () => {
  it("needs only a token, and defaults the rest to long polling", () => {
    expect(loadConfig({ BOT_TOKEN: TOKEN })).toEqual({
      botToken: TOKEN,
      mode: "polling",
      host: "0.0.0.0",
      port: 8080,
      logLevel: "info",
      knowledgeDir: "knowledge",
      sqlitePath: "data/bot.sqlite",
      retentionDays: 90,
      knowledgeWatch: false,
    });
  });

  it("reads the storage, hand-off and operations settings, and names every bad one at once", () => {
    expect(
      loadConfig({ BOT_TOKEN: TOKEN, DATABASE_URL: "postgres://bot:pw@db:5432/bot", STAFF_CHAT_ID: "-1001234567890", RETENTION_DAYS: "30", METRICS_PORT: "9100", KNOWLEDGE_WATCH: "1", ENCODER_LANES: "2" }),
    ).toMatchObject({ databaseUrl: "postgres://bot:pw@db:5432/bot", staffChatId: -1001234567890, retentionDays: 30, metricsPort: 9100, knowledgeWatch: true, encoderLanes: 2 });
    expect(loadConfig({ BOT_TOKEN: TOKEN, ENCODER_LANES: "0" }).encoderLanes).toBe(0);
    const problems = problemsOf({ BOT_TOKEN: TOKEN, DATABASE_URL: "mysql://bot:hunter2@db/bot", STAFF_CHAT_ID: "staff", RETENTION_DAYS: "0", METRICS_PORT: "70000", KNOWLEDGE_WATCH: "yes", ENCODER_LANES: "5" });
    expect(problems).toEqual([
      configMessages.badDatabaseUrl("mysql://bot:hunter2@db/bot"),
      configMessages.badStaffChatId("staff"),
      configMessages.badRetentionDays("0"),
      configMessages.badMetricsPort("70000"),
      configMessages.badKnowledgeWatch("yes"),
      configMessages.badEncoderLanes("5"),
    ]);
    expect(problemsOf({ BOT_TOKEN: TOKEN, ENCODER_LANES: "two" })).toEqual([configMessages.badEncoderLanes("two")]);
    expect(problems.join("\n")).not.toContain("hunter2");
  });

  it("explains how to get a token, and how to try the bot without one, when it is missing", () => {
    expect(problemsOf({})).toEqual([configMessages.missingToken]);
    expect(configMessages.missingToken).toContain("@BotFather");
    expect(configMessages.missingToken).toContain("npm run chat");
    expect(problemsOf({ BOT_TOKEN: "   " })).toEqual([configMessages.missingToken]);
  });

  it("rejects a malformed token", () => {
    expect(problemsOf({ BOT_TOKEN: "not-a-token" })).toEqual([configMessages.malformedToken]);
  });

  it("requires a URL and a valid secret in webhook mode, and lists every problem at once", () => {
    expect(problemsOf({ BOT_TOKEN: TOKEN, BOT_MODE: "webhook" })).toEqual([configMessages.missingWebhookUrl, configMessages.missingSecret]);
    expect(problemsOf({ BOT_MODE: "webhook", WEBHOOK_URL: "nope", WEBHOOK_SECRET: "has spaces!", PORT: "99999", LOG_LEVEL: "loud" })).toEqual([
      configMessages.missingToken,
      configMessages.badWebhookUrl("nope"),
      configMessages.badSecret,
      configMessages.badPort("99999"),
      configMessages.badLogLevel("loud"),
    ]);
    expect(problemsOf({ BOT_TOKEN: TOKEN, BOT_MODE: "push" })).toEqual([configMessages.badMode("push")]);
    expect(problemsOf({ BOT_TOKEN: TOKEN, WEBHOOK_SECRET: "x".repeat(257) })).toEqual([configMessages.badSecret]);
  });

  it("reads a complete webhook configuration with a self-hosted API root", () => {
    const config = loadConfig({
      BOT_TOKEN: TOKEN,
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://bot.example.org/tg/hook",
      WEBHOOK_SECRET: "Secret_123-abc",
      HOST: "127.0.0.1",
      PORT: "3000",
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081/",
      LOG_LEVEL: "WARN",
      KNOWLEDGE_DIR: "/srv/kb",
    });
    expect(config).toMatchObject({ mode: "webhook", webhookSecret: "Secret_123-abc", host: "127.0.0.1", port: 3000, apiRoot: "http://127.0.0.1:8081", logLevel: "warn", knowledgeDir: "/srv/kb" });
    expect(config.webhookUrl?.pathname).toBe("/tg/hook");
  });
});
