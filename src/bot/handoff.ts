import { Composer, GrammyError } from "grammy";
import type { InlineKeyboardButton, Message, MessageEntity } from "grammy/types";
import type { Logger } from "../logger.js";
import { describe } from "../storage/database.js";
import type { Ticket } from "../storage/store.js";
import type { BotContext } from "./context.js";
import { UNAVAILABLE, type Desk } from "./desk.js";
import { quoting, send } from "./send.js";
import { toTelegramMessages } from "./telegram-message.js";
import { handoffTexts, staffTexts } from "./texts.js";

/** Callback data of the hand-off's buttons. */
export const HANDOFF_DATA = {
  /** "Ask the clinic" under the surgeon's contact: the bot asks for the question first. */
  ask: "ask",
  /** "Ask the clinic" under a fallback: the question is the patient's message the fallback quotes. */
  askQuoted: "ask:q",
  send: "tk:send",
  cancel: "tk:cancel",
} as const;

/** The longest question passed on: the preview and the staff message add their own lines. */
export const MAX_QUESTION_LENGTH = 3500;
/** How long the bot keeps waiting for the question after "Ask the clinic"; later, a message is an FAQ question again. */
export const QUESTION_WAIT_MS = 30 * 60_000;

/** The heading of the bot's own messages about a ticket in the staff group: number and first name. */
const TICKET_HEADING = /^(?:🎫 Question #(\d+) from (.*)|↩️ Question #(\d+): (.*) wrote again:)$/mu;

export const askRow = (data: string): InlineKeyboardButton[] => [{ text: handoffTexts.askButton, callback_data: data }];

/**
 * "Ask the clinic": the patient's question goes to the staff group only after they confirm a
 * preview, and the staff's reply comes back. Nothing is kept before the confirmation: the
 * question lives in the preview message itself, read back from it on Send. State between two
 * updates (the wait for a question, an open preview, which message belongs to which ticket)
 * is in the database, so any instance can handle any update.
 */
export function createHandoff(desk: Desk & { staffChatId: number }, logger: Logger) {
  const staffChat = desk.staffChatId;

  /**
   * Tells the patient the clinic's inbox cannot take the question and gives the clinic's
   * contact instead. A preview the patient was looking at turns into the notice (its buttons
   * gone, so that nothing suggests it was sent).
   */
  async function unavailable(ctx: BotContext, options: { kind?: string; preview?: { chatId: number; messageId: number } } = {}) {
    ctx.outcome = { kind: options.kind ?? "handoff:unavailable" };
    const { preview } = options;
    if (preview) await ctx.api.editMessageText(preview.chatId, preview.messageId, handoffTexts.unavailable).catch(() => ctx.reply(handoffTexts.unavailable));
    else await ctx.reply(handoffTexts.unavailable);
    await send(ctx, ctx.core.presenter.surgeon());
  }

  /** The preview a button was pressed on. */
  const pressedPreview = (ctx: BotContext) => ({ chatId: ctx.chat!.id, messageId: ctx.callbackQuery!.message!.message_id });

  async function askForQuestion(ctx: BotContext) {
    const chatId = String(ctx.chat!.id);
    if ((await desk.attempt((store) => store.awaitQuestion(chatId, desk.now()))) === UNAVAILABLE) return unavailable(ctx);
    ctx.outcome = { kind: "handoff:ask" };
    await ctx.reply(handoffTexts.askForQuestion);
  }

  async function preview(ctx: BotContext, question: string) {
    if (question.length > MAX_QUESTION_LENGTH) {
      ctx.outcome = { kind: "handoff:too-long" };
      await ctx.reply(handoffTexts.tooLong(MAX_QUESTION_LENGTH));
      return;
    }
    const firstName = ctx.from?.first_name ?? "";
    const before = `${handoffTexts.previewHeading}\n\n`;
    const text = `${before}${question}\n\n${handoffTexts.previewFrom(firstName)}\n\n${handoffTexts.previewConsent}`;
    const entities: MessageEntity[] = [{ type: "blockquote", offset: before.length, length: question.length }];
    const sent = await ctx.reply(text, {
      entities,
      reply_markup: {
        inline_keyboard: [[{ text: handoffTexts.sendButton, callback_data: HANDOFF_DATA.send }], [{ text: handoffTexts.cancelButton, callback_data: HANDOFF_DATA.cancel }]],
      },
    });
    ctx.outcome = { kind: "handoff:preview" };
    if ((await desk.attempt((store) => store.addDraft(String(ctx.chat!.id), sent.message_id, desk.now()))) === UNAVAILABLE) {
      await unavailable(ctx, { preview: { chatId: sent.chat.id, messageId: sent.message_id } });
    }
  }

  /** The question as the preview shows it: the text of its quote. */
  function questionOf(message: Message | undefined): string | undefined {
    const quote = message?.entities?.find((entity) => entity.type === "blockquote");
    return quote && message?.text ? message.text.slice(quote.offset, quote.offset + quote.length) : undefined;
  }

  async function confirm(ctx: BotContext) {
    const message = ctx.callbackQuery?.message;
    const question = questionOf(message && "text" in message ? (message as Message) : undefined);
    const chatId = String(ctx.chat!.id);
    const taken = await desk.attempt((store) => store.takeDraft(chatId, message!.message_id));
    if (taken === UNAVAILABLE) {
      await ctx.answerCallbackQuery();
      return unavailable(ctx);
    }
    if (!taken || question === undefined) {
      ctx.outcome = { kind: "handoff:closed-draft" };
      await ctx.answerCallbackQuery({ text: taken ? handoffTexts.draftUnreadable : handoffTexts.draftClosed });
      return;
    }
    // Answered now: posting to the staff group can wait on Telegram's rate limit longer than a
    // button press may stay unanswered.
    await ctx.answerCallbackQuery();
    const firstName = ctx.from!.first_name;
    const ticket = await desk.attempt((store) => store.createTicket({ patientChatId: chatId, firstName, question }, desk.now()));
    if (ticket === UNAVAILABLE) return unavailable(ctx, { preview: pressedPreview(ctx) });
    let staffMessage: Message.TextMessage;
    try {
      staffMessage = await postToStaff(ctx, staffTexts.ticket(ticket, firstName), question, staffTexts.ticketFooter(firstName));
    } catch (error) {
      // The bot was removed from the staff group, or the group is gone: nothing was delivered,
      // so nothing is kept, and the patient gets the clinic's contact instead.
      await desk.attempt((store) => store.deleteTicket(ticket));
      logger.error("cannot post to the staff chat; the patient was given the clinic's contact", { staffChatId: staffChat, error: describe(error) });
      return unavailable(ctx, { kind: "handoff:staff-unreachable", preview: pressedPreview(ctx) });
    }
    // Should this fail, a staff reply still finds the ticket by the number in its message.
    await desk.attempt(async (store) => {
      await store.setStaffMessage(ticket, staffMessage.message_id);
      await store.linkMessage(ticket, String(staffChat), staffMessage.message_id);
    });
    ctx.outcome = { kind: "handoff:sent" };
    await ctx.editMessageText(handoffTexts.sent(ticket)).catch(() => ctx.reply(handoffTexts.sent(ticket)));
  }

  async function cancelPreview(ctx: BotContext) {
    const message = ctx.callbackQuery!.message!;
    const taken = await desk.attempt((store) => store.takeDraft(String(ctx.chat!.id), message.message_id));
    ctx.outcome = { kind: "handoff:cancelled" };
    await ctx.answerCallbackQuery(taken === false ? { text: handoffTexts.draftClosed } : {});
    if (taken !== false) await ctx.editMessageText(handoffTexts.cancelled).catch(() => undefined);
  }

  /** A message to the staff group: a bold heading, the patient's words as a quote, a footer. */
  async function postToStaff(ctx: BotContext, heading: string, body: string, footer?: string, replyTo?: number | null) {
    const head = `${heading}\n\n`;
    const text = `${head}${body}${footer ? `\n\n${footer}` : ""}`;
    return ctx.api.sendMessage(staffChat, text, {
      entities: [
        { type: "bold", offset: 0, length: heading.length },
        { type: "blockquote", offset: head.length, length: body.length },
      ],
      ...(replyTo ? quoting(replyTo) : {}),
    });
  }

  /** A patient's reply to the clinic's answer goes to the same ticket in the staff group. */
  async function followUp(ctx: BotContext, ticket: Ticket, text: string) {
    if (text.length > MAX_QUESTION_LENGTH) {
      await ctx.reply(handoffTexts.tooLong(MAX_QUESTION_LENGTH));
      return;
    }
    let posted: Message.TextMessage;
    try {
      posted = await postToStaff(ctx, staffTexts.followUp(ticket.id, ticket.firstName), text, staffTexts.ticketFooter(ticket.firstName), ticket.staffMessageId);
    } catch (error) {
      logger.error("cannot post to the staff chat; the patient was given the clinic's contact", { staffChatId: staffChat, error: describe(error) });
      return unavailable(ctx, { kind: "handoff:staff-unreachable" });
    }
    await desk.attempt(async (store) => {
      await store.linkMessage(ticket.id, String(staffChat), posted.message_id);
      await store.setTicketStatus(ticket.id, "open", desk.now());
    });
    ctx.outcome = { kind: "handoff:follow-up" };
    await ctx.reply(handoffTexts.followUpSent(ticket.id), quoting(ctx.message!.message_id));
  }

  /** A staff member's reply to a ticket goes to the patient, marked as the clinic team's (in parts, if long). */
  async function deliver(ctx: BotContext, ticket: Ticket) {
    const staffMessage = ctx.message!;
    const answer = staffMessage.text;
    const confirmHere = (text: string) => ctx.reply(text, quoting(staffMessage.message_id));
    if (answer === undefined) {
      ctx.outcome = { kind: "staff:not-text" };
      await confirmHere(staffTexts.textOnly);
      return;
    }
    const heading = handoffTexts.answerHeading(ticket.id);
    const parts = toTelegramMessages({ text: `${heading}\n\n${answer}\n\n${handoffTexts.answerFooter}`, bold: [{ offset: 0, length: heading.length }], buttons: [] });
    let delivered = 0;
    try {
      for (const part of parts) {
        const sent = await ctx.api.sendMessage(Number(ticket.patientChatId), part.text, { entities: part.entities });
        delivered++;
        // Linked at once: whatever reached the patient can be replied to.
        await desk.attempt((store) => store.linkMessage(ticket.id, ticket.patientChatId, sent.message_id));
      }
    } catch (error) {
      if (delivered === 0 && isUnreachableChat(error)) {
        await desk.attempt((store) => store.setTicketStatus(ticket.id, "undeliverable", desk.now()));
        ctx.outcome = { kind: "staff:undeliverable" };
        await confirmHere(staffTexts.undeliverable(ticket.id, ticket.firstName));
        return;
      }
      if (delivered === 0) throw error;
      // Part of a long answer went out: say so rather than leave the staff guessing.
      logger.error("a staff answer was delivered in part", { ticket: ticket.id, error: describe(error) });
      ctx.outcome = { kind: "staff:partly-delivered" };
      await confirmHere(staffTexts.partlyDelivered(ticket.id, ticket.firstName, delivered, parts.length));
      return;
    }
    await desk.attempt(async (store) => {
      await store.linkMessage(ticket.id, String(staffChat), staffMessage.message_id);
      await store.setTicketStatus(ticket.id, "answered", desk.now());
    });
    ctx.outcome = { kind: "staff:answered" };
    await confirmHere(staffTexts.delivered(ticket.id, ticket.firstName));
  }

  /**
   * Private chats: a question awaited after "Ask the clinic", or a reply to the clinic's answer.
   * An emergency in either has had its urgent-care reply already (see urgentFirst).
   */
  const patientMessages = new Composer<BotContext>();
  const waitStart = () => new Date(desk.now().getTime() - QUESTION_WAIT_MS);
  patientMessages.chatType("private").on("message:text", async (ctx, next) => {
    if (ctx.message.entities?.some((entity) => entity.type === "bot_command" && entity.offset === 0)) return next();
    const chatId = String(ctx.chat.id);
    const repliedTo = ctx.message.reply_to_message;
    let handled = false;
    if (repliedTo && repliedTo.from?.id === ctx.me.id) {
      const ticket = await desk.attempt((store) => store.ticketOfMessage(chatId, repliedTo.message_id));
      if (ticket !== UNAVAILABLE && ticket !== undefined) {
        await followUp(ctx, ticket, ctx.message.text);
        handled = true;
      }
    }
    if (!handled && (await desk.attempt((store) => store.takeAwaitedQuestion(chatId, waitStart()))) === true) {
      await preview(ctx, ctx.message.text);
      handled = true;
    }
    if (!handled) return next();
    if (ctx.urgentSent) ctx.outcome = { kind: "urgent" };
  });
  // Anything but text while the bot waits for a question: say what it needs, and keep waiting.
  patientMessages.chatType("private").on("message", async (ctx, next) => {
    if (ctx.message.text !== undefined) return next();
    const waiting = await desk.attempt((store) => store.isAwaitingQuestion(String(ctx.chat.id), waitStart()));
    if (waiting !== true) return next();
    if (!ctx.urgentSent) ctx.outcome = { kind: "handoff:not-text" };
    await ctx.reply(handoffTexts.notText);
  });

  const buttons = new Composer<BotContext>();
  buttons.callbackQuery([HANDOFF_DATA.ask, HANDOFF_DATA.askQuoted, HANDOFF_DATA.send, HANDOFF_DATA.cancel], async (ctx) => {
    if (ctx.chat?.type !== "private") {
      ctx.outcome = { kind: "handoff:not-private" };
      await ctx.answerCallbackQuery({ text: handoffTexts.privateOnly, show_alert: true });
      return;
    }
    switch (ctx.callbackQuery.data) {
      case HANDOFF_DATA.send:
        return confirm(ctx);
      case HANDOFF_DATA.cancel:
        return cancelPreview(ctx);
      case HANDOFF_DATA.askQuoted: {
        await ctx.answerCallbackQuery();
        const original = ctx.callbackQuery.message && "reply_to_message" in ctx.callbackQuery.message ? ctx.callbackQuery.message.reply_to_message : undefined;
        const quoted = original?.text ?? original?.caption;
        return quoted ? preview(ctx, quoted) : askForQuestion(ctx);
      }
      default:
        await ctx.answerCallbackQuery();
        return askForQuestion(ctx);
    }
  });

  async function cancelCommand(ctx: BotContext) {
    const chatId = String(ctx.chat!.id);
    const cancelled = await desk.attempt((store) => store.cancelDrafts(chatId));
    ctx.outcome = { kind: "command:cancel" };
    if (cancelled === UNAVAILABLE) return unavailable(ctx);
    for (const messageId of cancelled.draftMessageIds) {
      await ctx.api.editMessageText(ctx.chat!.id, messageId, handoffTexts.cancelled).catch(() => undefined);
    }
    await ctx.reply(cancelled.awaited || cancelled.draftMessageIds.length > 0 ? handoffTexts.cancelled : handoffTexts.nothingToCancel);
  }

  /** A reply in the staff chat: to a ticket's message, it is an answer for the patient. */
  async function staffReply(ctx: BotContext) {
    const repliedTo = ctx.message?.reply_to_message;
    if (!repliedTo || repliedTo.from?.id !== ctx.me.id) return;
    const heading = TICKET_HEADING.exec(repliedTo.text ?? "");
    const number = heading ? Number(heading[1] ?? heading[3]) : undefined;
    const ticket = await desk.attempt(async (store) => {
      const linked = await store.ticketOfMessage(String(staffChat), repliedTo.message_id);
      if (linked || number === undefined) return linked;
      // The link was lost: the number in the heading finds the ticket, but only the very one
      // (same first name, opened before the message) so that an old message can never reach
      // another patient after the numbering started again (a new database).
      const byNumber = await store.ticket(number);
      const sameName = byNumber?.firstName === (heading![2] ?? heading![4]);
      const openedBefore = byNumber !== undefined && Date.parse(byNumber.createdAt) <= repliedTo.date * 1000 + 60_000;
      return sameName && openedBefore ? byNumber : undefined;
    });
    const answer = (text: string) => ctx.reply(text, quoting(ctx.message!.message_id));
    if (ticket === UNAVAILABLE) return answer(staffTexts.unavailable);
    if (ticket) return deliver(ctx, ticket);
    ctx.outcome = { kind: "staff:not-a-ticket" };
    // A reply to one of the bot's question messages whose ticket is gone, or to any other bot message.
    await answer(number !== undefined ? staffTexts.unknownTicket : staffTexts.notATicket);
  }

  return { patientMessages, buttons, cancelCommand, staffReply };
}

export type Handoff = ReturnType<typeof createHandoff>;

/** The patient blocked the bot, deleted their account, or the chat is otherwise gone for good. */
function isUnreachableChat(error: unknown): boolean {
  return error instanceof GrammyError && (error.error_code === 403 || (error.error_code === 400 && /chat not found|user is deactivated/i.test(error.description)));
}
