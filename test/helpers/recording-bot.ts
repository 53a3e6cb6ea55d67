import type { Update, UserFromGetMe } from "grammy/types";
import { createBot } from "../../src/bot/create-bot.js";
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
}

const USER = { id: 1001, is_bot: false, first_name: "Pat" };
const PRIVATE_CHAT = { id: 1001, type: "private" as const, first_name: "Pat" };
const GROUP_CHAT = { id: -5005, type: "supergroup" as const, title: "Patients" };

let nextUpdateId = 1;
let nextMessageId = 100;

/**
 * grammY's own testing pattern: a real bot with known botInfo, an API transformer that
 * records every outgoing call and answers it with a canned result, updates fed to handleUpdate.
 */
export async function createRecordingBot(options: { core?: Core; logger?: Logger; rateLimit?: number } = {}) {
  const core = options.core ?? (await shippedCore());
  const bot = createBot("123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz", {
    core,
    logger: options.logger ?? silentLogger,
    botInfo: BOT_INFO,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });
  const calls: ApiCall[] = [];
  bot.api.config.use(async (_prev, method, payload) => {
    calls.push({ method, payload: payload as Record<string, any> });
    const result =
      method === "sendMessage"
        ? { message_id: nextMessageId++, date: 0, chat: { id: (payload as { chat_id: number }).chat_id, type: "private" }, text: (payload as { text: string }).text }
        : true;
    return { ok: true, result } as never;
  });

  async function feed(update: Omit<Update, "update_id">): Promise<ApiCall[]> {
    const before = calls.length;
    await bot.handleUpdate({ update_id: nextUpdateId++, ...update } as Update);
    return calls.slice(before);
  }

  return {
    bot,
    core,
    calls,
    feed,
    text(text: string, chat: "private" | "group" = "private", extra: Record<string, unknown> = {}) {
      // The entities Telegram would add: a command at the start (with its @username), and mentions.
      const command = /^\/\w+(@\w+)?/.exec(text);
      const entities = [
        ...(command ? [{ type: "bot_command", offset: 0, length: command[0].length }] : []),
        ...[...text.matchAll(/(?<![\w/])@\w+/g)].map((match) => ({ type: "mention", offset: match.index!, length: match[0].length })),
      ];
      return feed({
        message: {
          message_id: nextMessageId++,
          date: 0,
          chat: chat === "private" ? PRIVATE_CHAT : GROUP_CHAT,
          from: USER,
          text,
          ...(entities.length ? { entities } : {}),
          ...extra,
        },
      } as Omit<Update, "update_id">);
    },
    message(content: Record<string, unknown>, chat: "private" | "group" = "private") {
      return feed({
        message: { message_id: nextMessageId++, date: 0, chat: chat === "private" ? PRIVATE_CHAT : GROUP_CHAT, from: USER, ...content },
      } as Omit<Update, "update_id">);
    },
    press(data: string) {
      return feed({
        callback_query: {
          id: `cb${nextUpdateId}`,
          from: USER,
          chat_instance: "ci",
          data,
          message: { message_id: 5, date: 0, chat: PRIVATE_CHAT, text: "old message" },
        },
      } as Omit<Update, "update_id">);
    },
    inline(query: string) {
      return feed({ inline_query: { id: `iq${nextUpdateId}`, from: USER, query, offset: "" } } as Omit<Update, "update_id">);
    },
  };
}

/** The inline keyboard of a sendMessage call, as [label, callback data or url] rows. */
export function buttonsOf(call: ApiCall | undefined): [string, string][] {
  const keyboard = call?.payload.reply_markup?.inline_keyboard as { text: string; callback_data?: string; url?: string }[][] | undefined;
  return (keyboard ?? []).map(([button]) => [button!.text, button!.callback_data ?? button!.url ?? ""]);
}
