import { GrammyError, HttpError, type Bot } from "grammy";
import type { Logger } from "../logger.js";
import type { BotContext } from "./create-bot.js";

/** A start-up failure with a message for the operator: printed as it is, without a stack trace. */
export class StartupError extends Error {}

/** Seconds to wait before each new attempt to reach the Bot API. */
const RETRY_DELAYS_S = [0.5, 1, 2, 4];

const TOKEN_REFUSED =
  "Telegram refused the bot token (401 Unauthorized): it is wrong or was revoked. Get a new one from @BotFather (/token), put it in BOT_TOKEN in .env, and start again.";
const CONFLICT =
  "Telegram answered 409 Conflict: another instance of this bot is polling with the same token, or a webhook is set. Stop the other instance (or use BOT_MODE=webhook everywhere), then start again.";

/** What an error from the Bot API means for the operator, when it is one they must act on. */
export function explainApiError(error: unknown): string | undefined {
  if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)) return TOKEN_REFUSED;
  if (error instanceof GrammyError && error.error_code === 409) return CONFLICT;
  return undefined;
}

/**
 * Asks the Bot API who the bot is (getMe), a few times with growing pauses, saying each
 * failure on one line; a refused token ends at once. Throws a StartupError after the last try.
 */
export async function connectToBotApi(bot: Bot<BotContext>, apiRoot: string, logger: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      // getMe itself, not bot.init(): init retries a network failure forever, silently.
      bot.botInfo = await bot.api.getMe();
      return;
    } catch (error) {
      const explained = explainApiError(error);
      if (explained) throw new StartupError(explained);
      const reason = error instanceof HttpError ? String(error.error) : error instanceof Error ? error.message : String(error);
      const delay = RETRY_DELAYS_S[attempt - 1];
      logger.warn("cannot reach the Bot API", { apiRoot, attempt, of: RETRY_DELAYS_S.length + 1, error: reason });
      if (delay === undefined) {
        throw new StartupError(`Gave up reaching the Bot API at ${apiRoot} after ${attempt} attempts (${reason}). Check the network, or TELEGRAM_API_ROOT.`);
      }
      await new Promise((resolve) => setTimeout(resolve, delay * 1000));
    }
  }
}
