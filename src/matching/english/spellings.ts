import { stem } from "./stem.js";

/**
 * Words written more than one way: "can't" (typed "cant"), "cannot" and "can not" say the same,
 * and so do "don't" and "doesn't" ("she doesn't want to live"). A spelling of several words is
 * one phrase token ("can not"): the phrase finder wants those words next to each other, in order,
 * so "can not keep anything down" never finds "I can keep water down, not sick at all".
 */
const SAME_WORDS: readonly (readonly string[])[] = [
  ["cant", "cannot", "can not"],
  ["dont", "doesnt", "do not", "does not"],
].map((spellings) => spellings.map((spelling) => spelling.split(" ").map(stem).join(" ")));

/**
 * Every way of writing a phrase's tokens (stemmed), the phrase as given first: the clinic writes "cant
 * breathe" once and it also finds "cannot breathe" and "can not breathe".
 */
export function otherSpellings(tokens: readonly string[]): readonly (readonly string[])[] {
  let spellings: (readonly string[])[] = [tokens];
  tokens.forEach((token, at) => {
    const same = SAME_WORDS.find((words) => words.includes(token));
    if (same === undefined) return;
    const others = same.filter((word) => word !== token);
    spellings = spellings.flatMap((spelling) => [spelling, ...others.map((word) => spelling.map((t, i) => (i === at ? word : t)))]);
  });
  return spellings;
}
