import { Composer } from "grammy";
import { parseEmphasis } from "../render/message.js";
import type { BotContext } from "./context.js";
import { UNAVAILABLE, type Desk } from "./desk.js";
import { send } from "./send.js";
import { privacyTexts } from "./texts.js";

/** /privacy says what is kept and why; /forget deletes everything tied to the patient. */
export function privacy(desk: Desk): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("privacy", async (ctx) => {
    ctx.outcome = { kind: "command:privacy" };
    await send(ctx, { ...parseEmphasis(privacyTexts.privacy(desk.retentionDays, desk.staffChatId !== undefined)), buttons: [] });
  });
  composer.command("forget", async (ctx) => {
    ctx.outcome = { kind: "command:forget" };
    if (!ctx.from) return;
    // In a group, even "deleted 1 question to the clinic" would tell the group too much.
    if (ctx.chat.type !== "private") {
      await send(ctx, { text: privacyTexts.privateOnly, bold: [], buttons: [] });
      return;
    }
    // In a private chat the chat is the patient; tickets are only ever opened from one.
    const forgotten = await desk.attempt((store) => store.forget(String(ctx.from!.id), ctx.from!.id));
    await ctx.reply(forgotten === UNAVAILABLE ? privacyTexts.unavailable : privacyTexts.forgotten(forgotten.tickets, forgotten.votes));
  });
  return composer;
}
