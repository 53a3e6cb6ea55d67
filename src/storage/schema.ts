import type { Generated } from "kysely";

/**
 * The tables, as the query layer sees them. Telegram ids are kept as text: they can exceed
 * 32 bits, and PostgreSQL returns 64-bit integers as strings anyway. Times are ISO 8601 text
 * (UTC), which sorts and compares the same in both databases.
 */
export interface Tables {
  meta: { key: string; value: string };
  /** Chats where the patient pressed "Ask the clinic" and the bot waits for the question. No text. */
  pending_questions: { chat_id: string; created_at: string };
  /** Previews the patient has not yet confirmed. The question itself is only in the preview message. */
  drafts: { chat_id: string; message_id: number; created_at: string };
  tickets: {
    id: Generated<number>;
    patient_chat_id: string;
    first_name: string;
    question: string;
    status: TicketStatus;
    created_at: string;
    answered_at: string | null;
    /** The ticket's first message in the staff chat: answers and follow-ups are threaded under it. */
    staff_message_id: number | null;
  };
  /** Every message that belongs to a ticket, in the staff chat or the patient's: replying to one continues it. */
  ticket_messages: { chat_id: string; message_id: number; ticket_id: number };
  /** One vote per user and entry, changeable. The user is a salted hash; no text. */
  votes: { user_hash: string; entry_id: string; helpful: number; day: string };
  /** Per-day counters: no text, no user. */
  daily_counts: { day: string; metric: string; key: string; count: number };
}

export type TicketStatus = "open" | "answered" | "undeliverable";
