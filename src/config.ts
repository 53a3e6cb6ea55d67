/** Where the knowledge base is, unless KNOWLEDGE_DIR (or a command's --knowledge) says otherwise. */
export const DEFAULT_KNOWLEDGE_DIR = "knowledge";

/** The bot's settings, read from the environment (and .env) and checked as a whole. */
export interface Config {
  readonly botToken: string;
  readonly mode: "polling" | "webhook";
  /** Public URL Telegram posts updates to; the server answers at its path. Webhook mode only. */
  readonly webhookUrl?: URL;
  /** Sent by Telegram in X-Telegram-Bot-Api-Secret-Token with every update. Webhook mode only. */
  readonly webhookSecret?: string;
  readonly host: string;
  readonly port: number;
  /** Bot API server root, e.g. a self-hosted telegram-bot-api; undefined means Telegram's. */
  readonly apiRoot?: string;
  readonly logLevel: LogLevel;
  readonly knowledgeDir: string;
  /** postgres://… for PostgreSQL; undefined means SQLite in `sqlitePath`. */
  readonly databaseUrl?: string;
  readonly sqlitePath: string;
  /** The clinic staff's Telegram group, where patients' questions go; undefined turns the hand-off off. */
  readonly staffChatId?: number;
  /** Tickets older than this many days are deleted. */
  readonly retentionDays: number;
  /** Polling mode: a port for /metrics and /healthz (webhook mode serves them on the webhook server). */
  readonly metricsPort?: number;
  /** Reload the knowledge base when its files change. */
  readonly knowledgeWatch: boolean;
  /** Worker threads that run the sentence encoder; undefined leaves it to loadBotEncoder (two on two cores or more). */
  readonly encoderLanes?: number;
}

/** Where the embedded database lives when DATABASE_URL is not set. */
export const DEFAULT_SQLITE_PATH = "data/bot.sqlite";

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const TOKEN_FORMAT = /^\d{5,}:[A-Za-z0-9_-]{30,}$/;
/** Each lane holds a copy of the model (about 35 MB under load). */
export const MAX_ENCODER_LANES = 4;
const SECRET_FORMAT = /^[A-Za-z0-9_-]{1,256}$/;

export const configMessages = {
  missingToken:
    "BOT_TOKEN is not set. To get one, open Telegram, talk to @BotFather, send /newbot and follow the steps; " +
    "then put the token in .env as BOT_TOKEN=... (see .env.example). " +
    "To try the bot without Telegram or a token, run: npm run chat",
  malformedToken:
    "BOT_TOKEN does not look like a bot token (digits, a colon, then about 35 letters, digits, _ or -). " +
    "Copy it again from @BotFather (send /token there). To try the bot without a token, run: npm run chat",
  badMode: (value: string) => `BOT_MODE must be "polling" or "webhook", not "${value}"`,
  missingWebhookUrl: "WEBHOOK_URL is required when BOT_MODE=webhook: the public https address Telegram should post updates to",
  badWebhookUrl: (value: string) => `WEBHOOK_URL must be a full http(s) address, not "${value}"`,
  missingSecret: "WEBHOOK_SECRET is required when BOT_MODE=webhook: 1 to 256 characters of A-Z a-z 0-9 _ -",
  badSecret: "WEBHOOK_SECRET must be 1 to 256 characters of A-Z a-z 0-9 _ - only",
  badPort: (value: string) => `PORT must be a whole number from 1 to 65535, not "${value}"`,
  badApiRoot: (value: string) => `TELEGRAM_API_ROOT must be a full http(s) address, not "${value}"`,
  badLogLevel: (value: string) => `LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, not "${value}"`,
  badDatabaseUrl: (value: string) =>
    `DATABASE_URL must be a postgres://user:password@host:5432/database address, not "${redactPassword(value)}" (unset it to use SQLite)`,
  badStaffChatId: (value: string) =>
    `STAFF_CHAT_ID must be a Telegram chat id, a whole number such as -1001234567890, not "${value}" (see README: "Ask the clinic")`,
  badRetentionDays: (value: string) => `RETENTION_DAYS must be a whole number of days from 1 to 3650, not "${value}"`,
  badMetricsPort: (value: string) => `METRICS_PORT must be a whole number from 1 to 65535, not "${value}"`,
  badKnowledgeWatch: (value: string) => `KNOWLEDGE_WATCH must be 1 (on) or 0 (off), not "${value}"`,
  badEncoderLanes: (value: string) => `ENCODER_LANES must be a whole number from 0 to ${MAX_ENCODER_LANES} (worker threads for the sentence encoder), not "${value}"`,
} as const;

/** Thrown by `loadConfig` with every problem in the configuration. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`The configuration has ${problems.length === 1 ? "a problem" : `${problems.length} problems`}:\n- ${problems.join("\n- ")}`);
  }
}

/** The address with its password replaced, safe to print. */
export function redactPassword(value: string): string {
  return value.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, "$1***@");
}

function parsePort(value: string): number | undefined {
  const port = Number(value);
  return /^\d+$/.test(value) && port >= 1 && port <= 65535 ? port : undefined;
}

function parseUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the configuration from an environment; returns it or throws one ConfigError listing every problem. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const problems: string[] = [];
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === "" ? undefined : value;
  };

  const botToken = read("BOT_TOKEN");
  if (botToken === undefined) problems.push(configMessages.missingToken);
  else if (!TOKEN_FORMAT.test(botToken)) problems.push(configMessages.malformedToken);

  const mode = read("BOT_MODE") ?? "polling";
  if (mode !== "polling" && mode !== "webhook") problems.push(configMessages.badMode(mode));

  let webhookUrl: URL | undefined;
  const rawUrl = read("WEBHOOK_URL");
  if (rawUrl !== undefined) {
    webhookUrl = parseUrl(rawUrl);
    if (!webhookUrl) problems.push(configMessages.badWebhookUrl(rawUrl));
  } else if (mode === "webhook") {
    problems.push(configMessages.missingWebhookUrl);
  }

  const webhookSecret = read("WEBHOOK_SECRET");
  if (webhookSecret !== undefined && !SECRET_FORMAT.test(webhookSecret)) problems.push(configMessages.badSecret);
  else if (webhookSecret === undefined && mode === "webhook") problems.push(configMessages.missingSecret);

  const rawPort = read("PORT") ?? "8080";
  const port = parsePort(rawPort) ?? 0;
  if (!port) problems.push(configMessages.badPort(rawPort));

  const apiRoot = read("TELEGRAM_API_ROOT");
  if (apiRoot !== undefined && !parseUrl(apiRoot)) problems.push(configMessages.badApiRoot(apiRoot));

  const logLevel = (read("LOG_LEVEL") ?? "info").toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) problems.push(configMessages.badLogLevel(logLevel));

  const databaseUrl = read("DATABASE_URL");
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/[^/]+/i.test(databaseUrl)) problems.push(configMessages.badDatabaseUrl(databaseUrl));

  const rawStaffChat = read("STAFF_CHAT_ID");
  if (rawStaffChat !== undefined && !/^-?\d{1,16}$/.test(rawStaffChat)) problems.push(configMessages.badStaffChatId(rawStaffChat));

  const rawRetention = read("RETENTION_DAYS") ?? "90";
  const retentionDays = Number(rawRetention);
  if (!/^\d+$/.test(rawRetention) || retentionDays < 1 || retentionDays > 3650) problems.push(configMessages.badRetentionDays(rawRetention));

  const rawMetricsPort = read("METRICS_PORT");
  const metricsPort = rawMetricsPort === undefined ? undefined : parsePort(rawMetricsPort);
  if (rawMetricsPort !== undefined && metricsPort === undefined) problems.push(configMessages.badMetricsPort(rawMetricsPort));

  const rawWatch = read("KNOWLEDGE_WATCH") ?? "0";
  if (rawWatch !== "0" && rawWatch !== "1") problems.push(configMessages.badKnowledgeWatch(rawWatch));

  const rawLanes = read("ENCODER_LANES");
  const encoderLanes = rawLanes === undefined ? undefined : Number(rawLanes);
  if (rawLanes !== undefined && (!/^\d+$/.test(rawLanes) || encoderLanes! > MAX_ENCODER_LANES)) problems.push(configMessages.badEncoderLanes(rawLanes));

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    botToken: botToken!,
    mode: mode as Config["mode"],
    ...(webhookUrl ? { webhookUrl } : {}),
    ...(webhookSecret ? { webhookSecret } : {}),
    host: read("HOST") ?? "0.0.0.0",
    port,
    ...(apiRoot ? { apiRoot: apiRoot.replace(/\/+$/, "") } : {}),
    logLevel: logLevel as LogLevel,
    knowledgeDir: read("KNOWLEDGE_DIR") ?? DEFAULT_KNOWLEDGE_DIR,
    ...(databaseUrl ? { databaseUrl } : {}),
    sqlitePath: read("SQLITE_PATH") ?? DEFAULT_SQLITE_PATH,
    ...(rawStaffChat ? { staffChatId: Number(rawStaffChat) } : {}),
    retentionDays,
    ...(metricsPort ? { metricsPort } : {}),
    knowledgeWatch: rawWatch === "1",
    ...(encoderLanes !== undefined ? { encoderLanes } : {}),
  });
}
