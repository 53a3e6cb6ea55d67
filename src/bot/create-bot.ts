import { sequentialize } from "@grammyjs/runner";
import { Bot, Composer, type BotError } from "grammy";
import type { InlineKeyboardButton, InlineQueryResultArticle, UserFromGetMe } from "grammy/types";
import type { Reply } from "../assistant.js";
import type { Logger } from "../logger.js";
import { noMetrics, type Metrics } from "../metrics/metrics.js";
import type { InAppAction, OutgoingMessage } from "../render/message.js";
import { actionMessage, commandMessage, COMMANDS, replyToCommand, type Core } from "../session.js";
import { fallbackReasonOf, type BotContext, type Outcome } from "./context.js";
import { countersOf } from "./daily-counts.js";
import type { Desk } from "./desk.js";
import { feedback, feedbackRow } from "./feedback.js";
import { askRow, createHandoff, HANDOFF_DATA, type Handoff } from "./handoff.js";
import { privacy } from "./privacy.js";
import { createRateLimiter } from "./rate-limit.js";
import { send } from "./send.js";
import { staffChat } from "./staff.js";
import { toTelegramMessages, truncateGraphemes, unpackAction } from "./telegram-message.js";
import { TELEGRAM_COMMANDS } from "./texts.js";
import type { UpdateTracker } from "./update-tracker.js";

export type { BotContext } from "./context.js";

export interface BotDependencies {
  /** The engine to answer with: a function, so that a reload can swap it between two updates. */
  readonly core: Core | (() => Core);
  readonly logger: Logger;
  /** Known bot info skips the getMe call (tests). */
  readonly botInfo?: UserFromGetMe;
  /** Bot API server root, for a self-hosted server or a local emulator. */
  readonly apiRoot?: string;
  /** Messages a user may send per `rateLimitWindowMs` before being told once to slow down. */
  readonly rateLimit?: number;
  readonly rateLimitWindowMs?: number;
  /** Sees every update first, so a shutdown can wait for those in flight. */
  readonly tracker?: UpdateTracker;
  /** Storage-backed features (feedback, statistics, privacy; the hand-off when it has a staff chat). */
  readonly desk?: Desk;
  /** /reload in the staff chat. */
  readonly reload?: () => Promise<string>;
  readonly metrics?: Metrics;
}

/** Every command the Telegram bot understands, for its menu and the group gate. */
export function telegramCommands(withStorage: boolean): { command: string; description: string }[] {
  return [...COMMANDS, ...(withStorage ? TELEGRAM_COMMANDS : [])].map(({ command, description }) => ({ command, description }));
}

/**
 * The help as the terminal shows it, plus the commands only this bot has (privacy, forget,
 * cancel) when it stores anything: the help text of texts.yaml is shared with the terminal.
 */
function withTelegramCommands(help: OutgoingMessage, withStorage: boolean): OutgoingMessage {
  if (!withStorage) return help;
  const lines = TELEGRAM_COMMANDS.map(({ command, description }) => `/${command} – ${description.charAt(0).toLowerCase()}${description.slice(1)}`);
  return { ...help, text: `${help.text}\n${lines.join("\n")}` };
}

/** Updates the bot asks Telegram for: edited messages and the rest are never even delivered. */
export const ALLOWED_UPDATES = ["message", "callback_query", "inline_query"] as const;

const INLINE_RESULTS = 5;
/** Telegram shows about this much of an inline result's description. */
const INLINE_DESCRIPTION_LENGTH = 120;
const INLINE_CACHE_SECONDS = 300;

/** Builds the bot: the same core as the terminal chat, rendered for Telegram. Does no network I/O. */
export function createBot(token: string, deps: BotDependencies): Bot<BotContext> {
  const { logger, desk } = deps;
  const metrics = deps.metrics ?? noMetrics;
  const currentCore = typeof deps.core === "function" ? deps.core : () => deps.core as Core;
  const handoff: Handoff | undefined =
    desk?.staffChatId !== undefined ? createHandoff(desk as Desk & { staffChatId: number }, logger) : undefined;
  const commandNames = new Set(telegramCommands(desk !== undefined).map(({ command }) => command));
  const bot = new Bot<BotContext>(token, {
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
    ...(deps.apiRoot ? { client: { apiRoot: deps.apiRoot } } : {}),
  });

  if (deps.tracker) bot.use(deps.tracker.middleware);
  bot.use((ctx, next) => {
    ctx.core = currentCore();
    return next();
  });
  // Updates of one chat are handled one after another, in order; different chats run in parallel.
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));

  bot.use(async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const kind = ctx.outcome?.kind ?? "ignored";
      const fallbackReason = fallbackReasonOf(ctx.outcome);
      metrics.update({
        type: Object.keys(ctx.update).find((key) => key !== "update_id") ?? "unknown",
        kind: fallbackReason === undefined ? kind : "fallback",
        entryId: ctx.outcome?.entryId,
        fallbackReason,
        seconds,
      });
      const counters = countersOf(ctx.outcome);
      // Not awaited: a slow database must not hold up this chat's next update.
      if (desk && counters.length > 0 && ctx.chat?.id !== desk.staffChatId) desk.background((store) => store.count(desk.now(), counters));
      logger.info("update", {
        updateId: ctx.update.update_id,
        chatType: ctx.chat?.type ?? (ctx.inlineQuery ? "inline" : undefined),
        kind,
        entryId: ctx.outcome?.entryId,
        confidence: ctx.outcome?.confidence,
        ms: Math.round(seconds * 10_000) / 10,
      });
    }
  });

  const logFailure = (error: BotError<BotContext>) => {
    logger.error("update failed", {
      updateId: error.ctx.update.update_id,
      error: error.error instanceof Error ? `${error.error.name}: ${error.error.message}` : String(error.error),
    });
  };
  // Everything below runs inside an error boundary: one failing update is logged and dropped,
  // and the bot goes on with the next, in polling and webhook mode alike.
  const features = bot.errorBoundary(logFailure);
  if (handoff) features.use(staffChat(desk as Desk & { staffChatId: number }, handoff, { logger, ...(deps.reload ? { reload: deps.reload } : {}) }));
  // An emergency is answered before the rate limiter can refuse the message.
  features.use(groupGate(), urgentFirst());
  const limiter = createRateLimiter({ limit: deps.rateLimit ?? 10, windowMs: deps.rateLimitWindowMs ?? 10_000 });
  features.use(async (ctx, next) => {
    const user = ctx.inlineQuery ? undefined : ctx.from?.id;
    if (user === undefined || ctx.urgentSent) return next();
    const { allowed, firstRefusal } = limiter.hit(String(user));
    if (allowed) return next();
    ctx.outcome = { kind: "rate-limited" };
    // Every button press is answered, or its spinner would hang; a message only once a window.
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.core.presenter.slowDown().text });
    else if (firstRefusal && ctx.chat) await send(ctx, ctx.core.presenter.slowDown());
  });

  if (desk) features.use(privacy(desk));
  if (handoff) {
    features.command("cancel", (ctx) => handoff.cancelCommand(ctx));
    features.use(handoff.patientMessages, handoff.buttons);
  } else if (desk) {
    features.command("cancel", async (ctx) => {
      ctx.outcome = { kind: "command:cancel" };
      await ctx.reply("There is nothing to cancel.");
    });
  }
  if (desk) features.use(feedback(desk));
  features.use(commands(), buttons(), inlineMode(), questions(), nonText());
  bot.catch(logFailure);

  return bot;

  /** Telegram-only buttons: 👍/👎 under an answer; "Ask the clinic" under the surgeon's contact in private chats. */
  function extrasFor(ctx: BotContext, action: InAppAction | undefined): { extraRows?: InlineKeyboardButton[][] } {
    if (action?.type === "entry" && desk && ctx.core.assistant.entry(action.id)) return { extraRows: [feedbackRow(action.id)] };
    if (action?.type === "surgeon" && handoff && ctx.chat?.type === "private") return { extraRows: [askRow(HANDOFF_DATA.ask)] };
    return {};
  }

  /**
   * In groups, only this bot's own commands (bare, or addressed to it by its exact username),
   * mentions of exactly its username and replies to its messages are for the bot.
   */
  function groupGate() {
    const composer = new Composer<BotContext>();
    composer.on("message", async (ctx, next) => {
      if (ctx.chat.type === "private") return next();
      const text = ctx.message.text ?? ctx.message.caption ?? "";
      const entities = ctx.message.entities ?? ctx.message.caption_entities ?? [];
      const me = ctx.me.username.toLowerCase();
      const command = entities.find((entity) => entity.type === "bot_command" && entity.offset === 0);
      if (command) {
        const [name = "", addressee] = text.slice(1, command.length).toLowerCase().split("@");
        if ((addressee === undefined || addressee === me) && commandNames.has(name)) return next();
        return;
      }
      const mentionsBot = entities.some(
        (entity) => entity.type === "mention" && text.slice(entity.offset, entity.offset + entity.length).toLowerCase() === `@${me}`,
      );
      const repliesToBot = ctx.message.reply_to_message?.from?.id === ctx.me.id;
      if (mentionsBot || repliesToBot) return next();
    });
    return composer;
  }

  function commands() {
    const composer = new Composer<BotContext>();
    for (const { command } of COMMANDS) {
      composer.command(command, async (ctx) => {
        const payload = command === "start" ? ctx.match.trim() : "";
        const entry = payload ? ctx.core.assistant.entry(payload) : undefined;
        ctx.outcome = entry ? { kind: "deep-link", entryId: entry.id } : { kind: `command:${command}` };
        const message = commandMessage(ctx.core.presenter, command, payload);
        await send(ctx, command === "help" ? withTelegramCommands(message, desk !== undefined) : message, extrasFor(ctx, command === "surgeon" ? { type: "surgeon" } : entry ? { type: "entry", id: entry.id } : undefined));
      });
    }
    // Any other command in a private chat gets the same reply as in the terminal chat: the help.
    composer.chatType("private").on("message:entities:bot_command", async (ctx, next) => {
      const entity = ctx.message.entities.find((candidate) => candidate.type === "bot_command" && candidate.offset === 0);
      if (!entity) return next();
      const name = ctx.message.text.slice(1, entity.length).split("@")[0]!;
      ctx.outcome = { kind: "command:unknown" };
      await send(ctx, withTelegramCommands(replyToCommand(ctx.core.presenter, name), desk !== undefined));
    });
    return composer;
  }

  function buttons() {
    const composer = new Composer<BotContext>();
    composer.on("callback_query:data", async (ctx) => {
      const { assistant, presenter } = ctx.core;
      const action = unpackAction(ctx.callbackQuery.data);
      const known =
        action !== undefined &&
        (action.type === "entry" ? assistant.entry(action.id) : action.type === "topic" ? assistant.topic(action.id) : true);
      if (!action || !known) {
        // Buttons of an old keyboard can outlive the entry they pointed to: say so, never leave a spinner.
        ctx.outcome = { kind: "stale-button" };
        await ctx.answerCallbackQuery({ text: presenter.staleButton().text });
        return;
      }
      ctx.outcome =
        action.type === "entry"
          ? { kind: action.choice ? "clarify-choice" : "button:entry", entryId: action.id }
          : { kind: `button:${action.type}` };
      if (!ctx.chat) {
        // A button under an inline-mode message: there is no chat to send to, so the answer
        // comes as an alert on the button itself (Telegram shows up to 200 characters).
        await ctx.answerCallbackQuery({ text: truncateGraphemes(actionMessage(presenter, action).text, 200), show_alert: true });
        return;
      }
      await ctx.answerCallbackQuery();
      await send(ctx, actionMessage(presenter, action), extrasFor(ctx, action));
    });
    composer.on("callback_query", async (ctx) => {
      ctx.outcome = { kind: "stale-button" };
      await ctx.answerCallbackQuery({ text: ctx.core.presenter.staleButton().text });
    });
    return composer;
  }

  function inlineMode() {
    const composer = new Composer<BotContext>();
    composer.on("inline_query", async (ctx) => {
      const { assistant, presenter } = ctx.core;
      const query = ctx.inlineQuery.query;
      const reply = query.trim() ? await assistant.reply(query) : undefined;
      const results: InlineQueryResultArticle[] =
        reply?.kind === "urgent"
          ? [article("urgent", presenter.reply(reply), "⚠️", presenter.reply(reply).text)]
          : assistant.search(query, INLINE_RESULTS).map((entry) => {
              const message = presenter.entry(entry.id)!;
              return article(entry.id, message, entry.title, truncateGraphemes(message.text, INLINE_DESCRIPTION_LENGTH));
            });
      ctx.outcome = { kind: reply?.kind === "urgent" ? "inline:urgent" : "inline", ...(results[0] ? { entryId: results[0].id } : {}) };
      await ctx.answerInlineQuery(results, { cache_time: INLINE_CACHE_SECONDS });
    });
    return composer;
  }

  function article(id: string, message: OutgoingMessage, title: string, description: string): InlineQueryResultArticle {
    const [first] = toTelegramMessages(message);
    return {
      type: "article",
      id,
      title,
      description,
      input_message_content: { message_text: first!.text, entities: first!.entities, link_preview_options: { is_disabled: true } },
    };
  }

  /** The patient's words: the text, or a photo's caption; in groups without the bot's @username. */
  function wordsOf(ctx: BotContext): string | undefined {
    const words = ctx.message?.text ?? ctx.message?.caption;
    if (words === undefined || ctx.chat?.type === "private") return words;
    return words.replace(new RegExp(`@${ctx.me.username}`, "gi"), " ");
  }

  /**
   * Every message with words is read by the engine first, once. An emergency gets the
   * urgent-care reply at once, before the hand-off or anything else looks at the database.
   */
  function urgentFirst() {
    const composer = new Composer<BotContext>();
    composer.on(["message:text", "message:caption"], async (ctx, next) => {
      const entities = ctx.message.entities ?? ctx.message.caption_entities ?? [];
      if (entities.some((entity) => entity.type === "bot_command" && entity.offset === 0)) return next();
      const reply = await ctx.core.assistant.reply(wordsOf(ctx)!);
      ctx.decided = reply;
      if (reply.kind === "urgent") {
        ctx.outcome = outcomeOf(reply);
        await send(ctx, ctx.core.presenter.reply(reply));
        ctx.urgentSent = true;
      }
      return next();
    });
    return composer;
  }

  function questions() {
    const composer = new Composer<BotContext>();
    composer.on(["message:text", "message:caption"], async (ctx) => {
      if (ctx.urgentSent) return;
      const reply = ctx.decided ?? (await ctx.core.assistant.reply(wordsOf(ctx)!));
      ctx.outcome = outcomeOf(reply);
      const offerClinic = handoff !== undefined && ctx.chat.type === "private" && reply.kind === "fallback" && reply.reason !== "empty";
      await send(ctx, ctx.core.presenter.reply(reply), {
        ...(reply.kind === "answer" && desk ? { extraRows: [feedbackRow(reply.entry.id)] } : {}),
        // The hand-off reads the question back from the message the fallback quotes.
        ...(offerClinic ? { extraRows: [askRow(HANDOFF_DATA.askQuoted)], quoteMessage: true } : {}),
      });
    });
    return composer;
  }

  function nonText() {
    const composer = new Composer<BotContext>();
    composer.on("message", async (ctx) => {
      ctx.outcome = { kind: "non-text" };
      await send(ctx, ctx.core.presenter.nonText());
    });
    return composer;
  }
}

function outcomeOf(reply: Reply): Outcome {
  switch (reply.kind) {
    case "answer":
      return { kind: "answer", entryId: reply.entry.id, confidence: reply.confidence };
    case "clarify":
      return { kind: "clarify", confidence: reply.confidence };
    case "fallback":
      return { kind: `fallback:${reply.reason}`, ...(reply.notCovered ? { notCovered: reply.notCovered } : {}) };
    default:
      return { kind: reply.kind };
  }
}
