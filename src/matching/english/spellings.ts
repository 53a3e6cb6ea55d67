import { stem } from "./stem.js";

/**
 * Words written more than one way: "can't" (typed "cant"), "cannot" and "can not" say the same;
 * "don't" is also "do not", and a phrase the clinic writes in the first person is also told of a
 * partner ("I don't want to live" → "she doesn't want to live"). Not the other way round: the
 * list's third-person phrases ("doesnt recognize me") are about someone else, and must not find
 * the writer's own "my friends don't recognize me, I look amazing". A spelling of several words is
 * one phrase token ("can not"): the phrase finder wants those words next to each other, in order,
 * so "can not keep anything down" never finds "I can keep water down, not sick at all".
 */
const SPELLINGS: readonly (readonly [word: string, others: readonly string[]])[] = [
  ["cant", ["cannot", "can not"]],
  ["cannot", ["cant", "can not"]],
  ["dont", ["do not", "doesnt", "does not"]],
  ["doesnt", ["does not"]],
];
/** The same, stemmed as phrase tokens are. */
const OTHER_SPELLINGS: ReadonlyMap<string, readonly string[]> = new Map(
  SPELLINGS.map(([word, others]) => [stem(word), others.map((spelling) => spelling.split(" ").map(stem).join(" "))]),
);

/**
 * Every way of writing a phrase's tokens (stemmed), the phrase as given first: the clinic writes
 * "cant breathe" once and it also finds "cannot breathe" and "can not breathe".
 */
export function otherSpellings(tokens: readonly string[]): readonly (readonly string[])[] {
  let spellings: (readonly string[])[] = [tokens];
  tokens.forEach((token, at) => {
    const others = OTHER_SPELLINGS.get(token);
    if (others === undefined) return;
    spellings = spellings.flatMap((spelling) => [spelling, ...others.map((word) => spelling.map((t, i) => (i === at ? word : t)))]);
  });
  return spellings;
}
