import type { InlineKeyboardButton, MessageEntity } from "grammy/types";
import type { InAppAction, OutgoingMessage } from "../render/message.js";

/** Telegram's limit for one message's text, in UTF-16 code units. */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** Telegram's limit for callback data, in bytes. */
export const CALLBACK_DATA_LIMIT = 64;

/** A message as Telegram receives it: text, bold as entities (no parse mode, so nothing to escape), buttons. */
export interface TelegramMessage {
  readonly text: string;
  readonly entities: MessageEntity[];
  readonly keyboard?: InlineKeyboardButton[][];
}

const PREFIX = { entry: "e:", choice: "c:", topic: "t:" } as const;

/** Callback data for a button: a short prefix plus the id, always within 64 bytes (ids are checked at load). */
export function packAction(action: InAppAction): string {
  switch (action.type) {
    case "entry":
      return (action.choice ? PREFIX.choice : PREFIX.entry) + action.id;
    case "topic":
      return PREFIX.topic + action.id;
    case "topics":
      return "topics";
    case "surgeon":
      return "surgeon";
  }
}

/** The action behind callback data, or undefined for data this bot does not (or no longer) understand. */
export function unpackAction(data: string): InAppAction | undefined {
  if (data.startsWith(PREFIX.entry) && data.length > PREFIX.entry.length) return { type: "entry", id: data.slice(PREFIX.entry.length) };
  if (data.startsWith(PREFIX.choice) && data.length > PREFIX.choice.length) return { type: "entry", id: data.slice(PREFIX.choice.length), choice: true };
  if (data.startsWith(PREFIX.topic) && data.length > PREFIX.topic.length) return { type: "topic", id: data.slice(PREFIX.topic.length) };
  if (data === "topics") return { type: "topics" };
  if (data === "surgeon") return { type: "surgeon" };
  return undefined;
}

function keyboardOf(message: OutgoingMessage): InlineKeyboardButton[][] | undefined {
  if (message.buttons.length === 0) return undefined;
  return message.buttons.map((button) => [
    button.action.type === "url"
      ? { text: button.label, url: button.action.url }
      : { text: button.label, callback_data: packAction(button.action) },
  ]);
}

/**
 * Renders a message for Telegram, split into parts of at most 4,096 characters (at a line
 * break where possible). Bold ranges become entities, clipped to their part; buttons go
 * on the last part.
 */
export function toTelegramMessages(message: OutgoingMessage, limit = TELEGRAM_TEXT_LIMIT): TelegramMessage[] {
  const parts: { start: number; end: number }[] = [];
  let start = 0;
  while (message.text.length - start > limit) {
    // Cut at a line break in the second half of the window, else at a space, else anywhere.
    const half = start + limit / 2;
    let end = message.text.lastIndexOf("\n", start + limit);
    if (end <= half) end = message.text.lastIndexOf(" ", start + limit);
    if (end <= half) end = start + limit;
    // Never cut a surrogate pair (an emoji) in half.
    if (/[\uD800-\uDBFF]/.test(message.text.charAt(end - 1))) end--;
    parts.push({ start, end });
    start = end;
    while (start < message.text.length && /\s/.test(message.text.charAt(start))) start++;
  }
  parts.push({ start, end: message.text.length });

  return parts.map(({ start: from, end: to }, index) => {
    const entities: MessageEntity[] = [];
    for (const range of message.bold) {
      const offset = Math.max(range.offset, from);
      const end = Math.min(range.offset + range.length, to);
      if (end > offset) entities.push({ type: "bold", offset: offset - from, length: end - offset });
    }
    const keyboard = index === parts.length - 1 ? keyboardOf(message) : undefined;
    return { text: message.text.slice(from, to), entities, ...(keyboard ? { keyboard } : {}) };
  });
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** The text cut to at most `max` characters (UTF-16 units) without splitting an emoji or accented letter. */
export function truncateGraphemes(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}
