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
}

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const TOKEN_FORMAT = /^\d{5,}:[A-Za-z0-9_-]{30,}$/;
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
} as const;

/** Thrown by `loadConfig` with every problem in the configuration. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`The configuration has ${problems.length === 1 ? "a problem" : `${problems.length} problems`}:\n- ${problems.join("\n- ")}`);
  }
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
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port < 1 || port > 65535) problems.push(configMessages.badPort(rawPort));

  const apiRoot = read("TELEGRAM_API_ROOT");
  if (apiRoot !== undefined && !parseUrl(apiRoot)) problems.push(configMessages.badApiRoot(apiRoot));

  const logLevel = (read("LOG_LEVEL") ?? "info").toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) problems.push(configMessages.badLogLevel(logLevel));

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
    knowledgeDir: read("KNOWLEDGE_DIR") ?? "knowledge",
  });
}
