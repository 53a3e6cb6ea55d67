import { randomBytes, scrypt } from "node:crypto";
import { sql, type Selectable } from "kysely";
import type { Database } from "./database.js";
import type { Tables, TicketStatus } from "./schema.js";

export interface Ticket {
  readonly id: number;
  readonly patientChatId: string;
  readonly firstName: string;
  readonly question: string;
  readonly status: TicketStatus;
  readonly createdAt: string;
  readonly answeredAt: string | null;
  readonly staffMessageId: number | null;
}

export interface DailyCount {
  readonly day: string;
  readonly metric: string;
  readonly key: string;
  readonly count: number;
}

export interface Vote {
  readonly entryId: string;
  readonly helpful: boolean;
  readonly day: string;
}

/** Every read and write the bot and the report make. Knows SQL, nothing of Telegram. */
export interface Store {
  /** The patient asked to write to the clinic; their next message is the question. */
  awaitQuestion(chatId: string, now: Date): Promise<void>;
  /** Whether the bot waits for this chat's question (a wait from before `notBefore` has lapsed); the wait ends either way. */
  takeAwaitedQuestion(chatId: string, notBefore: Date): Promise<boolean>;
  /** Whether the bot waits for this chat's question, leaving the wait as it is. */
  isAwaitingQuestion(chatId: string, notBefore: Date): Promise<boolean>;
  /** A preview the patient may confirm (once) or cancel. */
  addDraft(chatId: string, messageId: number, now: Date): Promise<void>;
  /** Whether the preview was still open; it is closed either way, so a second press does nothing. */
  takeDraft(chatId: string, messageId: number): Promise<boolean>;
  /** Drops the chat's wait and open previews; returns the previews' message ids. */
  cancelDrafts(chatId: string): Promise<{ readonly awaited: boolean; readonly draftMessageIds: readonly number[] }>;

  createTicket(ticket: { patientChatId: string; firstName: string; question: string }, now: Date): Promise<number>;
  deleteTicket(id: number): Promise<void>;
  setStaffMessage(id: number, messageId: number): Promise<void>;
  /** Records that a message (in either chat) belongs to a ticket, so a reply to it continues the ticket. */
  linkMessage(ticketId: number, chatId: string, messageId: number): Promise<void>;
  ticketOfMessage(chatId: string, messageId: number): Promise<Ticket | undefined>;
  ticket(id: number): Promise<Ticket | undefined>;
  setTicketStatus(id: number, status: TicketStatus, now: Date): Promise<void>;
  openTickets(limit: number): Promise<readonly Ticket[]>;
  ticketsCreatedSince(since: Date): Promise<readonly Ticket[]>;

  /** One vote per user and entry; a second vote replaces the first. */
  vote(userId: number, entryId: string, helpful: boolean, now: Date): Promise<void>;
  votesSince(day: string): Promise<readonly Vote[]>;

  /** Adds to today's counters. */
  count(now: Date, counters: readonly { metric: string; key: string }[]): Promise<void>;
  countsSince(day: string): Promise<readonly DailyCount[]>;

  /** Deletes everything tied to a patient: tickets, waits, previews, votes. */
  forget(chatId: string, userId: number): Promise<{ readonly tickets: number; readonly votes: number }>;
  /** Deletes tickets created, and votes cast, before the cutoff (and lapsed waits and previews); returns how many. */
  purgeBefore(cutoff: Date): Promise<{ readonly tickets: number; readonly votes: number }>;
}

/** The UTC day of a moment, as YYYY-MM-DD. */
export function dayOf(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}

const SALT_KEY = "user_hash_salt";
/** Users whose hash is kept in memory, so that a second vote costs no second scrypt. */
const HASHES_REMEMBERED = 10_000;

export function createStore(database: Database): Store {
  const { db } = database;
  let salt: Promise<string> | undefined;

  /** The salt is made once per database, so every instance sharing it hashes a user alike. */
  function userSalt(): Promise<string> {
    salt ??= (async () => {
      await db
        .insertInto("meta")
        .values({ key: SALT_KEY, value: randomBytes(32).toString("hex") })
        .onConflict((conflict) => conflict.column("key").doNothing())
        .execute();
      const row = await db.selectFrom("meta").select("value").where("key", "=", SALT_KEY).executeTakeFirstOrThrow();
      return row.value;
    })();
    // A failed attempt (the database was down) is not remembered.
    salt.catch(() => (salt = undefined));
    return salt;
  }

  // Telegram ids are few enough to try them all against a fast hash; scrypt makes each try
  // cost tens of milliseconds, so that a copy of the database does not reveal who voted.
  const hashes = new Map<number, Promise<string>>();
  function hashUser(userId: number): Promise<string> {
    const known = hashes.get(userId);
    if (known) return known;
    // The promise is kept, so that two quick votes of one user compute one hash.
    const hash = userSalt().then(
      (salt) =>
        new Promise<string>((resolve, reject) =>
          scrypt(String(userId), salt, 32, { N: 2 ** 14, r: 8, p: 1 }, (error, key) => (error ? reject(error) : resolve(key.toString("hex")))),
        ),
    );
    if (hashes.size >= HASHES_REMEMBERED) hashes.delete(hashes.keys().next().value!);
    hashes.set(userId, hash);
    hash.catch(() => hashes.delete(userId));
    return hash;
  }

  const deleted = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);

  const toTicket = (row: Selectable<Tables["tickets"]>): Ticket => ({
    id: Number(row.id),
    patientChatId: row.patient_chat_id,
    firstName: row.first_name,
    question: row.question,
    status: row.status,
    createdAt: row.created_at,
    answeredAt: row.answered_at,
    staffMessageId: row.staff_message_id === null ? null : Number(row.staff_message_id),
  });

  return {
    async awaitQuestion(chatId, now) {
      await db
        .insertInto("pending_questions")
        .values({ chat_id: chatId, created_at: now.toISOString() })
        .onConflict((conflict) => conflict.column("chat_id").doUpdateSet({ created_at: now.toISOString() }))
        .execute();
    },
    async takeAwaitedQuestion(chatId, notBefore) {
      const rows = await db.deleteFrom("pending_questions").where("chat_id", "=", chatId).returning("created_at").execute();
      return rows.some((row) => row.created_at >= notBefore.toISOString());
    },
    async isAwaitingQuestion(chatId, notBefore) {
      const row = await db
        .selectFrom("pending_questions")
        .select("chat_id")
        .where("chat_id", "=", chatId)
        .where("created_at", ">=", notBefore.toISOString())
        .executeTakeFirst();
      return row !== undefined;
    },
    async addDraft(chatId, messageId, now) {
      await db.insertInto("drafts").values({ chat_id: chatId, message_id: messageId, created_at: now.toISOString() }).execute();
    },
    async takeDraft(chatId, messageId) {
      const result = await db.deleteFrom("drafts").where("chat_id", "=", chatId).where("message_id", "=", messageId).executeTakeFirst();
      return deleted(result) > 0;
    },
    async cancelDrafts(chatId) {
      return db.transaction().execute(async (trx) => {
        const rows = await trx.deleteFrom("drafts").where("chat_id", "=", chatId).returning("message_id").execute();
        const awaited = await trx.deleteFrom("pending_questions").where("chat_id", "=", chatId).executeTakeFirst();
        return { awaited: deleted(awaited) > 0, draftMessageIds: rows.map((row) => Number(row.message_id)) };
      });
    },

    async createTicket(ticket, now) {
      const row = await db
        .insertInto("tickets")
        .values({
          patient_chat_id: ticket.patientChatId,
          first_name: ticket.firstName,
          question: ticket.question,
          status: "open",
          created_at: now.toISOString(),
          answered_at: null,
          staff_message_id: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return Number(row.id);
    },
    async deleteTicket(id) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom("ticket_messages").where("ticket_id", "=", id).execute();
        await trx.deleteFrom("tickets").where("id", "=", id).execute();
      });
    },
    async setStaffMessage(id, messageId) {
      await db.updateTable("tickets").set({ staff_message_id: messageId }).where("id", "=", id).execute();
    },
    async linkMessage(ticketId, chatId, messageId) {
      await db
        .insertInto("ticket_messages")
        .values({ ticket_id: ticketId, chat_id: chatId, message_id: messageId })
        .onConflict((conflict) => conflict.columns(["chat_id", "message_id"]).doNothing())
        .execute();
    },
    async ticketOfMessage(chatId, messageId) {
      const row = await db
        .selectFrom("ticket_messages")
        .innerJoin("tickets", "tickets.id", "ticket_messages.ticket_id")
        .selectAll("tickets")
        .where("ticket_messages.chat_id", "=", chatId)
        .where("ticket_messages.message_id", "=", messageId)
        .executeTakeFirst();
      return row ? toTicket(row) : undefined;
    },
    async ticket(id) {
      const row = await db.selectFrom("tickets").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toTicket(row) : undefined;
    },
    async setTicketStatus(id, status, now) {
      await db
        .updateTable("tickets")
        .set(
          status === "answered"
            ? { status, answered_at: sql<string>`coalesce(answered_at, ${now.toISOString()})` }
            : { status },
        )
        .where("id", "=", id)
        .execute();
    },
    async openTickets(limit) {
      const rows = await db.selectFrom("tickets").selectAll().where("status", "=", "open").orderBy("id").limit(limit).execute();
      return rows.map(toTicket);
    },
    async ticketsCreatedSince(since) {
      const rows = await db.selectFrom("tickets").selectAll().where("created_at", ">=", since.toISOString()).orderBy("id").execute();
      return rows.map(toTicket);
    },

    async vote(userId, entryId, helpful, now) {
      const values = { user_hash: await hashUser(userId), entry_id: entryId, helpful: helpful ? 1 : 0, day: dayOf(now) };
      await db
        .insertInto("votes")
        .values(values)
        .onConflict((conflict) => conflict.columns(["user_hash", "entry_id"]).doUpdateSet({ helpful: values.helpful, day: values.day }))
        .execute();
    },
    async votesSince(day) {
      const rows = await db.selectFrom("votes").select(["entry_id", "helpful", "day"]).where("day", ">=", day).execute();
      return rows.map((row) => ({ entryId: row.entry_id, helpful: Number(row.helpful) === 1, day: row.day }));
    },

    async count(now, counters) {
      if (counters.length === 0) return;
      const day = dayOf(now);
      await db
        .insertInto("daily_counts")
        .values(counters.map(({ metric, key }) => ({ day, metric, key, count: 1 })))
        .onConflict((conflict) =>
          conflict.columns(["day", "metric", "key"]).doUpdateSet({ count: sql<number>`daily_counts.count + excluded.count` }),
        )
        .execute();
    },
    async countsSince(day) {
      const rows = await db.selectFrom("daily_counts").selectAll().where("day", ">=", day).execute();
      return rows.map((row) => ({ ...row, count: Number(row.count) }));
    },

    async forget(chatId, userId) {
      const userHash = await hashUser(userId);
      return db.transaction().execute(async (trx) => {
        const tickets = trx.selectFrom("tickets").select("id").where("patient_chat_id", "=", chatId);
        await trx.deleteFrom("ticket_messages").where("ticket_id", "in", tickets).execute();
        const ticketCount = deleted(await trx.deleteFrom("tickets").where("patient_chat_id", "=", chatId).executeTakeFirst());
        await trx.deleteFrom("drafts").where("chat_id", "=", chatId).execute();
        await trx.deleteFrom("pending_questions").where("chat_id", "=", chatId).execute();
        const voteCount = deleted(await trx.deleteFrom("votes").where("user_hash", "=", userHash).executeTakeFirst());
        return { tickets: ticketCount, votes: voteCount };
      });
    },
    async purgeBefore(cutoff) {
      return db.transaction().execute(async (trx) => {
        const old = trx.selectFrom("tickets").select("id").where("created_at", "<", cutoff.toISOString());
        await trx.deleteFrom("ticket_messages").where("ticket_id", "in", old).execute();
        await trx.deleteFrom("drafts").where("created_at", "<", cutoff.toISOString()).execute();
        await trx.deleteFrom("pending_questions").where("created_at", "<", cutoff.toISOString()).execute();
        const tickets = deleted(await trx.deleteFrom("tickets").where("created_at", "<", cutoff.toISOString()).executeTakeFirst());
        const votes = deleted(await trx.deleteFrom("votes").where("day", "<", dayOf(cutoff)).executeTakeFirst());
        return { tickets, votes };
      });
    },
  };
}
