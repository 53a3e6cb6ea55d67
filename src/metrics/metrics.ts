import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** What the bot and the reloader report; a no-op stands in where metrics are not wanted. */
export interface Metrics {
  /** One handled update: its type, what the bot made of it, and how long it took. */
  update(update: { type: string; kind: string; entryId?: string | undefined; fallbackReason?: string | undefined; seconds: number }): void;
  /** A Bot API call that failed: its method and Telegram's error code (or "network"). */
  apiError(method: string, code: string): void;
  modelLoaded(seconds: number): void;
  reload(outcome: "reloaded" | "failed", seconds: number): void;
  /** A worker thread of the sentence encoder failed; the bot's thread embeds its share from then on. */
  encoderLaneFailed(): void;
}

export const noMetrics: Metrics = { update() {}, apiError() {}, modelLoaded() {}, reload() {}, encoderLaneFailed() {} };

export interface PrometheusMetrics extends Metrics {
  readonly registry: Registry;
  /** The Prometheus text exposition format. */
  render(): Promise<string>;
  readonly contentType: string;
}

/**
 * The bot's metrics in a registry of their own (so tests can make several). Label values come
 * from closed sets: update types, reply kinds, fallback reasons, entry ids of the knowledge
 * base, Bot API method names and error codes. Never text.
 */
export function createPrometheusMetrics(options: { processMetrics?: boolean } = {}): PrometheusMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const updates = new Counter({ name: "hourglass_updates_total", help: "Updates handled, by type", labelNames: ["type"], registers: [registry] });
  const replies = new Counter({ name: "hourglass_replies_total", help: "What the bot made of updates, by kind", labelNames: ["kind"], registers: [registry] });
  const fallbacks = new Counter({ name: "hourglass_fallbacks_total", help: "Messages not answered, by reason", labelNames: ["reason"], registers: [registry] });
  const answers = new Counter({ name: "hourglass_answers_total", help: "Answers given, by knowledge-base entry", labelNames: ["entry"], registers: [registry] });
  const latency = new Histogram({
    name: "hourglass_reply_duration_seconds",
    help: "Time from receiving an update to having handled it (reply sent)",
    labelNames: ["type"],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const apiErrors = new Counter({ name: "hourglass_bot_api_errors_total", help: "Failed Bot API calls, by method and error code", labelNames: ["method", "code"], registers: [registry] });
  const modelLoad = new Gauge({ name: "hourglass_model_load_seconds", help: "How long loading (or training) the matcher took at start-up", registers: [registry] });
  const reloads = new Counter({ name: "hourglass_reloads_total", help: "Knowledge-base reloads, by outcome", labelNames: ["outcome"], registers: [registry] });
  const reloadDuration = new Histogram({
    name: "hourglass_reload_duration_seconds",
    help: "How long a knowledge-base reload took, retraining included",
    buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300],
    registers: [registry],
  });
  for (const outcome of ["reloaded", "failed"]) reloads.inc({ outcome }, 0);
  const laneFailures = new Counter({
    name: "hourglass_encoder_lane_failures_total",
    help: "Sentence-encoder worker threads that failed (the bot's thread took over their work: slower, not wrong)",
    registers: [registry],
  });

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    update({ type, kind, entryId, fallbackReason, seconds }) {
      updates.inc({ type });
      replies.inc({ kind });
      if (fallbackReason) fallbacks.inc({ reason: fallbackReason });
      if (kind === "answer" && entryId) answers.inc({ entry: entryId });
      latency.observe({ type }, seconds);
    },
    apiError(method, code) {
      apiErrors.inc({ method, code });
    },
    modelLoaded(seconds) {
      modelLoad.set(seconds);
    },
    reload(outcome, seconds) {
      reloads.inc({ outcome });
      reloadDuration.observe(seconds);
    },
    encoderLaneFailed() {
      laneFailures.inc();
    },
  };
}

/** The part of grammY's Api this needs: its transformer hook. */
interface ApiWithTransformers {
  config: { use(transformer: (prev: any, method: string, payload: any, signal?: any) => Promise<any>): void };
}

/**
 * Counts failed Bot API calls by method and error code. Installed last, it sees what the bot
 * finally got (after retries).
 */
export function observeApiErrors(api: ApiWithTransformers, metrics: Metrics): void {
  api.config.use(async (prev, method, payload, signal) => {
    try {
      const response = await prev(method, payload, signal);
      if (response && !response.ok) metrics.apiError(method, String(response.error_code ?? "unknown"));
      return response;
    } catch (error) {
      metrics.apiError(method, "network");
      throw error;
    }
  });
}
