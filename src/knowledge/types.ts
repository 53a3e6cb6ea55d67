/** One question-and-answer entry of the knowledge base. */
export interface Entry {
  /** Stable kebab-case id; used in callback data, deep links and evaluation sets. */
  readonly id: string;
  /** Id of the topic the entry belongs to. */
  readonly topic: string;
  /** Short label for buttons. */
  readonly title: string;
  /** The canonical question. */
  readonly question: string;
  /** Other ways patients ask the same question. */
  readonly alternates: readonly string[];
  /** The answer, plain text where `**text**` marks bold. */
  readonly answer: string;
  /** Ids of entries worth offering next. */
  readonly related: readonly string[];
  /** Article paragraphs the answer rests on. */
  readonly source: readonly number[];
}

export interface Topic {
  readonly id: string;
  readonly title: string;
}

export interface Tip {
  readonly text: string;
  readonly source: readonly number[];
}

export type SmalltalkKind = "greeting" | "thanks" | "identity" | "bye" | "acknowledgement";
export const SMALLTALK_KINDS: readonly SmalltalkKind[] = ["greeting", "thanks", "identity", "bye", "acknowledgement"];

/** Everything the bot says outside the FAQ answers. */
export interface Texts {
  readonly welcome: string;
  readonly help: string;
  readonly disclaimer: string;
  readonly fallback: string;
  readonly clarify: string;
  /** Added to the small-talk or declining reply to a message that names a warning sign only to deny it. */
  readonly signs_named: string;
  readonly urgent: string;
  /** Replies that take the place of `urgent` for particular red flags. */
  readonly urgent_for_signs: readonly UrgentForSign[];
  readonly empty: string;
  readonly other_language: string;
  readonly non_text: string;
  readonly slow_down: string;
  readonly stale_button: string;
  readonly related_heading: string;
  readonly topics_heading: string;
  readonly talk_to_surgeon: string;
  readonly topics_button: string;
  readonly website_button: string;
  readonly booking_button: string;
  readonly tips_heading: string;
  readonly tips: readonly Tip[];
  readonly smalltalk: Readonly<Record<SmalltalkKind, string>>;
}

export interface UrgentForSign {
  /** A red flag's name (vocabulary.yaml). */
  readonly sign: string;
  readonly text: string;
}

export interface Clinic {
  readonly name: string;
  readonly phone: string;
  readonly website: string;
  readonly booking_url: string;
  readonly intro: string;
  readonly certification_advice: string;
}

export interface RedFlag {
  readonly name: string;
  /** English phrases: matched in any order within a few words, misspellings included. */
  readonly phrases: readonly string[];
  /** The same signs in other languages: matched word for word, in order, as written. */
  readonly other_languages: readonly string[];
}

export interface NotCoveredTopic {
  readonly topic: string;
  readonly phrases: readonly string[];
}

/** A reading given as a number that is a red flag when it falls in a range ("heart rate 130"). */
export interface RedFlagReading {
  /** The red flag it raises: the name of one of `red_flags`. */
  readonly name: string;
  /** Words that say what the number measures ("temperature", "pulse"). */
  readonly words: readonly string[];
  /** Words that say it only right before a number written with a decimal ("I'm at 38.9"; "at 40" may be an age). */
  readonly words_before_decimal: readonly string[];
  /** Values that raise it, each range inclusive (a temperature has one per scale). */
  readonly ranges: readonly { readonly from: number; readonly to: number }[];
  /**
   * Values that raise it when a number written with one decimal is the whole message, with no
   * word at all ("38.9", as a patient sends what the thermometer shows).
   */
  readonly alone_with_decimal: readonly { readonly from: number; readonly to: number }[];
}

/** Word lists of not_current in vocabulary.yaml: whose a red sign is, and whether it is over. */
export interface NotCurrentCues {
  readonly other_people: readonly string[];
  readonly owners: readonly string[];
  readonly having: readonly string[];
  readonly having_verbs: readonly string[];
  readonly first_person: readonly string[];
  readonly third_person: readonly string[];
  readonly surgery: readonly string[];
  readonly over_signs: readonly string[];
  readonly past_times: readonly string[];
  readonly past_verbs: readonly string[];
  readonly shared: readonly string[];
  readonly fillers: readonly string[];
  readonly over: readonly string[];
  readonly over_subjects: readonly string[];
  readonly over_links: readonly string[];
  readonly over_followers: readonly string[];
  readonly ongoing: readonly string[];
  readonly ongoing_after_end: readonly string[];
  readonly figures: readonly string[];
  readonly figure_followers: readonly string[];
}

export interface Vocabulary {
  readonly synonyms: readonly (readonly string[])[];
  readonly red_flags: readonly RedFlag[];
  readonly red_flag_readings: readonly RedFlagReading[];
  /** Names of red flags the trained urgent detector may never overrule. */
  readonly never_overruled: readonly string[];
  readonly negations: readonly string[];
  /** Words that may stand between a negation and the symptom it denies ("I don't have any fever"). */
  readonly negation_links: readonly string[];
  /** Words that join denied symptoms ("no chills or fever"). */
  readonly negation_conjunctions: readonly string[];
  /** Negations that deny only the symptom right after them ("nothing hot or red"), never across link words. */
  readonly near_negations: readonly string[];
  /** Cues that a red sign is someone else's or over (see not_current in vocabulary.yaml). */
  readonly not_current: NotCurrentCues;
  readonly not_covered: readonly NotCoveredTopic[];
  readonly smalltalk: Readonly<Record<SmalltalkKind, readonly string[]>>;
  /** Words that may accompany small talk ("hello doctor") without making it a question. */
  readonly smalltalk_companions: readonly string[];
  readonly filler: readonly string[];
}

export interface MatcherSettings {
  /** Calibrated probability the best entry (or out-of-scope, or small talk) needs before the bot acts on it. */
  readonly confidence_threshold: number;
  /** Lowest probability at which an entry is offered as a "did you mean" choice. */
  readonly suggestion_threshold: number;
  /** Longer messages are matched on their last this-many characters. */
  readonly max_message_chars: number;
}

export interface SourceSettings {
  readonly title: string;
  readonly paragraphs: number;
  readonly cited_paragraphs: readonly number[];
}

export interface Settings {
  readonly source: SourceSettings;
  readonly matcher: MatcherSettings;
}

/** Questions the article does not answer, grouped by what they are about. */
export interface OutOfScopeGroup {
  readonly topic: string;
  readonly questions: readonly string[];
}

/**
 * Messages that teach the matcher what is not an FAQ question: questions the article does not
 * answer, emergencies and messages that only sound like one, and small talk.
 */
export interface Examples {
  readonly out_of_scope: readonly OutOfScopeGroup[];
  /** Messages that must get the urgent-care reply. */
  readonly urgent: readonly string[];
  /** Messages with symptom words that are not emergencies (negated, mild, past, someone else's). */
  readonly not_urgent: readonly string[];
  readonly smalltalk: Readonly<Record<SmalltalkKind, readonly string[]>>;
}

/** A loaded, validated and frozen knowledge base. */
export interface KnowledgeBase {
  /** Directory it was loaded from. */
  readonly dir: string;
  readonly settings: Settings;
  readonly texts: Texts;
  readonly clinic: Clinic;
  readonly vocabulary: Vocabulary;
  readonly topics: readonly Topic[];
  readonly entries: readonly Entry[];
  readonly examples: Examples;
}

/** Ids every knowledge base must have: other parts of the product and the evaluation sets rely on them. */
export const REQUIRED_ENTRY_IDS: readonly string[] = [
  "procedure-overview",
  "procedure-fat-transfer",
  "results-no-guarantee",
  "asymmetry-definition",
  "asymmetry-causes",
  "cause-surgeon-skill",
  "cause-fat-handling",
  "cause-pressure-recovery",
  "natural-asymmetry",
  "recovery-care",
  "final-results-timing",
  "revision-timing",
  "revision-procedure",
  "revision-implant",
  "revision-outcome",
  "find-surgeon",
];
