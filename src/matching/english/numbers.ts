const UNITS: Readonly<Record<string, number>> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Readonly<Record<string, number>> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };

/**
 * Numbers written in words, as voice-to-text and some patients write them, turned into digits
 * among the other tokens: "thirty nine point one" → "39.1", "one hundred and two" → "102",
 * "thirty eight and a half" → "38.5". Only whole spoken numbers: "one" after a unit ("nine one")
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

function spokenNumber(tokens: readonly string[], start: number): { value: string; end: number } | undefined {
  let at = start;
  let value = 0;
  let words = 0;
  // What may come next: a ten only at the start or after "hundred", a unit after those or a ten.
  let tensAllowed = true;
  let unitsAllowed = true;
  for (;;) {
    const token = tokens[at] ?? "";
    if (tensAllowed && token in TENS) {
      value += TENS[token]!;
      tensAllowed = false;
      unitsAllowed = true;
    } else if (unitsAllowed && token in UNITS) {
      value += UNITS[token]!;
      tensAllowed = false;
      unitsAllowed = false;
    } else if (token === "hundred" && words > 0 && value > 0 && value < 10) {
      value *= 100;
      tensAllowed = true;
      unitsAllowed = true;
      // "one hundred and two"
      if (tokens[at + 1] === "and" && ((tokens[at + 2] ?? "") in TENS || (tokens[at + 2] ?? "") in UNITS)) at++;
    } else break;
    at++;
    words++;
  }
  if (words === 0) return undefined;
  // "point one", "point five two": decimals digit by digit.
  let decimals = "";
  if (tokens[at] === "point") {
    let next = at + 1;
    while ((tokens[next] ?? "") in UNITS && UNITS[tokens[next]!]! < 10) decimals += String(UNITS[tokens[next++]!]);
    if (decimals) at = next;
  } else if (tokens[at] === "and" && tokens[at + 1] === "a" && tokens[at + 2] === "half") {
    decimals = "5";
    at += 3;
  }
  return { value: decimals ? `${value}.${decimals}` : String(value), end: at };
}
