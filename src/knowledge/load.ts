import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import type * as YamlModule from "yaml";
import type { Node } from "yaml";
import { editDistance } from "../matching/edit-distance.js";
import { stem } from "../matching/english/index.js";
import { readingTokens } from "../matching/readings.js";
import { comparable, words } from "../matching/text.js";
import { fixes, KnowledgeBaseError, messages, type Problem } from "./errors.js";
import {
  REQUIRED_ENTRY_IDS,
  SMALLTALK_KINDS,
  type Examples,
  type OutOfScopeGroup,
  type Clinic,
  type Entry,
  type KnowledgeBase,
  type Settings,
  type Texts,
  type Topic,
  type NotCurrentCues,
  type Vocabulary,
} from "./types.js";

// The yaml package is loaded on first use: a start-up served from the knowledge-base
// snapshot (see snapshot.ts) never needs it, and it is a sixth of a cold start.
let yamlModule: typeof YamlModule | undefined;
function yaml(): typeof YamlModule {
  return (yamlModule ??= createRequire(import.meta.url)("yaml") as typeof YamlModule);
}

/** Longest answer the knowledge base accepts, in characters. */
export const MAX_ANSWER_LENGTH = 1000;
/** Telegram's limit for one message's text. */
export const MAX_MESSAGE_LENGTH = 4096;
/** Longest id, in bytes: callback data is at most 64 bytes and needs room for a short prefix. */
export const MAX_ID_BYTES = 60;
const KEBAB_CASE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** The matcher's own outcomes besides the entries (evaluation sets use them too). */
const RESERVED_IDS: readonly string[] = ["out-of-scope", "smalltalk", "fallback", "urgent"];

/** The files a knowledge-base directory holds, besides the entry files. */
export const KNOWLEDGE_FILES = {
  settings: "settings.yaml",
  texts: "texts.yaml",
  clinic: "clinic.yaml",
  vocabulary: "vocabulary.yaml",
  topics: "topics.yaml",
  outOfScope: "examples/out-of-scope.yaml",
  urgent: "examples/urgent.yaml",
  smalltalkExamples: "examples/smalltalk.yaml",
} as const;
export const ENTRIES_DIR = "entries";

type Spec =
  | { type: "string" }
  | { type: "number"; min: number; max: number; integer?: boolean }
  /** An optional list reads as empty where its key is missing (a key added after clinics wrote their files). */
  | { type: "list"; of: Spec; optional?: true }
  | { type: "map"; fields: Record<string, Spec> };

const text: Spec = { type: "string" };
const textList: Spec = { type: "list", of: text };
const readingRange: Spec = { type: "map", fields: { from: { type: "number", min: 0, max: 1000 }, to: { type: "number", min: 0, max: 1000 } } };
const paragraphList: Spec = { type: "list", of: { type: "number", min: 1, max: 1000, integer: true } };

const entrySpec = {
  type: "map",
  fields: {
    id: text,
    topic: text,
    title: text,
    question: text,
    alternates: textList,
    answer: text,
    related: textList,
    source: paragraphList,
  },
} as const satisfies Spec;

const settingsSpec: Spec = {
  type: "map",
  fields: {
    source: {
      type: "map",
      fields: {
        title: text,
        paragraphs: { type: "number", min: 1, max: 1000, integer: true },
        cited_paragraphs: paragraphList,
      },
    },
    matcher: {
      type: "map",
      fields: {
        confidence_threshold: { type: "number", min: 0, max: 1 },
        suggestion_threshold: { type: "number", min: 0, max: 1 },
        max_message_chars: { type: "number", min: 50, max: 100_000, integer: true },
      },
    },
  },
};

const smalltalkFields = (of: Spec): Spec => ({
  type: "map",
  fields: { greeting: of, thanks: of, identity: of, bye: of, acknowledgement: of },
});

const textsSpec: Spec = {
  type: "map",
  fields: {
    welcome: text,
    help: text,
    disclaimer: text,
    fallback: text,
    clarify: text,
    signs_named: text,
    urgent: text,
    urgent_for_signs: { type: "list", optional: true, of: { type: "map", fields: { sign: text, text } } },
    empty: text,
    other_language: text,
    non_text: text,
    slow_down: text,
    stale_button: text,
    related_heading: text,
    topics_heading: text,
    talk_to_surgeon: text,
    topics_button: text,
    website_button: text,
    booking_button: text,
    tips_heading: text,
    tips: { type: "list", of: { type: "map", fields: { text, source: paragraphList } } },
    smalltalk: smalltalkFields(text),
  },
};

const clinicSpec: Spec = {
  type: "map",
  fields: { name: text, phone: text, website: text, booking_url: text, intro: text, certification_advice: text },
};

// Every list of not_current (the record makes the compiler check that none is left out).
const NOT_CURRENT_CUES = Object.keys({
  other_people: true,
  owners: true,
  having: true,
  having_verbs: true,
  first_person: true,
  third_person: true,
  surgery: true,
  over_signs: true,
  past_times: true,
  past_verbs: true,
  shared: true,
  fillers: true,
  over: true,
  over_subjects: true,
  over_links: true,
  over_followers: true,
  ongoing: true,
  ongoing_after_end: true,
  figures: true,
  figure_followers: true,
} satisfies Record<keyof NotCurrentCues, true>) as (keyof NotCurrentCues)[];

const vocabularySpec: Spec = {
  type: "map",
  fields: {
    synonyms: { type: "list", of: textList },
    red_flags: { type: "list", of: { type: "map", fields: { name: text, phrases: textList, other_languages: textList } } },
    red_flag_readings: {
      type: "list",
      of: {
        type: "map",
        fields: {
          name: text,
          words: textList,
          words_before_decimal: { type: "list", of: text, optional: true },
          ranges: { type: "list", of: readingRange },
          alone_with_decimal: { type: "list", of: readingRange, optional: true },
        },
      },
    },
    never_overruled: textList,
    negations: textList,
    negation_links: textList,
    negation_conjunctions: textList,
    near_negations: textList,
    not_current: {
      type: "map",
      fields: Object.fromEntries(NOT_CURRENT_CUES.map((name) => [name, textList])),
    },
    not_covered: { type: "list", of: { type: "map", fields: { topic: text, phrases: textList } } },
    smalltalk: smalltalkFields(textList),
    smalltalk_companions: textList,
    filler: textList,
  },
};

const outOfScopeSpec: Spec = { type: "list", of: { type: "map", fields: { topic: text, questions: textList } } };
const urgentSpec: Spec = { type: "map", fields: { urgent: textList, not_urgent: textList } };
const smalltalkExamplesSpec: Spec = smalltalkFields(textList);

const topicsSpec: Spec = { type: "list", of: { type: "map", fields: { id: text, title: text } } };

/** A parsed YAML file and the problems found in it so far. */
class SourceFile {
  readonly lines = new (yaml().LineCounter)();
  constructor(
    readonly path: string,
    readonly problems: Problem[],
  ) {}

  report(offset: number | undefined, message: string, fix: string, entryId?: string): void {
    const { line, col } = this.lines.linePos(offset ?? 0);
    this.problems.push({ file: this.path, line, col, message, fix, ...(entryId ? { entryId } : {}) });
  }

  reportAt(node: Node | null | undefined, message: string, fix: string, entryId?: string): void {
    this.report(node?.range?.[0], message, fix, entryId);
  }

  /** Nodes by dotted path ("matcher.confidence_threshold", "synonyms.3.1"), recorded while reading. */
  readonly nodes = new Map<string, Node>();

  reportPath(path: string, message: string, fix: string): void {
    this.reportAt(this.nodes.get(path), message, fix);
  }
}

/** Reads a node against a spec, reporting every mismatch; returns undefined where the value is unusable. */
function read(file: SourceFile, node: Node | null | undefined, spec: Spec, path: string, entryId?: string): unknown {
  if (node) file.nodes.set(path, node);
  const key = path.split(".").filter((part) => !/^\d+$/.test(part)).pop() ?? path;
  const child = (name: string | number) => (path === "" ? String(name) : `${path}.${name}`);
  switch (spec.type) {
    case "string": {
      if (!yaml().isScalar(node) || node.value === null || typeof node.value === "object") {
        file.reportAt(node, messages.wrongType(key, "text"), fixes.wrongType, entryId);
        return undefined;
      }
      const value = String(node.value).trim();
      if (value === "") {
        file.reportAt(node, messages.emptyField(key), fixes.emptyField, entryId);
        return undefined;
      }
      return value;
    }
    case "number": {
      if (!yaml().isScalar(node) || typeof node.value !== "number" || (spec.integer && !Number.isInteger(node.value))) {
        file.reportAt(node, messages.wrongType(key, spec.integer ? "a whole number" : "a number"), fixes.wrongType, entryId);
        return undefined;
      }
      if (node.value < spec.min || node.value > spec.max) {
        file.reportAt(node, messages.outOfRange(key, spec.min, spec.max), fixes.outOfRange, entryId);
        return undefined;
      }
      return node.value;
    }
    case "list": {
      if (!yaml().isSeq(node)) {
        file.reportAt(node, messages.wrongType(key, "a list"), fixes.wrongType, entryId);
        return undefined;
      }
      if (node.items.length === 0) {
        file.reportAt(node, messages.emptyField(key), fixes.emptyField, entryId);
        return undefined;
      }
      const items = node.items.map((item, index) => read(file, item as Node, spec.of, child(index), entryId));
      return items.some((item) => item === undefined) ? undefined : items;
    }
    case "map": {
      if (!yaml().isMap(node)) {
        file.reportAt(node, messages.wrongType(key, "a mapping of keys to values"), fixes.wrongType, entryId);
        return undefined;
      }
      const id = entryId ?? idOf(node);
      const result: Record<string, unknown> = {};
      let complete = true;
      const seen = new Set<string>();
      // A misspelt key is reported once, as unknown, not again as a missing field.
      const misspelt = new Set<string>();
      for (const pair of node.items) {
        const keyNode = pair.key as Node;
        const name = yaml().isScalar(keyNode) ? String(keyNode.value) : "";
        const fieldSpec = spec.fields[name];
        if (!fieldSpec) {
          const suggestion = closest(name, Object.keys(spec.fields));
          if (suggestion) misspelt.add(suggestion);
          file.reportAt(keyNode, messages.unknownKey(name, suggestion), fixes.unknownKey(Object.keys(spec.fields)), id);
          complete = false;
          continue;
        }
        seen.add(name);
        const value = read(file, pair.value as Node, fieldSpec, child(name), id);
        if (value === undefined) complete = false;
        result[name] = value;
      }
      for (const [name, fieldSpec] of Object.entries(spec.fields)) {
        if (seen.has(name) || misspelt.has(name)) continue;
        if (fieldSpec.type === "list" && fieldSpec.optional) {
          result[name] = [];
          continue;
        }
        file.reportAt(node, messages.missingField(name), fixes.missingField, id);
        complete = false;
      }
      return complete ? result : undefined;
    }
  }
}

function idOf(node: Node): string | undefined {
  if (!yaml().isMap(node)) return undefined;
  const id = node.get("id", true);
  return yaml().isScalar(id) && typeof id.value === "string" ? id.value : undefined;
}

/** The candidate closest to a misspelt key, if it is close enough to be what was meant. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** Largest knowledge-base file, and largest knowledge base, in bytes. */
export const MAX_FILE_BYTES = 2_000_000;
export const MAX_TOTAL_BYTES = 20_000_000;
// Control characters other than tab, newline and carriage return: never part of a text patients read.
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Byte offset of the first byte that is not valid UTF-8, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const byte = bytes[i]!;
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte < 0xe0 ? 2 : byte >= 0xe0 && byte < 0xf0 ? 3 : byte >= 0xf0 && byte < 0xf5 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += length;
  }
  return -1;
}

/** Line and column (1-based) of a byte offset. */
function positionOf(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

/**
 * Reads a knowledge-base file as strict UTF-8, only if it is a regular file (links followed)
 * within the size limits; reports what stands in the way and returns undefined then.
 */
function readSource(path: string, file: SourceFile, name: string, budget: { bytes: number }): string | undefined {
  const report = (message: string, fix: string, at = { line: 1, col: 1 }) => file.problems.push({ file: file.path, ...at, message, fix });
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") report(messages.fileMissing(name), fixes.fileMissing);
    else report(messages.unreadable(code === "ELOOP" ? "a link that loops" : String(code)), fixes.unreadable);
    return undefined;
  }
  if (!stats.isFile()) {
    report(messages.unreadable(stats.isDirectory() ? "a folder" : "not a regular file (a pipe, socket or device)"), fixes.unreadable);
    return undefined;
  }
  if (stats.size > MAX_FILE_BYTES) {
    report(messages.tooLarge(stats.size, MAX_FILE_BYTES), fixes.tooLarge);
    return undefined;
  }
  budget.bytes += stats.size;
  if (budget.bytes > MAX_TOTAL_BYTES) {
    report(messages.knowledgeBaseTooLarge(MAX_TOTAL_BYTES), fixes.tooLarge);
    return undefined;
  }
  const bytes = readFileSync(path);
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    report(messages.notUtf8(bytes[bad]!), fixes.notUtf8, positionOf(bytes, bad));
    return undefined;
  }
  const source = bytes.toString("utf8");
  const control = CONTROL_CHARACTER.exec(source);
  if (control) {
    report(messages.controlCharacter(control[0].charCodeAt(0)), fixes.controlCharacter, positionOf(bytes, Buffer.byteLength(source.slice(0, control.index))));
    return undefined;
  }
  return source;
}

function parseFile(dir: string, name: string, displayDir: string, problems: Problem[], budget: { bytes: number }) {
  const file = new SourceFile(join(displayDir, name), problems);
  const source = readSource(join(dir, name), file, name, budget);
  if (source === undefined) return { file, root: undefined };
  const document = yaml().parseDocument(source, { lineCounter: file.lines, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    // Later errors are mostly echoes of the first; a tab in the indentation is the usual cause.
    const tab = /^[ ]*\t/m.exec(source);
    if (tab) {
      file.report(tab.index + tab[0].length - 1, messages.tabIndent, fixes.tabIndent);
    } else {
      const error = document.errors[0]!;
      const firstLine = error.message.split("\n")[0] ?? error.message;
      file.report(error.pos[0], messages.yamlSyntax(firstLine.replace(/ at line \d+, column \d+:?$/, "")), fixes.yamlSyntax);
    }
    return { file, root: undefined };
  }
  if (document.contents === null) {
    file.report(0, messages.emptyFile(name), fixes.emptyFile);
    return { file, root: undefined };
  }
  // An alias repeats a text under another name: clinic staff editing one copy would not see the other.
  let shared = false;
  yaml().visit(document, {
    Alias(_, node) {
      shared = true;
      file.reportAt(node, messages.yamlAlias, fixes.yamlAlias);
    },
    Node(_, node) {
      if (node.anchor) {
        shared = true;
        file.reportAt(node, messages.yamlAlias, fixes.yamlAlias);
      }
    },
  });
  if (shared) return { file, root: undefined };
  return { file, root: document.contents as Node };
}

interface LoadedEntry {
  entry: Entry;
  file: SourceFile;
  node: Node;
}

/**
 * Loads and validates the knowledge base in `dir`.
 * Returns a deeply frozen value, or throws one `KnowledgeBaseError` listing every problem found.
 * `displayDir` is how `dir` is named in problem locations (default: `dir` itself).
 */
export function loadKnowledgeBase(dir: string, displayDir: string = dir): KnowledgeBase {
  const problems: Problem[] = [];
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new KnowledgeBaseError([{ file: displayDir, line: 1, col: 1, message: messages.folderMissing, fix: fixes.folderMissing }]);
  }
  const budget = { bytes: 0 };
  const readWhole = (name: string, spec: Spec) => {
    const { file, root } = parseFile(dir, name, displayDir, problems, budget);
    if (root === undefined) return { file, value: undefined };
    return { file, value: read(file, root, spec, "") };
  };

  const settings = readWhole(KNOWLEDGE_FILES.settings, settingsSpec);
  const texts = readWhole(KNOWLEDGE_FILES.texts, textsSpec);
  const clinic = readWhole(KNOWLEDGE_FILES.clinic, clinicSpec);
  const vocabulary = readWhole(KNOWLEDGE_FILES.vocabulary, vocabularySpec);
  const topics = readWhole(KNOWLEDGE_FILES.topics, topicsSpec);
  const outOfScope = readWhole(KNOWLEDGE_FILES.outOfScope, outOfScopeSpec);
  const urgent = readWhole(KNOWLEDGE_FILES.urgent, urgentSpec);
  const smalltalkExamples = readWhole(KNOWLEDGE_FILES.smalltalkExamples, smalltalkExamplesSpec);
  const { entries, ids: entryIds, complete: allEntriesRead } = readEntries(dir, displayDir, problems, budget);

  // Checked against even when another setting is broken, so source problems are not hidden.
  const paragraphsNode = settings.file.nodes.get("source.paragraphs");
  const paragraphCount =
    yaml().isScalar(paragraphsNode) && Number.isInteger(paragraphsNode.value) ? (paragraphsNode.value as number) : undefined;
  const topicIds = new Set(((topics.value as Topic[] | undefined) ?? []).map((topic) => topic.id));

  checkEntries(entries, allEntriesRead ? entryIds : undefined, topics.value ? topicIds : undefined, paragraphCount);
  checkSettings(settings.file, settings.value as Settings | undefined);
  checkTexts(texts.file, texts.value as Texts | undefined, paragraphCount);
  checkClinic(clinic.file, clinic.value as Clinic | undefined);
  checkVocabulary(vocabulary.file, vocabulary.value as Vocabulary | undefined);
  if (texts.value && vocabulary.value) checkUrgentForSigns(texts.file, texts.value as Texts, vocabulary.value as Vocabulary);
  checkExamples(entries, [
    { file: outOfScope.file, texts: ((outOfScope.value as OutOfScopeGroup[] | undefined) ?? []).flatMap((group, index) => group.questions.map((text, item) => ({ text, path: `${index}.questions.${item}` }))) },
    ...(["urgent", "not_urgent"] as const).map((key) => ({
      file: urgent.file,
      texts: ((urgent.value as Record<string, string[]> | undefined)?.[key] ?? []).map((text, item) => ({ text, path: `${key}.${item}` })),
    })),
    ...SMALLTALK_KINDS.map((kind) => ({
      file: smalltalkExamples.file,
      texts: ((smalltalkExamples.value as Record<string, string[]> | undefined)?.[kind] ?? []).map((text, item) => ({ text, path: `${kind}.${item}` })),
    })),
  ]);
  checkTopics(topics.file, topics.value as Topic[] | undefined);
  const entriesFolder = join(displayDir, ENTRIES_DIR);
  for (const id of REQUIRED_ENTRY_IDS) {
    if (allEntriesRead && !entryIds.has(id)) {
      problems.push({ file: entriesFolder, line: 1, col: 1, message: messages.requiredEntryMissing(id), fix: fixes.requiredEntryMissing });
    }
  }

  if (problems.length > 0) throw new KnowledgeBaseError(problems);
  return deepFreeze({
    dir,
    settings: settings.value as Settings,
    texts: texts.value as Texts,
    clinic: clinic.value as Clinic,
    vocabulary: vocabulary.value as Vocabulary,
    topics: topics.value as Topic[],
    entries: entries.map(({ entry }) => entry),
    examples: {
      out_of_scope: outOfScope.value as OutOfScopeGroup[],
      ...(urgent.value as Pick<Examples, "urgent" | "not_urgent">),
      smalltalk: smalltalkExamples.value as Examples["smalltalk"],
    },
  });
}

/**
 * Every entry of every file under entries/. `complete` is false where a file could not be read as
 * a list (a YAML syntax error, say): its ids are then unknown, and checks against all ids would
 * only echo that one problem.
 */
function readEntries(dir: string, displayDir: string, problems: Problem[], budget: { bytes: number }): { entries: LoadedEntry[]; ids: Set<string>; complete: boolean } {
  const entriesDir = join(dir, ENTRIES_DIR);
  const names = existsSync(entriesDir)
    ? readdirSync(entriesDir).filter((name) => /\.ya?ml$/.test(name)).sort()
    : [];
  if (names.length === 0) {
    problems.push({ file: join(displayDir, ENTRIES_DIR), line: 1, col: 1, message: messages.noEntryFiles, fix: fixes.noEntryFiles });
  }
  const loaded: LoadedEntry[] = [];
  // Ids of every entry, valid or not, so one broken entry does not make its id look missing elsewhere.
  const ids = new Set<string>();
  let complete = true;
  for (const name of names) {
    const { file, root } = parseFile(dir, join(ENTRIES_DIR, name), displayDir, problems, budget);
    if (root === undefined) {
      complete = false;
      continue;
    }
    if (!yaml().isSeq(root)) {
      file.reportAt(root, messages.wrongType("entries", "a list of entries"), fixes.wrongType);
      complete = false;
      continue;
    }
    for (const item of root.items) {
      const id = idOf(item as Node);
      if (id !== undefined) ids.add(id);
      const entry = read(file, item as Node, entrySpec, "", idOf(item as Node)) as Entry | undefined;
      if (entry) loaded.push({ entry, file, node: item as Node });
    }
  }
  return { entries: loaded, ids, complete };
}

function fieldNode(node: Node, key: string): Node | undefined {
  return yaml().isMap(node) ? ((node.get(key, true) as Node | undefined) ?? undefined) : undefined;
}

function itemNode(node: Node, key: string, index: number): Node | undefined {
  const list = fieldNode(node, key);
  return yaml().isSeq(list) ? (list.items[index] as Node | undefined) : undefined;
}

function location(file: SourceFile, node: Node | undefined): string {
  const { line, col } = file.lines.linePos(node?.range?.[0] ?? 0);
  return `${file.path}:${line}:${col}`;
}

/** `ids`: every entry id, or undefined where an entry file could not be read (related ids are then not checked). */
function checkEntries(
  entries: LoadedEntry[],
  ids: Set<string> | undefined,
  topicIds: Set<string> | undefined,
  paragraphCount: number | undefined,
): void {
  const firstById = new Map<string, LoadedEntry>();
  const ownerOfPhrasing = new Map<string, string>();

  for (const loaded of entries) {
    const { entry, file, node } = loaded;
    const idNode = fieldNode(node, "id");
    const first = firstById.get(entry.id);
    if (first) {
      file.reportAt(idNode, messages.duplicateId(entry.id, location(first.file, fieldNode(first.node, "id"))), fixes.duplicateId, entry.id);
    } else {
      firstById.set(entry.id, loaded);
    }
    if (!KEBAB_CASE.test(entry.id)) {
      file.reportAt(idNode, messages.idNotKebab(entry.id), fixes.idNotKebab, entry.id);
    }
    if (RESERVED_IDS.includes(entry.id)) file.reportAt(idNode, messages.reservedId(entry.id), fixes.reservedId, entry.id);
    const bytes = Buffer.byteLength(entry.id, "utf8");
    if (bytes > MAX_ID_BYTES) {
      file.reportAt(idNode, messages.idTooLong(entry.id, bytes, MAX_ID_BYTES), fixes.idTooLong, entry.id);
    }
    if (topicIds && !topicIds.has(entry.topic)) {
      file.reportAt(fieldNode(node, "topic"), messages.unknownTopic(entry.topic), fixes.unknownTopic, entry.id);
    }
    entry.related.forEach((related, index) => {
      if (related === entry.id) {
        file.reportAt(itemNode(node, "related", index), messages.relatedSelf(related), fixes.relatedSelf, entry.id);
      } else if (ids !== undefined && !ids.has(related)) {
        file.reportAt(itemNode(node, "related", index), messages.unknownRelated(related), fixes.unknownRelated, entry.id);
      }
    });
    if (paragraphCount !== undefined) {
      entry.source.forEach((paragraph, index) => {
        if (paragraph > paragraphCount) {
          file.reportAt(itemNode(node, "source", index), messages.sourceOutOfRange(paragraph, paragraphCount), fixes.sourceOutOfRange, entry.id);
        }
      });
    }
    if (entry.answer.length > MAX_ANSWER_LENGTH) {
      file.reportAt(fieldNode(node, "answer"), messages.answerTooLong(entry.answer.length, MAX_ANSWER_LENGTH), fixes.answerTooLong, entry.id);
    }
    for (const key of ["title", "question"] as const) {
      if (entry[key].length > MAX_MESSAGE_LENGTH) {
        file.reportAt(fieldNode(node, key), messages.textTooLong(key, entry[key].length, MAX_MESSAGE_LENGTH), fixes.textTooLong, entry.id);
      }
    }
    const phrasings: [string, Node | undefined][] = [
      [entry.question, fieldNode(node, "question")],
      ...entry.alternates.map((alternate, index): [string, Node | undefined] => [alternate, itemNode(node, "alternates", index)]),
    ];
    const ownPhrasings = new Set<string>();
    for (const [phrasing, phrasingNode] of phrasings) {
      const key = comparable(phrasing);
      if (key === "") {
        file.reportAt(phrasingNode, messages.phraseHasNoWords(phrasing), fixes.phraseHasNoWords, entry.id);
        continue;
      }
      if (ownPhrasings.has(key)) continue;
      ownPhrasings.add(key);
      const owner = ownerOfPhrasing.get(key);
      if (owner !== undefined && owner !== entry.id) {
        file.reportAt(phrasingNode, messages.duplicateAlternate(phrasing, owner), fixes.duplicateAlternate, entry.id);
      } else {
        ownerOfPhrasing.set(key, entry.id);
      }
    }
  }
}

function checkSettings(file: SourceFile, settings: Settings | undefined): void {
  if (!settings) return;
  const { matcher, source } = settings;
  if (matcher.suggestion_threshold > matcher.confidence_threshold) {
    file.reportPath("matcher.suggestion_threshold", messages.thresholdOrder, fixes.thresholdOrder);
  }
  source.cited_paragraphs.forEach((paragraph, index) => {
    if (paragraph > source.paragraphs) {
      file.reportPath(`source.cited_paragraphs.${index}`, messages.sourceOutOfRange(paragraph, source.paragraphs), fixes.sourceOutOfRange);
    }
  });
}

/** Each sign-specific urgent reply names a red flag, and no red flag has two. */
function checkUrgentForSigns(file: SourceFile, texts: Texts, vocabulary: Vocabulary): void {
  const flagNames = new Set(vocabulary.red_flags.map((flag) => flag.name));
  const seen = new Set<string>();
  texts.urgent_for_signs.forEach(({ sign }, index) => {
    if (!flagNames.has(sign)) file.reportPath(`urgent_for_signs.${index}.sign`, messages.unknownRedFlag(sign), fixes.unknownRedFlag);
    else if (seen.has(sign)) file.reportPath(`urgent_for_signs.${index}.sign`, messages.secondUrgentReply(sign), fixes.secondUrgentReply);
    seen.add(sign);
  });
}

function checkLength(file: SourceFile, path: string, length: number): void {
  if (length > MAX_MESSAGE_LENGTH) {
    file.reportPath(path, messages.textTooLong(path, length, MAX_MESSAGE_LENGTH), fixes.textTooLong);
  }
}

function checkTexts(file: SourceFile, texts: Texts | undefined, paragraphCount: number | undefined): void {
  if (!texts) return;
  for (const [key, value] of Object.entries(texts)) {
    if (typeof value === "string") checkLength(file, key, value.length);
  }
  for (const [kind, value] of Object.entries(texts.smalltalk)) checkLength(file, `smalltalk.${kind}`, value.length);
  texts.urgent_for_signs.forEach(({ text }, index) => checkLength(file, `urgent_for_signs.${index}.text`, text.length));
  // /tips sends the heading and every tip in one message.
  checkLength(file, "tips", texts.tips_heading.length + texts.tips.reduce((sum, tip) => sum + tip.text.length + 3, 0));
  if (paragraphCount !== undefined) {
    texts.tips.forEach((tip, tipIndex) => {
      tip.source.forEach((paragraph, index) => {
        if (paragraph > paragraphCount) {
          file.reportPath(`tips.${tipIndex}.source.${index}`, messages.sourceOutOfRange(paragraph, paragraphCount), fixes.sourceOutOfRange);
        }
      });
    });
  }
}

function checkClinic(file: SourceFile, clinic: Clinic | undefined): void {
  if (!clinic) return;
  for (const key of ["website", "booking_url"] as const) {
    let valid = false;
    try {
      valid = /^https?:$/.test(new URL(clinic[key]).protocol);
    } catch {
      valid = false;
    }
    if (!valid) file.reportPath(key, messages.notAUrl(key), fixes.notAUrl);
  }
  for (const [key, value] of Object.entries(clinic)) checkLength(file, key, value.length);
}

function checkVocabulary(file: SourceFile, vocabulary: Vocabulary | undefined): void {
  if (!vocabulary) return;
  const groupOf = new Map<string, string>();
  vocabulary.synonyms.forEach((group, groupIndex) => {
    const head = group[0] ?? "";
    group.forEach((item, index) => {
      const path = `synonyms.${groupIndex}.${index}`;
      const key = comparable(item);
      if (key === "") {
        file.reportPath(path, messages.phraseHasNoWords(item), fixes.phraseHasNoWords);
        return;
      }
      const first = groupOf.get(key);
      if (first !== undefined && first !== head) {
        file.reportPath(path, messages.synonymInTwoGroups(item, first), fixes.synonymInTwoGroups);
      } else {
        groupOf.set(key, head);
      }
    });
  });
  const flagNames = new Set(vocabulary.red_flags.map((flag) => flag.name));
  vocabulary.not_current.over_signs.forEach((name, index) => {
    if (!flagNames.has(name)) file.reportPath(`not_current.over_signs.${index}`, messages.unknownRedFlag(name), fixes.unknownRedFlag);
  });
  vocabulary.never_overruled.forEach((name, index) => {
    if (!flagNames.has(name)) file.reportPath(`never_overruled.${index}`, messages.unknownRedFlag(name), fixes.unknownRedFlag);
  });
  vocabulary.red_flag_readings.forEach((reading, index) => {
    if (!flagNames.has(reading.name)) file.reportPath(`red_flag_readings.${index}.name`, messages.unknownRedFlag(reading.name), fixes.unknownRedFlag);
    for (const list of ["ranges", "alone_with_decimal"] as const) {
      reading[list].forEach((range, at) => {
        if (range.from >= range.to) file.reportPath(`red_flag_readings.${index}.${list}.${at}.to`, messages.rangeOrder(range.from, range.to), fixes.rangeOrder);
      });
    }
    for (const list of ["words", "words_before_decimal"] as const) {
      reading[list].forEach((word, at) => {
        if (readingTokens(word).length === 0) file.reportPath(`red_flag_readings.${index}.${list}.${at}`, messages.phraseHasNoWords(word), fixes.phraseHasNoWords);
      });
    }
  });
  const phraseLists: [string, readonly string[]][] = [
    ...vocabulary.red_flags.flatMap((flag, index): [string, readonly string[]][] => [
      [`red_flags.${index}.phrases`, flag.phrases],
      [`red_flags.${index}.other_languages`, flag.other_languages],
    ]),
    ...vocabulary.not_covered.map((topic, index): [string, readonly string[]] => [`not_covered.${index}.phrases`, topic.phrases]),
    ["negations", vocabulary.negations],
    ["negation_links", vocabulary.negation_links],
    ["negation_conjunctions", vocabulary.negation_conjunctions],
    ["near_negations", vocabulary.near_negations],
    ...NOT_CURRENT_CUES.map((name): [string, readonly string[]] => [`not_current.${name}`, vocabulary.not_current[name]]),
  ];
  for (const [path, list] of phraseLists) {
    list.forEach((phrase, index) => {
      if (words(phrase).length === 0) file.reportPath(`${path}.${index}`, messages.phraseHasNoWords(phrase), fixes.phraseHasNoWords);
    });
  }
}

/**
 * An example message may stand in one place only: the same text as an entry's phrasing and as
 * an out-of-scope question, say, would teach the matcher two answers for one message.
 */
function checkExamples(entries: LoadedEntry[], lists: { file: SourceFile; texts: { text: string; path: string }[] }[]): void {
  const owners = new Map<string, string>();
  for (const { entry } of entries) for (const phrasing of [entry.question, ...entry.alternates]) owners.set(comparable(phrasing), `entry "${entry.id}"`);
  for (const { file, texts } of lists) {
    for (const { text, path } of texts) {
      const key = comparable(text);
      const owner = owners.get(key);
      if (owner !== undefined) file.reportPath(path, messages.duplicateExample(text, owner), fixes.duplicateExample);
      else owners.set(key, `${file.path.split(/[\\/]/).slice(-2).join("/")}`);
    }
  }
}

function checkTopics(file: SourceFile, topics: Topic[] | undefined): void {
  if (!topics) return;
  const firstAt = new Map<string, string>();
  topics.forEach((topic, index) => {
    const path = `${index}.id`;
    const first = firstAt.get(topic.id);
    if (first) file.reportPath(path, messages.duplicateId(topic.id, first), fixes.duplicateId);
    else firstAt.set(topic.id, location(file, file.nodes.get(path)));
    if (!KEBAB_CASE.test(topic.id)) file.reportPath(path, messages.idNotKebab(topic.id), fixes.idNotKebab);
    const bytes = Buffer.byteLength(topic.id, "utf8");
    if (bytes > MAX_ID_BYTES) file.reportPath(path, messages.idTooLong(topic.id, bytes, MAX_ID_BYTES), fixes.idTooLong);
  });
}

/** Freezes a value and everything it holds. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
