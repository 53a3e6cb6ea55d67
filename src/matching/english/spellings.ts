/**
 * One way of writing a word that is also written other ways, as a list of tokens each: "can't"
 * (typed "cant") and "cannot" say the same. ("can not" too, but a phrase's words are found in any
 * order a few words apart, so "can … not" would find "I can keep water down, not sick at all".)
 */
const SAME_SAYINGS: readonly (readonly (readonly string[])[])[] = [[["cant"], ["cannot"]]];

/**
 * Every way of writing a phrase's tokens where one of them is written differently elsewhere, the
 * phrase as given first: the clinic writes "cant breathe" once and it also finds "cannot breathe".
 */
export function otherSpellings(tokens: readonly string[]): readonly (readonly string[])[] {
  let spellings: (readonly string[])[] = [tokens];
  for (const sayings of SAME_SAYINGS) {
    spellings = spellings.flatMap((spelling) => {
      for (const saying of sayings) {
        const at = indexOfRun(spelling, saying);
        if (at < 0) continue;
        return [spelling, ...sayings.filter((other) => other !== saying).map((other) => [...spelling.slice(0, at), ...other, ...spelling.slice(at + saying.length)])];
      }
      return [spelling];
    });
  }
  return spellings;
}

function indexOfRun(tokens: readonly string[], run: readonly string[]): number {
  for (let at = 0; at + run.length <= tokens.length; at++) {
    if (run.every((token, offset) => tokens[at + offset] === token)) return at;
  }
  return -1;
}
