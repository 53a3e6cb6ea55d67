import { KnowledgeBaseError, formatProblem } from "../knowledge/errors.js";
import { loadKnowledgeBase } from "../knowledge/load.js";
import { knowledgeBaseWarnings, summarize } from "../knowledge/report.js";
import { HelpRequested, knowledgeDirOf, parseCliArgs } from "./common.js";

const USAGE = "usage: npm run kb:check -- [DIR | --knowledge DIR]";

/**
 * `npm run kb:check -- [dir]` (or `--knowledge dir`, as `train` takes it): every problem on its
 * own line, or one summary line.
 */
function main(argv: readonly string[]): number {
  let dir: string;
  try {
    const { positional, values } = parseCliArgs(argv, { usage: USAGE, values: ["knowledge"] });
    if (positional.length > 1 || (positional.length === 1 && values.knowledge !== undefined)) throw new Error("one folder at most");
    dir = positional[0] ?? knowledgeDirOf(values);
  } catch (error) {
    if (error instanceof HelpRequested) {
      console.log(error.message);
      return 0;
    }
    console.error(`${(error as Error).message}. ${USAGE}`);
    return 2;
  }
  try {
    const kb = loadKnowledgeBase(dir);
    for (const warning of knowledgeBaseWarnings(kb)) console.warn(`warning: ${warning}`);
    console.log(summarize(kb));
    return 0;
  } catch (error) {
    if (error instanceof KnowledgeBaseError) {
      for (const problem of error.problems) console.error(formatProblem(problem));
      console.error(`${error.problems.length} problem${error.problems.length === 1 ? "" : "s"} in ${dir}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
