import type { Reply } from "../assistant.js";
import { renderForTerminal } from "../render/terminal.js";
import { createCore, printProgress } from "../session.js";
import { knowledgeDirOf, parseCliArgs, runCli } from "./common.js";

const USAGE = 'usage: npm run ask -- "your question" [--json] [--knowledge DIR]';

/** The machine-readable form of a reply; `text` is exactly what the Telegram bot sends. */
function replySummary(reply: Reply, text: string) {
  return {
    kind: reply.kind,
    ...(reply.kind === "answer" ? { entryId: reply.entry.id } : {}),
    ...(reply.kind === "clarify" ? { options: reply.options.map((entry) => entry.id) } : {}),
    ...(reply.kind === "answer" || reply.kind === "clarify" ? { confidence: reply.confidence } : {}),
    text,
  };
}

/** `npm run ask -- "question" [--json]`: answers one question and exits. */
runCli(async () => {
  const { positional, flags, values } = parseCliArgs(process.argv.slice(2), { usage: USAGE, flags: ["json"], values: ["knowledge"] });
  if (positional.length === 0) throw new Error(USAGE);
  const { assistant, presenter } = await createCore(knowledgeDirOf(values), { progress: printProgress });
  const reply = await assistant.reply(positional.join(" "));
  const message = presenter.reply(reply);
  if (flags.json) {
    console.log(JSON.stringify(replySummary(reply, message.text)));
  } else {
    console.log(renderForTerminal(message, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }).output);
  }
  return 0;
});
