import type { Assistant, Reply } from "../assistant.js";
import type { Entry } from "../knowledge/types.js";

/** What pressing a button does. Front ends encode it (callback data, a number to type). */
export type Action =
  | { readonly type: "entry"; readonly id: string; /** Picked from a "did you mean" list (counted apart). */ readonly choice?: true }
  | { readonly type: "topic"; readonly id: string }
  | { readonly type: "topics" }
  | { readonly type: "surgeon" }
  | { readonly type: "url"; readonly url: string };

/** What a button other than a link does: these are the ones a front end must handle itself. */
export type InAppAction = Exclude<Action, { readonly type: "url" }>;

export interface Button {
  readonly label: string;
  readonly action: Action;
}

/** A stretch of bold text, in UTF-16 code units as Telegram's entities count them. */
export interface BoldRange {
  readonly offset: number;
  readonly length: number;
}

/** A message as every front end shows it: the same text, bold ranges and buttons (one per row). */
export interface OutgoingMessage {
  readonly text: string;
  readonly bold: readonly BoldRange[];
  readonly buttons: readonly Button[];
}

/**
 * Turns the knowledge base's light markup (`**bold**`) into plain text plus bold ranges.
 * Nothing else is special: `<`, `&`, `_` and single `*` stay as they are.
 */
export function parseEmphasis(source: string): { text: string; bold: BoldRange[] } {
  const bold: BoldRange[] = [];
  let text = "";
  let rest = source;
  for (;;) {
    const open = rest.indexOf("**");
    const close = open < 0 ? -1 : rest.indexOf("**", open + 2);
    if (close < 0) break;
    text += rest.slice(0, open);
    const inner = rest.slice(open + 2, close);
    if (inner.length > 0) bold.push({ offset: text.length, length: inner.length });
    text += inner;
    rest = rest.slice(close + 2);
  }
  return { text: text + rest, bold };
}

function message(source: string, buttons: readonly Button[] = []): OutgoingMessage {
  return { ...parseEmphasis(source), buttons };
}

/** Joins message parts with a blank line, keeping each part's bold ranges in place. */
function joined(parts: readonly string[], buttons: readonly Button[] = []): OutgoingMessage {
  return message(parts.filter((part) => part.trim() !== "").join("\n\n"), buttons);
}

/** Builds every message the bot sends, from the assistant's replies and lookups. Pure. */
export interface Presenter {
  reply(reply: Reply): OutgoingMessage;
  welcome(): OutgoingMessage;
  help(): OutgoingMessage;
  topics(): OutgoingMessage;
  /** The questions of one topic, or undefined if the topic no longer exists. */
  topic(id: string): OutgoingMessage | undefined;
  /** The answer of one entry (a button press or a deep link), or undefined if it no longer exists. */
  entry(id: string): OutgoingMessage | undefined;
  tips(): OutgoingMessage;
  surgeon(): OutgoingMessage;
  nonText(): OutgoingMessage;
  slowDown(): OutgoingMessage;
  staleButton(): OutgoingMessage;
}

export function createPresenter(assistant: Assistant): Presenter {
  const { texts, clinic } = assistant;
  const surgeonButton: Button = { label: texts.talk_to_surgeon, action: { type: "surgeon" } };
  const topicsButton: Button = { label: texts.topics_button, action: { type: "topics" } };
  const entryButton = (entry: Entry): Button => ({ label: entry.title, action: { type: "entry", id: entry.id } });
  const choiceButton = (entry: Entry): Button => ({ label: entry.title, action: { type: "entry", id: entry.id, choice: true } });
  const topicButtons = (): Button[] =>
    assistant.topics.map((topic) => ({ label: topic.title, action: { type: "topic", id: topic.id } }));

  const urgentReplies = new Map(texts.urgent_for_signs.map(({ sign, text }) => [sign, text]));

  const answer = (entry: Entry, related: readonly Entry[]) => message(entry.answer, [...related.map(entryButton), surgeonButton]);

  return {
    reply(reply) {
      switch (reply.kind) {
        case "answer":
          return answer(reply.entry, reply.related);
        case "clarify":
          return message(texts.clarify, [...reply.options.map(choiceButton), topicsButton]);
        case "fallback":
          if (reply.reason === "empty") return joined([texts.empty, reply.signsNamed ? texts.signs_named : ""], [topicsButton]);
          if (reply.reason === "other-language") return message(texts.other_language, [surgeonButton]);
          return joined([texts.fallback, reply.signsNamed ? texts.signs_named : ""], [...topicButtons(), surgeonButton]);
        case "urgent": {
          // Nothing may distract from the one instruction: no FAQ buttons.
          // A sign with a reply of its own (texts.yaml, urgent_for_signs) gets it, whichever sign came first.
          const sign = [reply.redFlag, ...(reply.otherSigns ?? [])].find((name) => urgentReplies.has(name));
          return message(sign !== undefined ? urgentReplies.get(sign)! : texts.urgent);
        }
        case "smalltalk":
          return joined([texts.smalltalk[reply.smalltalk], reply.signsNamed ? texts.signs_named : ""], reply.smalltalk === "greeting" ? topicButtons() : []);
      }
    },
    welcome: () => joined([texts.welcome, texts.disclaimer], topicButtons()),
    help: () => message(texts.help, [topicsButton, surgeonButton]),
    topics: () => message(texts.topics_heading, topicButtons()),
    topic(id) {
      const topic = assistant.topic(id);
      if (!topic) return undefined;
      return message(`**${topic.title}**`, [...assistant.entriesOf(id).map(entryButton), topicsButton]);
    },
    entry(id) {
      const entry = assistant.entry(id);
      return entry ? answer(entry, assistant.related(entry)) : undefined;
    },
    tips: () => message([texts.tips_heading, ...assistant.tips.map((tip) => `• ${tip.text}`)].join("\n"), [surgeonButton]),
    surgeon() {
      const contact = [`**${clinic.name}**`, `Phone: ${clinic.phone}`, `Website: ${clinic.website}`, `Booking: ${clinic.booking_url}`];
      return joined([clinic.intro, contact.join("\n"), clinic.certification_advice], [
        { label: texts.website_button, action: { type: "url", url: clinic.website } },
        { label: texts.booking_button, action: { type: "url", url: clinic.booking_url } },
      ]);
    },
    nonText: () => message(texts.non_text, [topicsButton]),
    slowDown: () => message(texts.slow_down),
    staleButton: () => message(texts.stale_button, [topicsButton]),
  };
}
