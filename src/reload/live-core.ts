import { fileURLToPath } from "node:url";
import { loadBotEncoder } from "../encoders/universal-sentence-encoder.js";
import { loadKnowledgeBase } from "../knowledge/load.js";
import type { Logger } from "../logger.js";
import { isModelCached } from "../matching/model/cache.js";
import type { Metrics } from "../metrics/metrics.js";
import { createCore, createCoreFor, printProgress } from "../session.js";
import { createReloader, type Reloader } from "./reloader.js";
import { createTrainingProcess } from "./train-process.js";
import { watchKnowledge } from "./watch.js";

export interface LiveCore {
  readonly reloader: Reloader;
  /** Stops watching and any training under way. */
  stop(): void;
  /** Stops the encoder's threads: only once no update is being answered any more. */
  close(): Promise<void>;
}

/**
 * The engine the bot answers with, and its reloads: on SIGHUP, on file changes when watching,
 * and on request (/reload). A reload that needs a new model trains it in a child process, so
 * the bot goes on answering with the current knowledge base until the new one is ready.
 */
export async function startLiveCore(options: { knowledgeDir: string; watch: boolean; logger: Logger; metrics: Metrics; encoderLanes?: number }): Promise<LiveCore> {
  const { knowledgeDir, logger, metrics } = options;
  const onError = (error: unknown) => logger.error("matcher failed; the patient got the fallback", { error: String(error) });
  const started = performance.now();
  const encoder = await loadBotEncoder({
    ...(options.encoderLanes !== undefined ? { lanes: options.encoderLanes } : {}),
    onLaneFailure: (error) => {
      logger.error("the sentence encoder's worker failed; embedding on the bot's thread from now on", { error: String(error) });
      metrics.encoderLaneFailed();
    },
  });
  const initial = await createCore(knowledgeDir, { encoder, progress: printProgress, onError });
  metrics.modelLoaded((performance.now() - started) / 1000);

  // Bundled, this module is part of dist/main.js, beside dist/cli/train.js.
  const trainer = createTrainingProcess(fileURLToPath(new URL("./cli/train.js", import.meta.url)));
  const reloader = createReloader({
    initial,
    logger,
    metrics,
    async load() {
      const kb = loadKnowledgeBase(knowledgeDir);
      if (!isModelCached(kb, encoder.id)) await trainer.train(knowledgeDir);
      // Never trains here: if the files changed again while the child trained, this fails and
      // the next change (or SIGHUP) reloads them.
      return createCoreFor(kb, { encoder, onError, cachedOnly: true });
    },
  });

  const onHangup = () => void reloader.reload("SIGHUP");
  process.on("SIGHUP", onHangup);
  const stopWatching = options.watch ? watchKnowledge(knowledgeDir, () => void reloader.reload("file change"), { logger }) : () => undefined;
  return {
    reloader,
    stop() {
      process.off("SIGHUP", onHangup);
      stopWatching();
      trainer.stop();
    },
    close: async () => encoder.close?.(),
  };
}
