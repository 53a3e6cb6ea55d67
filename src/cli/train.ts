import { loadUniversalSentenceEncoder } from "../encoders/universal-sentence-encoder.js";
import { loadKnowledgeBase } from "../knowledge/load.js";
import { loadOrTrainModel, modelCacheDir } from "../matching/model/cache.js";
import { crossValidationReport } from "../matching/model/cross-validation.js";
import { printProgress } from "../session.js";
import { knowledgeDirOf, parseCliArgs, runCli } from "./common.js";

const USAGE = "usage: npm run train [-- --knowledge DIR]";

/**
 * `npm run train`: trains the matcher for the knowledge base now (or finds it in the cache),
 * so that the next `npm start`, `chat` or `ask` starts at once. Prints one summary line.
 */
runCli(async () => {
  const { positional, values } = parseCliArgs(process.argv.slice(2), { usage: USAGE, values: ["knowledge"] });
  if (positional.length > 0) throw new Error(USAGE);
  const kb = loadKnowledgeBase(knowledgeDirOf(values));
  const started = Date.now();
  const model = await loadOrTrainModel(kb, await loadUniversalSentenceEncoder(), { progress: printProgress });
  const report = crossValidationReport(model, kb.settings.matcher);
  console.log(
    `model ready in ${((Date.now() - started) / 1000).toFixed(1)} s (cache: ${modelCacheDir()}); ` +
      `held-out accuracy ${report.accuracy.toFixed(3)}, wrong rate ${report.wrongRate.toFixed(3)}, urgent recall ${report.urgent.recall.toFixed(3)}`,
  );
  return 0;
});
