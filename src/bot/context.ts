import type { Context } from "grammy";
import type { Reply } from "../assistant.js";
import type { Core } from "../session.js";

/** What the bot made of an update, for the log line and the daily counters. Never the message text. */
export interface Outcome {
  kind: string;
  entryId?: string;
  confidence?: number;
  notCovered?: string;
}

const FALLBACK = "fallback:";

/** Why the patient's message was not answered, when the outcome is a fallback ("fallback:<reason>"). */
export function fallbackReasonOf(outcome: Outcome | undefined): string | undefined {
  return outcome?.kind.startsWith(FALLBACK) ? outcome.kind.slice(FALLBACK.length) : undefined;
}

export type BotContext = Context & {
  outcome?: Outcome;
  /** The knowledge base and engine this update is handled with, fixed at its start (a reload swaps the next). */
  core: Core;
  /** The engine's reply to the message's text or caption, decided once, before anything else touches it. */
  decided?: Reply;
  /** The urgent-care reply has been sent already (it goes first, before any database call). */
  urgentSent?: boolean;
};
