import type { Update, UserFromGetMe } from "grammy/types";
import { createBot } from "../../src/bot/create-bot.js";
import type { Desk } from "../../src/bot/desk.js";
import type { Metrics } from "../../src/metrics/metrics.js";
import { silentLogger, type Logger } from "../../src/logger.js";
import type { Core } from "../../src/session.js";
import { shippedCore } from "./engine.js";

export const BOT_INFO: UserFromGetMe = {
  id: 42,
  is_bot: true,
  first_name: "Hip FAQ",
  username: "HipFaqBot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
} as UserFromGetMe;

export interface ApiCall {
  readonly method: string;
  readonly payload: Record<string, any>;
  /** What the recording API answered. */
  result?: any;
}

const USER = { id: 1001, is_bot: false, first_name: "Pat" };
const PRIVATE_CHAT = { id: 1001, type: "private" as const, first_name: "Pat" };
const GROUP_CHAT = { id: -5005, type: "supergroup" as const, title: "Patients" };
export const STAFF_CHAT_ID = -7007;
const STAFF_CHAT = { id: STAFF_CHAT_ID, type: "supergroup" as const, title: "Clinic staff" };
const STAFF_USER = { id: 9001, is_bot: false, first_name: "Nurse Kim" };
const CHATS = { private: PRIVATE_CHAT, group: GROUP_CHAT, staff: STAFF_CHAT } as const;
export type ChatName = keyof typeof CHATS;

/** A message as the bot sent or received it, kept so that buttons and replies can point back at it. */
interface KnownMessage {
  message_id: number;
  date: number;
  chat: { id: number; type: string };
  from?: { id: number; is_bot: boolean; first_name: string };
  text?: string;
  entities?: unknown[];
  reply_markup?: unknown;
  reply_to_message?: KnownMessage;
}

/** An error the recording API answers one method with (for one chat, or any), as Telegram would. */
interface InjectedFailure {
  method: string;
  chatId?: number;
  error_code: number;
  description: string;
}

let nextUpdateId = 1;
let nextMessageId = 100;

/**
 * grammY's own testing pattern: a real bot with known botInfo, an API transformer that
 * records every outgoing call and answers it with a canned result, updates fed to handleUpdate.
 */
export async function createRecordingBot(
  options: {
    core?: Core | (() => Core);
    logger?: Logger;
    rateLimit?: number;
    desk?: Desk;
    reload?: () => Promise<string>;
    metrics?: Metrics;
    /** The time messages are dated with (Telegram's `date`); by default 0. */
    clock?: () => Date;
  } = {},
) {
  const core = options.core ?? (await shippedCore());
  const bot = createBot("123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz", {
    core,
    logger: options.logger ?? silentLogger,
    botInfo: BOT_INFO,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    ...(options.desk ? { desk: options.desk } : {}),
    ...(options.reload ? { reload: options.reload } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  const calls: ApiCall[] = [];
  const known = new Map<number, KnownMessage>();
  const failures: InjectedFailure[] = [];
  const dateNow = () => (options.clock ? Math.floor(options.clock().getTime() / 1000) : 0);
  const chatOf = (id: number) => Object.values(CHATS).find((chat) => chat.id === id) ?? { id, type: "private" };
  bot.api.config.use(async (_prev, method, raw) => {
    const payload = raw as Record<string, any>;
    const call: ApiCall = { method, payload };
    calls.push(call);
    const failure = failures.find((candidate) => candidate.method === method && (candidate.chatId === undefined || candidate.chatId === payload.chat_id));
    if (failure) return { ok: false, error_code: failure.error_code, description: failure.description } as never;
    let result: unknown = true;
    if (method === "sendMessage") {
      const replyTo = payload.reply_parameters ? known.get(payload.reply_parameters.message_id) : undefined;
      const message: KnownMessage = {
        message_id: nextMessageId++,
        date: dateNow(),
        chat: chatOf(payload.chat_id),
        from: { id: BOT_INFO.id, is_bot: true, first_name: BOT_INFO.first_name },
        text: payload.text,
        ...(payload.entities ? { entities: payload.entities } : {}),
        ...(payload.reply_markup ? { reply_markup: payload.reply_markup } : {}),
        ...(replyTo ? { reply_to_message: { ...replyTo, reply_to_message: undefined } } : {}),
      };
      known.set(message.message_id, message);
      result = message;
    } else if (method === "editMessageText") {
      const message = known.get(payload.message_id);
      if (message) {
        message.text = payload.text;
        delete message.entities;
        delete message.reply_markup;
        if (payload.reply_markup) message.reply_markup = payload.reply_markup;
      }
      result = message ?? true;
    } else if (method === "editMessageReplyMarkup") {
      const message = known.get(payload.message_id);
      if (message) message.reply_markup = payload.reply_markup;
      result = message ?? true;
    }
    call.result = result;
    return { ok: true, result } as never;
  });

  async function feed(update: Omit<Update, "update_id">): Promise<ApiCall[]> {
    const before = calls.length;
    await bot.handleUpdate({ update_id: nextUpdateId++, ...update } as Update);
    return calls.slice(before);
  }

  /** A message from a person; kept so that the bot's replies can quote it. */
  function incoming(chat: ChatName, content: Record<string, unknown>): KnownMessage {
    const message = { message_id: nextMessageId++, date: dateNow(), chat: CHATS[chat], from: chat === "staff" ? STAFF_USER : USER, ...content } as KnownMessage;
    known.set(message.message_id, message);
    return message;
  }

  return {
    bot,
    core: typeof core === "function" ? core() : core,
    calls,
    feed,
    /** The message with this id, as the bot last left it (edits applied). */
    messageById: (id: number) => known.get(id),
    /** Makes the API answer `method` with a Telegram error from now on (for one chat, or any). */
    failWith(failure: InjectedFailure) {
      failures.push(failure);
    },
    clearFailures() {
      failures.length = 0;
    },
    /** A text message that replies to one of the bot's messages, from the patient or a staff member. */
    replyTo(messageId: number, text: string, chat: ChatName = "private") {
      const original = known.get(messageId);
      if (!original) throw new Error(`no message ${messageId}`);
      return feed({ message: incoming(chat, { text, reply_to_message: original }) } as Omit<Update, "update_id">);
    },
    text(text: string, chat: ChatName = "private", extra: Record<string, unknown> = {}) {
      // The entities Telegram would add: a command at the start (with its @username), and mentions.
      const command = /^\/\w+(@\w+)?/.exec(text);
      const entities = [
        ...(command ? [{ type: "bot_command", offset: 0, length: command[0].length }] : []),
        ...[...text.matchAll(/(?<![\w/])@\w+/g)].map((match) => ({ type: "mention", offset: match.index!, length: match[0].length })),
      ];
      return feed({ message: incoming(chat, { text, ...(entities.length ? { entities } : {}), ...extra }) } as Omit<Update, "update_id">);
    },
    message(content: Record<string, unknown>, chat: ChatName = "private") {
      return feed({ message: incoming(chat, content) } as Omit<Update, "update_id">);
    },
    /** Presses a button: on the bot's message with this id, or on an old message the bot no longer knows. */
    press(data: string, onMessageId?: number) {
      const message = onMessageId === undefined ? { message_id: 5, date: 0, chat: PRIVATE_CHAT, text: "old message" } : known.get(onMessageId);
      if (!message) throw new Error(`no message ${onMessageId}`);
      return feed({
        callback_query: { id: `cb${nextUpdateId}`, from: USER, chat_instance: "ci", data, message: structuredClone(message) },
      } as Omit<Update, "update_id">);
    },
    inline(query: string) {
      return feed({ inline_query: { id: `iq${nextUpdateId}`, from: USER, query, offset: "" } } as Omit<Update, "update_id">);
    },
  };
}

/** The inline keyboard of a sendMessage call, as [label, callback data or url] pairs, row after row. */
export function buttonsOf(call: ApiCall | undefined): [string, string][] {
  const keyboard = call?.payload.reply_markup?.inline_keyboard as { text: string; callback_data?: string; url?: string }[][] | undefined;
  return (keyboard ?? []).flat().map((button) => [button.text, button.callback_data ?? button.url ?? ""]);
}

/** The id the recording API gave the message a sendMessage call sent. */
export function sentId(calls: readonly ApiCall[], index = 0): number {
  const call = calls.filter((candidate) => candidate.method === "sendMessage")[index];
  if (!call) throw new Error(`no sendMessage #${index} in ${calls.map((candidate) => candidate.method).join(", ")}`);
  return call.result.message_id as number;
}
