import { formatProblem, KnowledgeBaseError } from "../knowledge/errors.js";
import type { Logger } from "../logger.js";
import { noMetrics, type Metrics } from "../metrics/metrics.js";
import type { Core } from "../session.js";

export type ReloadOutcome =
  | { readonly ok: true; readonly entries: number; readonly phrasings: number; readonly seconds: number }
  | { readonly ok: false; readonly problems: readonly string[]; readonly seconds: number };

export interface Reloader {
  /** The core to answer the next update with. */
  current(): Core;
  /**
   * Loads, validates and (if needed) retrains, then swaps in one step; on any problem keeps the
   * current core. Reloads never overlap: one asked for during another runs once after it.
   */
  reload(trigger: string): Promise<ReloadOutcome>;
}

/** How many problems the one log line and the staff reply list. */
const PROBLEMS_SHOWN = 20;

export function createReloader(options: { initial: Core; load: () => Promise<Core>; logger: Logger; metrics?: Metrics }): Reloader {
  const metrics = options.metrics ?? noMetrics;
  let core = options.initial;
  let running: Promise<ReloadOutcome> | undefined;
  let queued: Promise<ReloadOutcome> | undefined;

  async function run(trigger: string): Promise<ReloadOutcome> {
    const started = performance.now();
    const seconds = () => Math.round(performance.now() - started) / 1000;
    try {
      const next = await options.load();
      core = next;
      const { entries } = next.assistant.knowledgeBase;
      const outcome = { ok: true as const, entries: entries.length, phrasings: entries.reduce((sum, entry) => sum + 1 + entry.alternates.length, 0), seconds: seconds() };
      metrics.reload("reloaded", outcome.seconds);
      options.logger.info("knowledge base reloaded", { trigger, entries: outcome.entries, phrasings: outcome.phrasings, seconds: outcome.seconds });
      return outcome;
    } catch (error) {
      const problems =
        error instanceof KnowledgeBaseError ? error.problems.map(formatProblem) : [error instanceof Error ? error.message : String(error)];
      const outcome = { ok: false as const, problems, seconds: seconds() };
      metrics.reload("failed", outcome.seconds);
      options.logger.error("knowledge base reload failed; still answering with the previous one", {
        trigger,
        problems: problems.slice(0, PROBLEMS_SHOWN),
        ...(problems.length > PROBLEMS_SHOWN ? { moreProblems: problems.length - PROBLEMS_SHOWN } : {}),
        seconds: outcome.seconds,
      });
      return outcome;
    }
  }

  function reload(trigger: string): Promise<ReloadOutcome> {
    if (!running) {
      running = run(trigger).finally(() => (running = undefined));
      return running;
    }
    queued ??= running.then(() => {
      queued = undefined;
      return reload(trigger);
    });
    return queued;
  }

  return { current: () => core, reload };
}

/** The outcome as the staff chat's /reload shows it. */
export function describeReload(outcome: ReloadOutcome): string {
  if (outcome.ok) return `✅ Reloaded: ${outcome.entries} entries, ${outcome.phrasings} phrasings, in ${outcome.seconds.toFixed(1)} s.`;
  const shown = outcome.problems.slice(0, PROBLEMS_SHOWN);
  const more = outcome.problems.length - shown.length;
  return [`❌ Still using the previous knowledge base. Problems:`, ...shown.map((problem) => `• ${problem}`), ...(more > 0 ? [`… and ${more} more`] : [])].join("\n");
}
