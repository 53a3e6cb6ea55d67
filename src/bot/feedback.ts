import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { BotContext } from "./context.js";
import { UNAVAILABLE, type Desk } from "./desk.js";
import { feedbackTexts } from "./texts.js";

const HELPFUL = "+:";
const NOT_HELPFUL = "-:";
/** Marks the vote the patient gave, on the button itself. */
const CHOSEN = " ✓";

/** "Was this helpful?" under an answer: one row, two buttons. */
export function feedbackRow(entryId: string): InlineKeyboardButton[] {
  return [
    { text: feedbackTexts.helpful, callback_data: HELPFUL + entryId },
    { text: feedbackTexts.notHelpful, callback_data: NOT_HELPFUL + entryId },
  ];
}

/** Votes on answers: one per user and entry, changeable; stored without text, the user only as a salted hash. */
export function feedback(desk: Desk): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on("callback_query:data", async (ctx, next) => {
    const data = ctx.callbackQuery.data;
    const helpful = data.startsWith(HELPFUL) ? true : data.startsWith(NOT_HELPFUL) ? false : undefined;
    if (helpful === undefined) return next();
    const entryId = data.slice(HELPFUL.length);
    ctx.outcome = { kind: helpful ? "feedback:helpful" : "feedback:not-helpful", entryId };
    if (!ctx.core.assistant.entry(entryId)) {
      ctx.outcome = { kind: "stale-button" };
      await ctx.answerCallbackQuery({ text: ctx.core.presenter.staleButton().text });
      return;
    }
    const saved = await desk.attempt((store) => store.vote(ctx.from.id, entryId, helpful, desk.now()));
    if (saved === UNAVAILABLE) {
      await ctx.answerCallbackQuery({ text: feedbackTexts.unavailable });
      return;
    }
    await ctx.answerCallbackQuery({ text: feedbackTexts.thanks });
    // Show which way the patient voted; a failed edit (the message is too old) changes nothing stored.
    // Only in a private chat: in a group the mark would show everyone how one member voted.
    const keyboard = ctx.chat?.type === "private" ? ctx.callbackQuery.message?.reply_markup?.inline_keyboard : undefined;
    if (keyboard) {
      const marked = keyboard.map((row) =>
        row.map((button) => {
          if (!("callback_data" in button) || (button.callback_data !== HELPFUL + entryId && button.callback_data !== NOT_HELPFUL + entryId)) return button;
          const label = button.callback_data.startsWith(HELPFUL) ? feedbackTexts.helpful : feedbackTexts.notHelpful;
          return { ...button, text: label + ((button.callback_data === data) ? CHOSEN : "") };
        }),
      );
      await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: marked } }).catch(() => undefined);
    }
  });
  return composer;
}
