import type { Context } from "grammy";
import type { Core } from "../session.js";

/** What the bot made of an update, for the log line and the daily counters. Never the message text. */
export interface Outcome {
  kind: string;
  entryId?: string;
  confidence?: number;
  fallbackReason?: string;
  notCovered?: string;
}

export type BotContext = Context & {
  outcome?: Outcome;
  /** The knowledge base and engine this update is handled with, fixed at its start (a reload swaps the next). */
  core: Core;
};
