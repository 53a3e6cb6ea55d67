/**
 * Wording of the Telegram-only features (hand-off, feedback, privacy, staff commands). The
 * knowledge base holds the clinic's own texts; these describe what this program does, so they
 * live with it.
 */
export const handoffTexts = {
  askButton: "📨 Ask the clinic",
  askForQuestion:
    "Write your question for the clinic's team in one message. I will show it to you before anything is sent. Send /cancel to stop.",
  previewHeading: "This is what I will send to the clinic's team:",
  previewFrom: (firstName: string) => `From: ${firstName}`,
  previewConsent:
    "Nothing is stored or sent until you press Send. Your question, your first name and this chat are then kept so that the answer can reach you; /privacy says for how long.",
  sendButton: "✅ Send to the clinic",
  cancelButton: "✖️ Cancel",
  sent: (ticket: number) => `✅ Sent to the clinic's team as question #${ticket}. Their answer will arrive in this chat.`,
  cancelled: "Cancelled. Nothing was sent or stored.",
  nothingToCancel: "There is nothing to cancel.",
  draftClosed: "This question was already sent or cancelled.",
  draftUnreadable: "I can no longer read this draft. Please write your question again.",
  tooLong: (limit: number) => `That is longer than I can pass on in one message (${limit} characters at most). Please shorten it and send it again.`,
  notText: "Only text can be passed on to the clinic's team. Please write your question.",
  privateOnly: "Please ask the clinic in a private chat with me, not in a group.",
  unavailable: "I cannot reach the clinic's inbox right now. You can contact the clinic directly:",
  followUpSent: (ticket: number) => `📨 Sent to the clinic's team (question #${ticket}).`,
  answerHeading: (ticket: number) => `💬 The clinic's team answered your question #${ticket}:`,
  answerFooter: "Reply to this message to write back to them.",
} as const;

export const staffTexts = {
  ticket: (ticket: number, firstName: string) => `🎫 Question #${ticket} from ${firstName}`,
  ticketFooter: (firstName: string) => `Reply to this message to answer ${firstName}.`,
  followUp: (ticket: number, firstName: string) => `↩️ Question #${ticket}: ${firstName} wrote again:`,
  delivered: (ticket: number, firstName: string) => `✅ Delivered to ${firstName} (question #${ticket}).`,
  partlyDelivered: (ticket: number, firstName: string, delivered: number, parts: number) =>
    `⚠️ Only ${delivered} of ${parts} parts reached ${firstName} (question #${ticket}); Telegram refused the rest. Please send the remainder again.`,
  undeliverable: (ticket: number, firstName: string) =>
    `⚠️ Not delivered: ${firstName} has blocked the bot or deleted the chat. Question #${ticket} is marked undeliverable.`,
  unknownTicket: "This question is no longer on file (the patient deleted their data, or it expired). Nothing was sent.",
  notATicket: "To answer a patient, reply to the message with their question.",
  textOnly: "Only text answers can be delivered. Please reply with text.",
  noOpenTickets: "No open questions. 🎉",
  openTickets: (count: number) => `Open questions (${count}):`,
  help:
    "Patients' questions arrive here. Reply to a question to answer the patient; their replies to you arrive here too.\n" +
    "/tickets: open questions\n/stats: the last 7 days\n/reload: load the edited knowledge base",
  unavailable: "The database is not reachable right now; try again in a minute.",
  reloading: "Reloading the knowledge base…",
} as const;

export const feedbackTexts = {
  helpful: "👍",
  notHelpful: "👎",
  thanks: "Thank you, noted.",
  unavailable: "Sorry, I could not save that just now.",
} as const;

export const privacyTexts = {
  privacy: (retentionDays: number, handoff: boolean) =>
    [
      "🔒 **What this bot keeps, and why**",
      "**Your questions to me** are never stored and never written to logs. I count, per day, how many questions got each kind of reply and which answers were shown, with no text and no Telegram ids, so the clinic can see which answers need work.",
      `**👍 / 👎 votes**: which answer you rated and how, with a scrambled form of your Telegram id (a salted hash) so that you can change your vote. No text. They are deleted after ${retentionDays} days.`,
      ...(handoff
        ? [
            `**Questions you send to the clinic** with "Ask the clinic", and only after you press Send: your question, your first name and this chat, so that the answer can reach you. The clinic's staff read them in their Telegram group. They are deleted after ${retentionDays} days.`,
          ]
        : []),
      "**Delete it**: /forget deletes everything above that is tied to you, at once." +
        (handoff ? " Messages already posted in the clinic's staff group stay in Telegram; ask the clinic to delete them." : ""),
    ].join("\n\n"),
  privateOnly: "For your privacy, send /forget to me in a private chat: it deletes what is stored about you, and nobody else sees the reply.",
  forgotten: (tickets: number, votes: number) =>
    `Done. I deleted ${tickets} question${tickets === 1 ? "" : "s"} to the clinic and ${votes} vote${votes === 1 ? "" : "s"} of yours. Nothing else about you is stored.`,
  unavailable: "I cannot reach the database right now, so nothing was deleted. Please try /forget again in a few minutes.",
} as const;

/** Commands only the Telegram bot has, with their menu descriptions. */
export const TELEGRAM_COMMANDS = [
  { command: "privacy", description: "What is stored about you, and how to delete it" },
  { command: "forget", description: "Delete everything stored about you" },
  { command: "cancel", description: "Drop a question you were writing to the clinic" },
] as const;

export const STAFF_COMMANDS = ["tickets", "stats", "reload", "help", "start"] as const;
