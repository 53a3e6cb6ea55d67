/**
 * Everything the engine knows about English as a language (not about the clinic's topic):
 * function words, everyday words, the stemmer, the common-word dictionary, numbers written in
 * words, where a message breaks into clauses and which of them ask. A second language is a
 * second module like this one plus its own knowledge-base folder.
 */
export { STOPWORDS } from "./stopwords.js";
export { COMMON_WORDS } from "./common-words.js";
export { stem } from "./stem.js";
export { splitClauses, splitSentences } from "./clauses.js";
export { readClauses, toldPart, type ReadClause } from "./questions.js";
export { loadDictionary } from "./dictionary.js";
export { numbersInWords } from "./numbers.js";
export { otherSpellings } from "./spellings.js";
