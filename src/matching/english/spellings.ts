/**
 * Words written more than one way: "can't" (typed "cant") and "cannot" say the same. ("can not"
 * too, but a phrase's words are found in any order a few words apart, so "can … not" would find
 * "I can keep water down, not sick at all".)
 */
const SAME_WORDS: readonly (readonly string[])[] = [["cant", "cannot"]];

/**
 * Every way of writing a phrase's tokens, the phrase as given first: the clinic writes "cant
 * breathe" once and it also finds "cannot breathe".
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
