import type { InlineKeyboardButton } from "grammy/types";
import type { OutgoingMessage } from "../render/message.js";
import type { BotContext } from "./context.js";
import { toTelegramMessages } from "./telegram-message.js";

/** Send options that show a message as a reply to another (sent anyway if that one is gone). */
export function quoting(messageId: number) {
  return { reply_parameters: { message_id: messageId, allow_sending_without_reply: true } };
}

export interface SendOptions {
  /** Rows of Telegram-only buttons under the message (feedback, "Ask the clinic"). */
  readonly extraRows?: readonly InlineKeyboardButton[][];
  /** Quote the patient's message even in a private chat (a fallback the hand-off reads back). */
  readonly quoteMessage?: boolean;
}

/**
 * Sends a message, split if it is long, as a reply to the user's message in groups.
 * Resolves with the ids of the messages sent.
 */
export async function send(ctx: BotContext, message: OutgoingMessage, options: SendOptions = {}): Promise<number[]> {
  const quote = ctx.message && (ctx.chat?.type !== "private" || options.quoteMessage);
  const replyTo = quote ? quoting(ctx.message!.message_id) : {};
  const parts = toTelegramMessages(message);
  const sent: number[] = [];
  for (const [index, part] of parts.entries()) {
    const last = index === parts.length - 1;
    const keyboard = [...(part.keyboard ?? []), ...(last ? (options.extraRows ?? []) : [])];
    const result = await ctx.reply(part.text, {
      entities: part.entities,
      link_preview_options: { is_disabled: true },
      ...(keyboard.length > 0 ? { reply_markup: { inline_keyboard: keyboard } } : {}),
      ...replyTo,
    });
    sent.push(result.message_id);
  }
  return sent;
}
