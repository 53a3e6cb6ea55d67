/** One thing wrong with the knowledge base, with where it is and how to fix it. */
export interface Problem {
  /** Path of the file, as given to the loader (relative paths stay relative). */
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Id of the entry the problem is in, when it is in one. */
  readonly entryId?: string;
  readonly message: string;
  readonly fix: string;
}

/** `file:line:col: [entry-id] what is wrong. How to fix it.` */
export function formatProblem(problem: Problem): string {
  const where = `${problem.file}:${problem.line}:${problem.col}`;
  const entry = problem.entryId ? ` [${problem.entryId}]` : "";
  return `${where}:${entry} ${problem.message}. ${problem.fix}`;
}

/** Thrown by `loadKnowledgeBase` with every problem found, not just the first. */
export class KnowledgeBaseError extends Error {
  override readonly name = "KnowledgeBaseError";
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(`The knowledge base has ${count}:\n${problems.map(formatProblem).join("\n")}`);
    this.problems = problems;
  }
}

/** Texts of the problems the loader reports; tests assert on these same functions. */
export const messages = {
  yamlSyntax: (detail: string) => `YAML syntax error: ${detail}`,
  tabIndent: "line is indented with a tab",
  fileMissing: (name: string) => `the file ${name} is missing`,
  noEntryFiles: "no entry files found",
  emptyFile: (name: string) => `the file ${name} is empty`,
  unknownKey: (key: string, suggestion?: string) =>
    `unknown key "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`,
  missingField: (key: string) => `missing field "${key}"`,
  emptyField: (key: string) => `field "${key}" is empty`,
  wrongType: (key: string, expected: string) => `field "${key}" must be ${expected}`,
  outOfRange: (key: string, min: number, max: number) => `field "${key}" must be between ${min} and ${max}`,
  duplicateId: (id: string, firstAt: string) => `duplicate id "${id}" (first defined at ${firstAt})`,
  idNotKebab: (id: string) => `id "${id}" is not kebab-case`,
  idTooLong: (id: string, bytes: number, max: number) =>
    `id "${id}" is ${bytes} bytes; ids may have at most ${max} so buttons fit Telegram's 64-byte callback data`,
  unknownRelated: (id: string) => `related id "${id}" does not exist`,
  relatedSelf: (id: string) => `entry lists itself ("${id}") as related`,
  unknownTopic: (id: string) => `topic "${id}" does not exist`,
  sourceOutOfRange: (paragraph: number, max: number) =>
    `source paragraph ${paragraph} is outside the article's numbering [1]..[${max}]`,
  answerTooLong: (length: number, max: number) => `answer is ${length} characters; at most ${max} allowed`,
  textTooLong: (key: string, length: number, max: number) =>
    `"${key}" is ${length} characters; Telegram allows at most ${max} in one message`,
  duplicateAlternate: (text: string, otherId: string) => `"${text}" is also listed under entry "${otherId}"`,
  duplicateExample: (text: string, owner: string) => `example "${text}" is already listed (${owner})`,
  unreadable: (what: string) => `is ${what}, not a file the loader can read`,
  tooLarge: (bytes: number, max: number) => `is ${bytes} bytes; a knowledge-base file may have at most ${max}`,
  knowledgeBaseTooLarge: (max: number) => `takes the knowledge base over ${max} bytes in all`,
  notUtf8: (byte: number) => `has a byte (0x${byte.toString(16).padStart(2, "0")}) that is not UTF-8 here`,
  controlCharacter: (code: number) => `has a control character (U+${code.toString(16).toUpperCase().padStart(4, "0")}) that patients would receive`,
  yamlAlias: "uses a YAML anchor or alias (&name or *name)",
  folderMissing: "the knowledge-base folder does not exist (or is not a folder)",
  reservedId: (id: string) => `entry id "${id}" is reserved: the matcher and the evaluation sets use it for a reply kind`,
  requiredEntryMissing: (id: string) => `required entry "${id}" is missing`,
  synonymInTwoGroups: (word: string, first: string) => `"${word}" is already in the synonym group of "${first}"`,
  notAUrl: (key: string) => `field "${key}" must be an http(s) URL`,
  thresholdOrder: "suggestion_threshold must not be above confidence_threshold",
  phraseHasNoWords: (phrase: string) => `"${phrase}" has no words the matcher can use`,
  unknownRedFlag: (name: string) => `"${name}" is not the name of one of red_flags`,
  secondUrgentReply: (name: string) => `"${name}" already has an urgent reply above`,
  rangeOrder: (from: number, to: number) => `the range ${from} to ${to} is empty: "to" must be above "from"`,
} as const;

export const fixes = {
  yamlSyntax: "Fix the YAML at this position: indent with spaces (never tabs), and quote text that contains ': ' or starts with a special character",
  tabIndent: "YAML allows only spaces for indentation: replace the tab with spaces",
  fileMissing: "Restore the file from the repository, or copy it from the shipped knowledge/ folder",
  emptyFile: "Restore its content from the repository",
  noEntryFiles: "Put entries in .yaml files under entries/",
  unknownKey: (allowed: readonly string[]) => `Rename or remove it; the keys allowed here are ${allowed.join(", ")}`,
  missingField: "Add it",
  emptyField: "Give it a value",
  wrongType: "Change the value to the expected type",
  outOfRange: "Change the value",
  duplicateId: "Give each entry its own id",
  idNotKebab: "Use lowercase letters, digits and single hyphens, e.g. revision-timing",
  idTooLong: "Shorten the id",
  unknownRelated: "Use the id of an existing entry, or remove it",
  relatedSelf: "Remove it from related",
  unknownTopic: "Use one of the ids in topics.yaml, or add the topic there",
  sourceOutOfRange: "Cite the paragraph numbers of the article the answer rests on",
  answerTooLong: "Shorten the answer, or split it into two entries",
  textTooLong: "Shorten the text",
  duplicateAlternate: "Keep it under one entry only, so the bot knows which answer it belongs to",
  duplicateExample: "Keep each example message in one place only, so the matcher learns one outcome for it",
  unreadable: "Make it a regular YAML file (a link to one is fine)",
  tooLarge: "Split it up, or remove what patients never ask",
  notUtf8: "Save the file as UTF-8 (most editors: File > Save with encoding > UTF-8)",
  controlCharacter: "Delete the invisible character; retype the text around it if unsure",
  yamlAlias: "Write the text out in full where it is needed",
  folderMissing: "Check KNOWLEDGE_DIR, or run from the project folder",
  reservedId: "Choose another id",
  requiredEntryMissing: "Add the entry back; other parts of the product rely on its id",
  synonymInTwoGroups: "Keep each word in one synonym group",
  notAUrl: "Write a full address starting with https://",
  thresholdOrder: "Lower suggestion_threshold or raise confidence_threshold",
  phraseHasNoWords: "Write the phrase with letters or digits",
  unknownRedFlag: "Use the name of a red flag exactly as red_flags spells it",
  secondUrgentReply: "Keep one reply per sign: merge the two texts",
  rangeOrder: "Swap the two numbers, or widen the range",
} as const;
