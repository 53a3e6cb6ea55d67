import { SMALLTALK_KINDS, type SmalltalkKind, type Vocabulary } from "../knowledge/types.js";
import { words } from "./text.js";

/** When a message mixes kinds ("ok thanks, bye"), the first kind in this order wins. */
const PRIORITY: readonly SmalltalkKind[] = ["identity", "thanks", "bye", "greeting", "acknowledgement"];
const MAX_SMALLTALK_WORDS = 10;

/** Recognises messages that are only small talk: greetings, thanks, "are you a bot", bye, "ok". */
export interface SmalltalkDetector {
  detect(text: string): SmalltalkKind | undefined;
}

// Stretched spellings ("hiii", "thankss", "byee") count as the plain word.
const squash = (word: string) => word.replace(/(.)\1+/g, "$1");
const stripDecoration = (text: string) => text.replace(/[\s\p{P}\uFE0F\u200D]/gu, "");

export function createSmalltalkDetector(vocabulary: Vocabulary): SmalltalkDetector {
  const phrases: { tokens: string[]; kind: SmalltalkKind }[] = [];
  const emoji = new Map<string, SmalltalkKind>();
  for (const kind of SMALLTALK_KINDS) {
    for (const phrase of vocabulary.smalltalk[kind]) {
      const tokens = words(phrase).map(squash);
      if (tokens.length > 0) phrases.push({ tokens, kind });
      else emoji.set(stripDecoration(phrase), kind);
    }
  }
  phrases.sort((a, b) => b.tokens.length - a.tokens.length);
  // Only the companions ("hello doctor", "thanks team"), not the matcher's filler: a filler word
  // such as "help" or "now" may carry an emergency, and must reach the urgent detector.
  const filler = vocabulary.smalltalk_companions
    .map((item) => words(item).map(squash))
    .filter((tokens) => tokens.length > 0);

  function coverWithWords(tokens: readonly string[]): Set<SmalltalkKind> | undefined {
    const kinds = new Set<SmalltalkKind>();
    let at = 0;
    outer: while (at < tokens.length) {
      for (const phrase of phrases) {
        if (phrase.tokens.every((token, offset) => tokens[at + offset] === token)) {
          kinds.add(phrase.kind);
          at += phrase.tokens.length;
          continue outer;
        }
      }
      for (const tokensOfFiller of filler) {
        if (tokensOfFiller.every((token, offset) => tokens[at + offset] === token)) {
          at += tokensOfFiller.length;
          continue outer;
        }
      }
      return undefined;
    }
    return kinds;
  }

  function coverWithEmoji(text: string): Set<SmalltalkKind> | undefined {
    let rest = stripDecoration(text);
    const kinds = new Set<SmalltalkKind>();
    outer: while (rest.length > 0) {
      for (const [symbol, kind] of emoji) {
        if (rest.startsWith(symbol)) {
          kinds.add(kind);
          rest = rest.slice(symbol.length);
          continue outer;
        }
      }
      return undefined;
    }
    return kinds;
  }

  return {
    detect(text) {
      const tokens = words(text).map(squash);
      if (tokens.length > MAX_SMALLTALK_WORDS) return undefined;
      const kinds = tokens.length > 0 ? coverWithWords(tokens) : coverWithEmoji(text);
      return kinds ? PRIORITY.find((kind) => kinds.has(kind)) : undefined;
    },
  };
}
