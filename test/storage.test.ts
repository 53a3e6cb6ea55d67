import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatabaseUnavailableError, openDatabase } from "../src/storage/database.js";
import { createStore, type Store } from "../src/storage/store.js";
import { DIALECTS, openTestDatabase, type TestDatabase } from "./helpers/databases.js";
import { freePort } from "./helpers/processes.js";

const NOW = new Date("2026-11-20T10:00:00Z");
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

describe.each(DIALECTS)("the store on %s", (dialect) => {
  let test: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    test = await openTestDatabase(dialect);
    store = createStore(test.database);
  });
  afterAll(() => test.dispose());

  it("applies its migrations once: opening the database again changes nothing", async () => {
    const again = await openDatabase(dialect === "sqlite" ? { sqlitePath: test.env.SQLITE_PATH } : { url: test.env.DATABASE_URL });
    await again.close();
  });

  it("keeps a ticket, the messages that belong to it, and its status", async () => {
    const id = await store.createTicket({ patientChatId: "1001", firstName: "Pat", question: "Can I take a bath?" }, NOW);
    await store.setStaffMessage(id, 77);
    await store.linkMessage(id, "-500", 77);
    await store.linkMessage(id, "1001", 12);
    expect((await store.ticketOfMessage("-500", 77))?.id).toBe(id);
    expect((await store.ticketOfMessage("1001", 12))?.question).toBe("Can I take a bath?");
    expect(await store.ticketOfMessage("1001", 77)).toBeUndefined();
    expect((await store.openTickets(10)).map((ticket) => ticket.id)).toContain(id);

    await store.setTicketStatus(id, "answered", later(30));
    await store.setTicketStatus(id, "open", later(40));
    await store.setTicketStatus(id, "answered", later(90));
    const ticket = await store.ticket(id);
    expect(ticket).toMatchObject({ status: "answered", staffMessageId: 77, answeredAt: later(30).toISOString() });
    expect((await store.openTickets(10)).map((open) => open.id)).not.toContain(id);
  });

  it("closes a draft at the first confirmation, so a second press sends nothing", async () => {
    await store.addDraft("2002", 5, NOW);
    expect(await store.takeDraft("2002", 5)).toBe(true);
    expect(await store.takeDraft("2002", 5)).toBe(false);
  });

  it("lets a wait for a question lapse, and reads it without ending it", async () => {
    await store.awaitQuestion("3300", NOW);
    expect(await store.isAwaitingQuestion("3300", NOW)).toBe(true);
    expect(await store.isAwaitingQuestion("3300", later(1))).toBe(false);
    expect(await store.takeAwaitedQuestion("3300", later(1))).toBe(false);
    expect(await store.isAwaitingQuestion("3300", NOW)).toBe(false);
    await store.awaitQuestion("3301", NOW);
    expect(await store.takeAwaitedQuestion("3301", NOW)).toBe(true);
    expect(await store.takeAwaitedQuestion("3301", NOW)).toBe(false);
  });

  it("drops a chat's wait and previews on cancel", async () => {
    await store.awaitQuestion("3003", NOW);
    await store.addDraft("3003", 8, NOW);
    await store.addDraft("3003", 9, NOW);
    const cancelled = await store.cancelDrafts("3003");
    expect(cancelled.awaited).toBe(true);
    expect([...cancelled.draftMessageIds].sort()).toEqual([8, 9]);
    expect(await store.takeAwaitedQuestion("3003", NOW)).toBe(false);
    expect(await store.takeDraft("3003", 8)).toBe(false);
  });

  it("counts one vote per user and entry, and lets the user change it", async () => {
    await store.vote(1, "entry-a", true, NOW);
    await store.vote(1, "entry-a", false, NOW);
    await store.vote(2, "entry-a", true, NOW);
    const votes = (await store.votesSince("2026-11-01")).filter((vote) => vote.entryId === "entry-a");
    expect(votes.map((vote) => vote.helpful).sort()).toEqual([false, true]);
  });

  it("adds to per-day counters", async () => {
    await store.count(NOW, [{ metric: "kind", key: "answer" }, { metric: "entry", key: "entry-a" }]);
    await store.count(NOW, [{ metric: "kind", key: "answer" }]);
    await store.count(later(60 * 24), [{ metric: "kind", key: "answer" }]);
    const counts = await store.countsSince("2026-11-20");
    expect(counts.filter((row) => row.metric === "kind" && row.key === "answer").map((row) => [row.day, row.count]).sort()).toEqual([
      ["2026-11-20", 2],
      ["2026-11-21", 1],
    ]);
  });

  it("forgets a patient: their tickets, waits, previews and votes, and nobody else's", async () => {
    const mine = await store.createTicket({ patientChatId: "4004", firstName: "Ana", question: "q1" }, NOW);
    await store.linkMessage(mine, "4004", 31);
    const theirs = await store.createTicket({ patientChatId: "5005", firstName: "Bo", question: "q2" }, NOW);
    await store.awaitQuestion("4004", NOW);
    await store.vote(4004, "entry-b", true, NOW);
    await store.vote(5005, "entry-b", true, NOW);

    expect(await store.forget("4004", 4004)).toEqual({ tickets: 1, votes: 1 });
    expect(await store.ticket(mine)).toBeUndefined();
    expect(await store.ticketOfMessage("4004", 31)).toBeUndefined();
    expect(await store.takeAwaitedQuestion("4004", NOW)).toBe(false);
    expect(await store.ticket(theirs)).toBeDefined();
    expect((await store.votesSince("2026-01-01")).filter((vote) => vote.entryId === "entry-b")).toHaveLength(1);
  });

  it("purges tickets and votes older than the retention period", async () => {
    const old = await store.createTicket({ patientChatId: "6006", firstName: "Old", question: "old" }, new Date("2026-01-01T00:00:00Z"));
    await store.linkMessage(old, "6006", 1);
    const fresh = await store.createTicket({ patientChatId: "6006", firstName: "New", question: "new" }, NOW);
    await store.vote(6006, "entry-old", true, new Date("2026-01-02T00:00:00Z"));
    await store.vote(6006, "entry-new", true, NOW);
    const purged = await store.purgeBefore(new Date("2026-06-01T00:00:00Z"));
    expect(purged.tickets).toBeGreaterThanOrEqual(1);
    expect(purged.votes).toBe(1);
    expect(await store.ticket(old)).toBeUndefined();
    expect(await store.ticket(fresh)).toBeDefined();
    const entries = (await store.votesSince("2000-01-01")).map((vote) => vote.entryId);
    expect(entries).toContain("entry-new");
    expect(entries).not.toContain("entry-old");
  });

  it("stores a voter only as a slow salted hash, never the id", async () => {
    await store.vote(7007007, "entry-c", true, NOW);
    const rows = await test.database.db.selectFrom("votes").select("user_hash").where("entry_id", "=", "entry-c").execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.user_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.user_hash).not.toContain("7007007");
  });
});

describe("a database that cannot be reached", () => {
  it("fails with one line naming the host and the error", async () => {
    const port = await freePort();
    const error = await openDatabase({ url: `postgres://bot:secret@127.0.0.1:${port}/bot` }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain(`127.0.0.1:${port}/bot`);
    expect(message).toMatch(/ECONNREFUSED/);
    expect(message).not.toContain("secret");
    expect(message).not.toContain("\n");
  });
});
