import { KnowledgeBaseError, formatProblem } from "../knowledge/errors.js";
import { loadKnowledgeBase } from "../knowledge/load.js";
import { knowledgeBaseWarnings, summarize } from "../knowledge/report.js";

/** `npm run kb:check -- [dir]`: every problem on its own line, or one summary line. */
function main(argv: readonly string[]): number {
  const dir = argv[0] ?? "knowledge";
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
