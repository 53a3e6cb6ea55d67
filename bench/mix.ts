/**
 * A realistic mix of the updates a Telegram FAQ bot receives, for the pipeline benchmark.
 *
 * How patients use this bot: a visit usually starts with /start or a greeting, browses through
 * the buttons the bot sends (topics, related questions under every answer, "did you mean"
 * choices, 👍/👎 under every answer), types a question or two in their own words and ends with
 * "thanks". Typed questions are mostly new: patients phrase things their own way, so the
 * sentence encoder has not seen the text before, and that is what costs (15-25 ms for a new
 * text, against well under a millisecond for a tap or a text seen recently). Greetings,
 * thanks and a few short common questions are typed the same way again and again.
 *
 * The shares below are per 20 updates. Free text is half of all updates, and half of that
 * (a quarter of all updates) is a question the bot has never seen; this is on the heavy side
 * for a bot whose every answer carries buttons, so the figure is not flattering.
 */
import { createRandom } from "./synthetic.js";

export const MIX = [
  // Free text: 10 of 20.
  { kind: "new-question", weight: 5, what: "a question the bot has never seen (patients' own phrasings from the project and development sets, then generated ones)" },
  { kind: "common-question", weight: 2, what: "a short common question typed the same way by many patients" },
  { kind: "smalltalk", weight: 3, what: "greetings, thanks, ok, bye" },
  // Taps on the bot's own buttons (callback data as create-bot.ts and feedback.ts make it): 7 of 20.
  { kind: "related", weight: 2, what: "a related question under an answer (e:<entry>)" },
  { kind: "topic", weight: 1, what: "a topic of the welcome or topics list (t:<topic>), or the topics button (topics)" },
  { kind: "did-you-mean", weight: 1, what: 'a "did you mean" choice (c:<entry>)' },
  { kind: "feedback", weight: 2, what: "👍 or 👎 under an answer (+:<entry>, -:<entry>)" },
  { kind: "surgeon", weight: 1, what: '"Talk to a surgeon" (surgeon)' },
  // Commands: 3 of 20.
  { kind: "start", weight: 1, what: "/start" },
  { kind: "help", weight: 1, what: "/help" },
  { kind: "tips", weight: 1, what: "/tips" },
] as const;

export type MixKind = (typeof MIX)[number]["kind"];

export const SMALLTALK = ["hi", "hello", "thanks", "thank you", "thank you so much", "ok", "okay thanks", "good morning", "bye", "thanks doc"];
export const COMMON_QUESTIONS = [
  "how long is recovery",
  "why are my hips uneven",
  "when will i see the final result",
  "is it safe",
  "how much does it cost",
  "can i sit after surgery",
  "is swelling normal",
  "do i need a revision",
];

/** Shares of the mix, for the report: free text, button taps and commands, and new questions alone. */
export function mixShares(): { freeText: number; buttons: number; commands: number; newQuestions: number } {
  const total = MIX.reduce((sum, item) => sum + item.weight, 0);
  const share = (kinds: readonly MixKind[]) => MIX.filter((item) => kinds.includes(item.kind)).reduce((sum, item) => sum + item.weight, 0) / total;
  return {
    freeText: share(["new-question", "common-question", "smalltalk"]),
    buttons: share(["related", "topic", "did-you-mean", "feedback", "surgeon"]),
    commands: share(["start", "help", "tips"]),
    newQuestions: share(["new-question"]),
  };
}

export interface MixContext {
  readonly entryIds: readonly string[];
  readonly topicIds: readonly string[];
  /** Texts never sent before, consumed one per new question. */
  readonly newQuestions: Iterator<string>;
}

export type MixUpdate = { readonly kind: MixKind } & (
  | { readonly text: string; readonly command?: boolean }
  | { readonly data: string; readonly keyboard: { text: string; callback_data: string }[][] }
);

/** An endless, seeded stream of updates in the proportions of MIX (drawn at random, not in a fixed pattern). */
export function* mixedUpdates(context: MixContext, seed = 17): Generator<MixUpdate> {
  const random = createRandom(seed);
  const total = MIX.reduce((sum, item) => sum + item.weight, 0);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  for (;;) {
    let draw = random() * total;
    const kind = MIX.find((item) => (draw -= item.weight) < 0)?.kind ?? "new-question";
    const entry = pick(context.entryIds);
    // The keyboard of an answer as the bot sends it: related questions, the surgeon, 👍/👎.
    const answerKeyboard = [
      ...context.entryIds.slice(0, 3).map((id) => [{ text: id, callback_data: `e:${id}` }]),
      [{ text: "Talk to a surgeon", callback_data: "surgeon" }],
      [{ text: "👍", callback_data: `+:${entry}` }, { text: "👎", callback_data: `-:${entry}` }],
    ];
    switch (kind) {
      case "new-question": {
        const next = context.newQuestions.next();
        if (next.done) throw new Error("the benchmark ran out of new questions");
        yield { kind, text: next.value };
        break;
      }
      case "common-question":
        yield { kind, text: pick(COMMON_QUESTIONS) };
        break;
      case "smalltalk":
        yield { kind, text: pick(SMALLTALK) };
        break;
      case "related":
        yield { kind, data: `e:${entry}`, keyboard: answerKeyboard };
        break;
      case "topic":
        yield { kind, data: random() < 0.8 ? `t:${pick(context.topicIds)}` : "topics", keyboard: [] };
        break;
      case "did-you-mean":
        yield { kind, data: `c:${entry}`, keyboard: [] };
        break;
      case "feedback":
        yield { kind, data: `${random() < 0.8 ? "+" : "-"}:${entry}`, keyboard: answerKeyboard };
        break;
      case "surgeon":
        yield { kind, data: "surgeon", keyboard: answerKeyboard };
        break;
      case "start":
      case "help":
      case "tips":
        yield { kind, text: `/${kind}`, command: true };
        break;
    }
  }
}
