import { dayOf, type Store } from "../storage/store.js";

/** The reply kinds a patient's message can get, in the order reports show them. */
const MESSAGE_KINDS = ["answer", "clarify", "fallback", "urgent", "smalltalk"] as const;

export interface EntryReport {
  readonly id: string;
  /** Answers given for it: to a message, or picked from a "did you mean" list. */
  readonly answered: number;
  /** How often patients reached it through a "did you mean" list. */
  readonly chosenFromClarify: number;
  readonly helpful: number;
  readonly notHelpful: number;
}

export interface NeedsWork {
  readonly id: string;
  readonly reasons: readonly string[];
}

export interface Report {
  readonly days: number;
  /** First day counted, YYYY-MM-DD (UTC). */
  readonly since: string;
  readonly messages: number;
  readonly byKind: Readonly<Record<string, number>>;
  readonly fallbackReasons: Readonly<Record<string, number>>;
  readonly entries: readonly EntryReport[];
  readonly notCovered: readonly { readonly topic: string; readonly count: number }[];
  readonly feedback: { readonly helpful: number; readonly notHelpful: number };
  readonly tickets: { readonly open: number; readonly answered: number; readonly undeliverable: number; readonly medianMinutesToAnswer: number | null };
  readonly needsWork: readonly NeedsWork[];
}

/** Votes an entry needs before its helpfulness is judged, and the share of 👍 below which it needs work. */
const MIN_VOTES = 3;
const LOW_HELPFULNESS = 0.5;
/** An entry reached through "did you mean" at least this often, and more often than answered directly, needs phrasings. */
const MIN_CLARIFY_CHOICES = 3;

/** What patients asked in the last `days` days (today included) and how the bot did, from counters and votes. */
export async function buildReport(store: Store, options: { days: number; now: Date }): Promise<Report> {
  const start = new Date(options.now);
  start.setUTCDate(start.getUTCDate() - (options.days - 1));
  start.setUTCHours(0, 0, 0, 0);
  const since = dayOf(start);
  const [counts, votes, tickets] = await Promise.all([store.countsSince(since), store.votesSince(since), store.ticketsCreatedSince(start)]);

  const tally = (metric: string) => {
    const totals = new Map<string, number>();
    for (const row of counts) if (row.metric === metric) totals.set(row.key, (totals.get(row.key) ?? 0) + row.count);
    return totals;
  };
  const kinds = tally("kind");
  const byKind = Object.fromEntries(MESSAGE_KINDS.map((kind) => [kind, kinds.get(kind) ?? 0]));
  const answered = tally("entry");
  const choices = tally("choice");

  const entryIds = new Set([...answered.keys(), ...choices.keys(), ...votes.map((vote) => vote.entryId)]);
  const entries = [...entryIds]
    .map((id) => {
      const own = votes.filter((vote) => vote.entryId === id);
      const helpful = own.filter((vote) => vote.helpful).length;
      return { id, answered: (answered.get(id) ?? 0) + (choices.get(id) ?? 0), chosenFromClarify: choices.get(id) ?? 0, helpful, notHelpful: own.length - helpful };
    })
    .sort((a, b) => b.answered - a.answered || a.id.localeCompare(b.id));

  const needsWork = entries.flatMap((entry) => {
    const reasons: string[] = [];
    const voted = entry.helpful + entry.notHelpful;
    if (voted >= MIN_VOTES && entry.helpful / voted < LOW_HELPFULNESS) reasons.push(`${entry.helpful} of ${voted} found it helpful`);
    const direct = entry.answered - entry.chosenFromClarify;
    if (entry.chosenFromClarify >= MIN_CLARIFY_CHOICES && entry.chosenFromClarify > direct)
      reasons.push(`reached through "did you mean" ${entry.chosenFromClarify} times, answered directly ${direct}`);
    return reasons.length > 0 ? [{ id: entry.id, reasons }] : [];
  });

  const minutes = tickets
    .filter((ticket) => ticket.answeredAt !== null)
    .map((ticket) => (Date.parse(ticket.answeredAt!) - Date.parse(ticket.createdAt)) / 60_000)
    .sort((a, b) => a - b);

  return {
    days: options.days,
    since,
    messages: MESSAGE_KINDS.reduce((sum, kind) => sum + (kinds.get(kind) ?? 0), 0),
    byKind,
    fallbackReasons: Object.fromEntries(tally("fallback")),
    entries,
    notCovered: [...tally("not-covered")].map(([topic, count]) => ({ topic, count })).sort((a, b) => b.count - a.count || a.topic.localeCompare(b.topic)),
    feedback: { helpful: votes.filter((vote) => vote.helpful).length, notHelpful: votes.filter((vote) => !vote.helpful).length },
    tickets: {
      open: tickets.filter((ticket) => ticket.status === "open").length,
      answered: tickets.filter((ticket) => ticket.answeredAt !== null).length,
      undeliverable: tickets.filter((ticket) => ticket.status === "undeliverable").length,
      medianMinutesToAnswer: minutes.length === 0 ? null : Math.round(median(minutes)),
    },
    needsWork,
  };
}

function median(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const KIND_LABELS: Record<string, string> = { answer: "answered", clarify: "did you mean", fallback: "not answered", urgent: "urgent", smalltalk: "small talk" };

const percent = (part: number, whole: number) => (whole === 0 ? "–" : `${((100 * part) / whole).toFixed(1)}%`);

/** The report as a plain-text table (the terminal, and the staff group's /stats). */
export function formatReport(report: Report, options: { top?: number } = {}): string {
  const top = options.top ?? 10;
  const lines: string[] = [];
  lines.push(`Last ${report.days} day${report.days === 1 ? "" : "s"} (since ${report.since}, UTC): ${report.messages} message${report.messages === 1 ? "" : "s"}`);
  for (const kind of MESSAGE_KINDS) {
    const count = report.byKind[kind] ?? 0;
    lines.push(`  ${KIND_LABELS[kind]!.padEnd(14)}${String(count).padStart(6)}  ${percent(count, report.messages).padStart(6)}`);
  }
  const reasons = Object.entries(report.fallbackReasons);
  if (reasons.length > 0) lines.push(`  not answered because: ${reasons.map(([reason, count]) => `${reason} ${count}`).join(", ")}`);

  lines.push("", "Most asked answers                      answered  via did-you-mean  👍  👎");
  if (report.entries.length === 0) lines.push("  (none yet)");
  for (const entry of report.entries.slice(0, top)) {
    lines.push(
      `  ${entry.id.padEnd(38)}${String(entry.answered).padStart(8)}${String(entry.chosenFromClarify).padStart(18)}${String(entry.helpful).padStart(4)}${String(entry.notHelpful).padStart(4)}`,
    );
  }

  lines.push("", "Most asked topics the notes do not cover");
  if (report.notCovered.length === 0) lines.push("  (none)");
  for (const { topic, count } of report.notCovered.slice(0, top)) lines.push(`  ${topic.padEnd(38)}${String(count).padStart(8)}`);

  const { helpful, notHelpful } = report.feedback;
  lines.push("", `Feedback: ${helpful} 👍, ${notHelpful} 👎 (${percent(helpful, helpful + notHelpful)} helpful)`);
  const { open, answered, undeliverable, medianMinutesToAnswer } = report.tickets;
  lines.push(
    `Questions to the clinic: ${open} open, ${answered} answered${undeliverable ? `, ${undeliverable} undeliverable` : ""}` +
      (medianMinutesToAnswer === null ? "" : `; median time to an answer ${formatMinutes(medianMinutesToAnswer)}`),
  );

  lines.push("", "Needs work");
  if (report.needsWork.length === 0) lines.push("  (nothing stands out)");
  for (const { id, reasons } of report.needsWork) lines.push(`  ${id}: ${reasons.join("; ")}`);
  return lines.join("\n");
}

function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = minutes / 60;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`;
}
