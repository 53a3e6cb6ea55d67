import { createInterface } from "node:readline";
import { renderForTerminal } from "../render/terminal.js";
import type { InAppAction, OutgoingMessage } from "../render/message.js";
import { actionMessage, createCore, printProgress, replyToCommand } from "../session.js";
import { knowledgeDirOf, parseCliArgs, runCli } from "./common.js";

const USAGE = "usage: npm run chat [-- --knowledge DIR]";

/**
 * `npm run chat`: the bot in the terminal, on the same engine and texts as Telegram.
 * Buttons become numbered choices; type the number to press one. Ends at end of input.
 */
runCli(async () => {
  const { positional, values } = parseCliArgs(process.argv.slice(2), { usage: USAGE, values: ["knowledge"] });
  if (positional.length > 0) throw new Error(USAGE);
  const { assistant, presenter } = await createCore(knowledgeDirOf(values), { progress: printProgress });
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  let choices: readonly InAppAction[] = [];

  const show = (message: OutgoingMessage) => {
    const view = renderForTerminal(message, { color });
    choices = view.choices;
    process.stdout.write(`\n${view.output}\n\n`);
  };

  const lines = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive, prompt: "you> " });
  show(replyToCommand(presenter, "start"));
  if (interactive) {
    process.stdout.write("(Type a question, a number to pick a choice, or a command: /topics /tips /surgeon /help. Ctrl+D quits.)\n\n");
    lines.prompt();
  }

  for await (const line of lines) {
    const input = line.trim();
    const command = /^\/(\w+)(?:@\w+)?(?:\s+(.*))?$/.exec(input);
    const number = /^\d{1,2}$/.test(input) ? Number(input) : undefined;
    const choice = number !== undefined ? choices[number - 1] : undefined;
    if (command) {
      show(replyToCommand(presenter, command[1]!, command[2]?.trim()));
    } else if (choice) {
      show(actionMessage(presenter, choice));
    } else if (number !== undefined) {
      // A number is a choice only while choices are shown: say so rather than guess.
      process.stdout.write(`\n${choices.length ? `Pick a number from 1 to ${choices.length}, or type your question in words.` : "There are no choices to pick right now. Type your question in words."}\n\n`);
    } else {
      show(presenter.reply(await assistant.reply(line)));
    }
    if (interactive) lines.prompt();
  }
  return 0;
});
