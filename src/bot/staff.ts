import { Composer } from "grammy";
import type { Logger } from "../logger.js";
import { buildReport, formatReport } from "../reporting/report.js";
import type { BotContext } from "./context.js";
import { UNAVAILABLE, type Desk } from "./desk.js";
import type { Handoff } from "./handoff.js";
import { quoting } from "./send.js";
import { TELEGRAM_TEXT_LIMIT, truncateGraphemes } from "./telegram-message.js";
import { STAFF_COMMANDS, staffTexts } from "./texts.js";

const LISTED_TICKETS = 20;
const QUESTION_PREVIEW = 80;
const STATS_DAYS = 7;

export interface StaffOptions {
  /** /reload: reloads the knowledge base and resolves with the outcome to show. */
  readonly reload?: () => Promise<string>;
  readonly logger?: Logger;
}

/**
 * The staff group: its commands, and replies to tickets. Nothing here answers patients' FAQ
 * questions, and nothing from any other chat reaches it.
 */
export function staffChat(desk: Desk & { staffChatId: number }, handoff: Handoff, options: StaffOptions = {}): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const staff = composer.filter((ctx) => ctx.chat?.id === desk.staffChatId);

  staff.on("message", async (ctx) => {
    const command = commandOf(ctx);
    if (command === undefined) return handoff.staffReply(ctx);
    if (command === null) return;
    ctx.outcome = { kind: `staff:${command}` };
    const reply = (text: string) => ctx.reply(text, quoting(ctx.message.message_id));
    switch (command) {
      case "tickets": {
        const open = await desk.attempt((store) => store.openTickets(LISTED_TICKETS));
        if (open === UNAVAILABLE) return reply(staffTexts.unavailable);
        if (open.length === 0) return reply(staffTexts.noOpenTickets);
        const now = desk.now().getTime();
        const lines = open.map((ticket) => {
          const hours = Math.round((now - Date.parse(ticket.createdAt)) / 3_600_000);
          const question = ticket.question.length > QUESTION_PREVIEW ? `${truncateGraphemes(ticket.question, QUESTION_PREVIEW)}…` : ticket.question;
          return `#${ticket.id} · ${ticket.firstName} · ${hours < 1 ? "<1" : hours} h ago · ${question.replace(/\s+/g, " ")}`;
        });
        return reply(truncateGraphemes([staffTexts.openTickets(open.length), ...lines].join("\n"), TELEGRAM_TEXT_LIMIT));
      }
      case "stats": {
        const report = await desk.attempt((store) => buildReport(store, { days: STATS_DAYS, now: desk.now() }));
        if (report === UNAVAILABLE) return reply(staffTexts.unavailable);
        const text = formatReport(report, { top: 5 });
        return ctx.reply(text, {
          entities: [{ type: "pre", offset: 0, length: text.length }],
          ...quoting(ctx.message.message_id),
        });
      }
      case "reload": {
        if (!options.reload) return;
        // A reload may retrain for a minute: answer now, and report when done, without holding
        // up the staff chat's other updates (answers to patients) meanwhile.
        await reply(staffTexts.reloading);
        const messageId = ctx.message.message_id;
        void options
          .reload()
          .then((outcome) =>
            ctx.api.sendMessage(desk.staffChatId, truncateGraphemes(outcome, TELEGRAM_TEXT_LIMIT), {
              ...quoting(messageId),
            }),
          )
          .catch((error: unknown) => options.logger?.warn("could not report a reload to the staff chat", { error: error instanceof Error ? error.message : String(error) }));
        return;
      }
      default:
        return reply(staffTexts.help);
    }
  });
  // Buttons in the staff chat (none are sent there) and everything else: ignored.
  staff.use(() => undefined);
  return composer;
}

/** The staff command a message starts with; null for a command that is not (addressed to) this bot's; undefined for no command. */
function commandOf(ctx: BotContext): (typeof STAFF_COMMANDS)[number] | null | undefined {
  const message = ctx.message;
  const entity = message?.entities?.find((candidate) => candidate.type === "bot_command" && candidate.offset === 0);
  if (!message?.text || !entity) return undefined;
  const [name = "", addressee] = message.text.slice(1, entity.length).toLowerCase().split("@");
  if (addressee !== undefined && addressee !== ctx.me.username.toLowerCase()) return null;
  return (STAFF_COMMANDS as readonly string[]).includes(name) ? (name as (typeof STAFF_COMMANDS)[number]) : null;
}
