import { createAssistant, type Assistant } from "./assistant.js";
import { loadUniversalSentenceEncoder } from "./encoders/universal-sentence-encoder.js";
import { DEFAULT_KNOWLEDGE_DIR } from "./config.js";
import { loadKnowledgeBaseCached } from "./knowledge/snapshot.js";
import type { KnowledgeBase } from "./knowledge/types.js";
import { loadOrTrainModel } from "./matching/model/cache.js";
import type { SentenceEncoder } from "./matching/model/encoder.js";
import { createHybridScorer } from "./matching/model/hybrid.js";
import type { Progress } from "./matching/model/train.js";
import { createPresenter, type InAppAction, type OutgoingMessage, type Presenter } from "./render/message.js";

/** The commands both front ends understand, with the description Telegram's menu shows. */
export const COMMANDS = [
  { command: "start", description: "Welcome and topics" },
  { command: "topics", description: "Browse the questions I can answer" },
  { command: "tips", description: "Recovery tips for your hips" },
  { command: "surgeon", description: "Reach a board-certified plastic surgeon" },
  { command: "help", description: "How to use this bot" },
] as const;

export type CommandName = (typeof COMMANDS)[number]["command"];

/** The pure core both front ends run on: the engine and the messages it is shown with. */
export interface Core {
  readonly assistant: Assistant;
  readonly presenter: Presenter;
}

export interface CoreOptions {
  /** An encoder already loaded (tests share one); by default the Universal Sentence Encoder is loaded. */
  readonly encoder?: SentenceEncoder;
  /** Where training reports its steps; a cached model reports nothing. */
  readonly progress?: Progress;
  readonly cacheDir?: string;
  /** Told when the trained model fails on a message. */
  readonly onError?: (error: unknown) => void;
  /** Use a model from the cache only; never train (see loadOrTrainModel). */
  readonly cachedOnly?: boolean;
}

/** Loads the knowledge base and the model trained from it (training it first if the cache has none). */
export async function createCore(knowledgeDir: string = DEFAULT_KNOWLEDGE_DIR, options: CoreOptions = {}): Promise<Core> {
  return createCoreFor(loadKnowledgeBaseCached(knowledgeDir), options);
}

export async function createCoreFor(kb: KnowledgeBase, options: CoreOptions = {}): Promise<Core> {
  const encoder = options.encoder ?? (await loadUniversalSentenceEncoder());
  const model = await loadOrTrainModel(kb, encoder, {
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
    ...(options.cachedOnly ? { cachedOnly: true } : {}),
  });
  const assistant = createAssistant(kb, createHybridScorer(model, encoder), options.onError ? { onError: options.onError } : {});
  return { assistant, presenter: createPresenter(assistant) };
}

/** Training progress for command-line programs: on standard error, so standard output stays clean. */
export const printProgress: Progress = (message) => process.stderr.write(`training the matcher: ${message}\n`);

/** The message a command shows; `/start <entry-id>` opens that answer directly. */
export function commandMessage(presenter: Presenter, command: CommandName, payload = ""): OutgoingMessage {
  switch (command) {
    case "start":
      return (payload && presenter.entry(payload)) || presenter.welcome();
    case "topics":
      return presenter.topics();
    case "tips":
      return presenter.tips();
    case "surgeon":
      return presenter.surgeon();
    case "help":
      return presenter.help();
  }
}

/** The message a button shows, or the "out of date" note when its entry or topic is gone. */
export function actionMessage(presenter: Presenter, action: InAppAction): OutgoingMessage {
  switch (action.type) {
    case "entry":
      return presenter.entry(action.id) ?? presenter.staleButton();
    case "topic":
      return presenter.topic(action.id) ?? presenter.staleButton();
    case "topics":
      return presenter.topics();
    case "surgeon":
      return presenter.surgeon();
  }
}

/** The reply to any command, known or not: an unknown one gets the help text, in every front end. */
export function replyToCommand(presenter: Presenter, name: string, payload = ""): OutgoingMessage {
  const command = name.toLowerCase();
  return isCommandName(command) ? commandMessage(presenter, command, payload) : presenter.help();
}

function isCommandName(name: string): name is CommandName {
  return COMMANDS.some((command) => command.command === name);
}
