import type { InAppAction, OutgoingMessage } from "./message.js";

const BOLD = "\u001b[1m";
const RESET = "\u001b[22m";

/** A message as the terminal shows it, and the actions its numbered choices stand for. */
export interface TerminalView {
  readonly output: string;
  readonly choices: readonly InAppAction[];
}

/** Renders a message for the terminal: bold as ANSI bold (when colour is on), buttons as numbered choices. */
export function renderForTerminal(message: OutgoingMessage, options: { color: boolean }): TerminalView {
  let text = "";
  let at = 0;
  for (const range of message.bold) {
    text += message.text.slice(at, range.offset);
    const inner = message.text.slice(range.offset, range.offset + range.length);
    text += options.color ? `${BOLD}${inner}${RESET}` : inner;
    at = range.offset + range.length;
  }
  text += message.text.slice(at);

  const choices: InAppAction[] = [];
  const lines: string[] = [];
  for (const button of message.buttons) {
    if (button.action.type === "url") {
      lines.push(`   ${button.label}: ${button.action.url}`);
    } else {
      choices.push(button.action);
      lines.push(`  ${choices.length}) ${button.label}`);
    }
  }
  return { output: lines.length > 0 ? `${text}\n\n${lines.join("\n")}` : text, choices };
}
