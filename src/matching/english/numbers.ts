// Maps, not objects: "constructor" or "toString" in a message must not read as a number.
const UNITS: ReadonlyMap<string, number> = new Map(
  ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"].map((word, value) => [word, value]),
);
const TENS: ReadonlyMap<string, number> = new Map(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"].map((word, index) => [word, 20 + 10 * index]));

/**
 * Numbers written in words, as voice-to-text and some patients write them, turned into digits
 * among the other tokens: "thirty nine point one" → "39.1", "one hundred and two" → "102",
 * "a hundred and three" → "103", "thirty eight and a half" → "38.5". Only whole spoken numbers: "one" after a unit ("nine one")
 * starts a new number, and tokens that are not number words are left as they are.
 */
export function numbersInWords(tokens: readonly string[]): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < tokens.length) {
    const parsed = spokenNumber(tokens, at);
    if (parsed) {
      out.push(parsed.value);
      at = parsed.end;
    } else out.push(tokens[at++]!);
  }
  return out;
}

/** A unit or a ten: what may follow a hundred in one spoken number. */
const continuesHundred = (token: string | undefined) => token !== undefined && (UNITS.has(token) || TENS.has(token));

function spokenNumber(tokens: readonly string[], start: number): { value: string; end: number } | undefined {
  let at = start;
  let value = 0;
  let words = 0;
  // "a hundred and three" is one hundred and three; "a hundred times", with nothing after the
  // hundred, is left as words.
  if (tokens[at] === "a" && tokens[at + 1] === "hundred" && (continuesHundred(tokens[at + 2]) || (tokens[at + 2] === "and" && continuesHundred(tokens[at + 3])))) {
    value = 1;
    words = 1;
    at++;
  }
  // What may come next: a ten only at the start or after "hundred", a unit after those or a ten.
  let tensAllowed = true;
  let unitsAllowed = true;
  for (;;) {
    const token = tokens[at] ?? "";
    if (tensAllowed && TENS.has(token)) {
      value += TENS.get(token)!;
      tensAllowed = false;
      unitsAllowed = true;
    } else if (unitsAllowed && UNITS.has(token)) {
      value += UNITS.get(token)!;
      tensAllowed = false;
      unitsAllowed = false;
    } else if (token === "hundred" && words > 0 && value > 0 && value < 10) {
      value *= 100;
      tensAllowed = true;
      unitsAllowed = true;
      // "one hundred and two"
      if (tokens[at + 1] === "and" && continuesHundred(tokens[at + 2])) at++;
    } else break;
    at++;
    words++;
  }
  if (words === 0) return undefined;
  // "point one", "point five two": decimals digit by digit.
  let decimals = "";
  if (tokens[at] === "point") {
    let next = at + 1;
    for (let digit = UNITS.get(tokens[next] ?? ""); digit !== undefined && digit < 10; digit = UNITS.get(tokens[++next] ?? "")) decimals += String(digit);
    if (decimals) at = next;
  } else if (tokens[at] === "and" && tokens[at + 1] === "a" && tokens[at + 2] === "half") {
    decimals = "5";
    at += 3;
  }
  return { value: decimals ? `${value}.${decimals}` : String(value), end: at };
}
