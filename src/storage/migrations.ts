import type { Kysely } from "kysely";
import type { Migration } from "kysely";

export type Dialect = "sqlite" | "postgres";

/**
 * The schema's history, oldest first. A migration is never edited once released: a change is
 * a new entry. Names sort in order (the migrator applies them by name).
 */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    "0001_initial": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("meta")
          .addColumn("key", "text", (column) => column.primaryKey())
          .addColumn("value", "text", (column) => column.notNull())
          .execute();
        await db.schema
          .createTable("pending_questions")
          .addColumn("chat_id", "text", (column) => column.primaryKey())
          .addColumn("created_at", "text", (column) => column.notNull())
          .execute();
        await db.schema
          .createTable("drafts")
          .addColumn("chat_id", "text", (column) => column.notNull())
          .addColumn("message_id", "integer", (column) => column.notNull())
          .addColumn("created_at", "text", (column) => column.notNull())
          .addPrimaryKeyConstraint("drafts_pk", ["chat_id", "message_id"])
          .execute();
        await db.schema
          .createTable("tickets")
          .addColumn("id", dialect === "postgres" ? "serial" : "integer", (column) =>
            dialect === "postgres" ? column.primaryKey() : column.primaryKey().autoIncrement(),
          )
          .addColumn("patient_chat_id", "text", (column) => column.notNull())
          .addColumn("first_name", "text", (column) => column.notNull())
          .addColumn("question", "text", (column) => column.notNull())
          .addColumn("status", "text", (column) => column.notNull())
          .addColumn("created_at", "text", (column) => column.notNull())
          .addColumn("answered_at", "text")
          .addColumn("staff_message_id", "integer")
          .execute();
        await db.schema.createIndex("tickets_patient").on("tickets").column("patient_chat_id").execute();
        await db.schema.createIndex("tickets_created").on("tickets").column("created_at").execute();
        await db.schema
          .createTable("ticket_messages")
          .addColumn("chat_id", "text", (column) => column.notNull())
          .addColumn("message_id", "integer", (column) => column.notNull())
          .addColumn("ticket_id", "integer", (column) => column.notNull().references("tickets.id").onDelete("cascade"))
          .addPrimaryKeyConstraint("ticket_messages_pk", ["chat_id", "message_id"])
          .execute();
        await db.schema.createIndex("ticket_messages_ticket").on("ticket_messages").column("ticket_id").execute();
        await db.schema
          .createTable("votes")
          .addColumn("user_hash", "text", (column) => column.notNull())
          .addColumn("entry_id", "text", (column) => column.notNull())
          .addColumn("helpful", "integer", (column) => column.notNull())
          .addColumn("day", "text", (column) => column.notNull())
          .addPrimaryKeyConstraint("votes_pk", ["user_hash", "entry_id"])
          .execute();
        await db.schema
          .createTable("daily_counts")
          .addColumn("day", "text", (column) => column.notNull())
          .addColumn("metric", "text", (column) => column.notNull())
          .addColumn("key", "text", (column) => column.notNull())
          .addColumn("count", "integer", (column) => column.notNull())
          .addPrimaryKeyConstraint("daily_counts_pk", ["day", "metric", "key"])
          .execute();
      },
    },
  };
}
