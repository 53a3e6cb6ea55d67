import type { Entry, KnowledgeBase } from "../src/knowledge/types.js";
import { createBank } from "../src/matching/model/bank.js";
import { normalize } from "../src/matching/model/encoder.js";
import { OUT_OF_SCOPE, SMALLTALK } from "../src/matching/model/features.js";
import { createRandom } from "../src/matching/model/random.js";
import type { TrainedModel } from "../src/matching/model/train.js";

export { createRandom };

const PROCEDURES = [
  "tummy tuck", "breast lift", "rhinoplasty", "facelift", "arm lift", "thigh lift", "chin liposuction", "eyelid surgery",
  "brow lift", "breast reduction", "mommy makeover", "neck lift", "calf implants", "pec implants", "gynecomastia surgery",
  "otoplasty", "chin implant", "cheek augmentation", "lip lift", "body lift", "buttock implants", "mini tummy tuck",
  "scar revision", "facial fat grafting", "breast augmentation", "implant removal", "hair transplant", "vaser lipo",
  "jawline contouring", "bbl",
];
const CONCERNS = [
  "swelling", "bruising", "numbness", "soreness", "scarring", "uneven results", "drain removal", "stitches",
  "compression garment", "sleeping position", "showering", "driving", "flying", "exercise", "going back to work",
  "final result", "revision", "cost", "anesthesia", "smoking", "alcohol", "diet", "massage", "sun exposure",
  "medication", "follow up visits", "recovery time", "how long results last", "weight changes", "hardness",
];
const ASPECTS = [
  "", "in the first week", "after one month", "for older patients", "for smokers", "with diabetes", "after pregnancy",
  "for athletes", "with a desk job", "in summer", "after weight loss", "for a second procedure",
];
const TEMPLATES = [
  "what about {c} after {p} {a}",
  "is {c} normal after my {p} {a}",
  "how long does {c} last after a {p} {a}",
  "{p} {c} {a}?",
  "question about {c} {a}, i had a {p}",
  "when should i worry about {c} after {p} {a}",
  "my doctor did my {p}, what do i need to know about {c} {a}",
  "{c} after {p}",
  "how do i handle {c} following {p} {a}",
  "any advice on {c} post {p} {a}",
  "{c} {a} after having {p} done, is that ok",
  "i am worried about {c} after the {p} {a}",
  "tell me about {c} and {p} {a}",
];
const FILLER = ["hi", "so", "honestly", "pls", "quick question", "um", "hey doc"];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Swaps two neighbouring letters of one longer word: the commonest typo. */
function typo(random: () => number, text: string): string {
  const words = text.split(" ");
  const candidates = words.map((word, index) => [word, index] as const).filter(([word]) => word.length >= 5);
  if (candidates.length === 0) return text;
  const [word, index] = pick(random, candidates);
  const at = 1 + Math.floor(random() * (word.length - 2));
  words[index] = word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  return words.join(" ");
}

const fill = (template: string, p: string, c: string, a: string) =>
  template.replace("{p}", p).replace("{c}", c).replace("{a}", a).replace(/\s+/g, " ").replace(/\s+([?,])/g, "$1").trim();

/**
 * A knowledge base of `size` entries: the shipped one's entries (up to `size`), then synthetic
 * entries about other procedures of a clinic group, each with 12 alternates (templates,
 * typos, short forms). The shipped vocabulary, texts and settings are kept.
 */
export function syntheticKnowledgeBase(base: KnowledgeBase, size: number, seed = 20261125): KnowledgeBase {
  const random = createRandom(seed);
  const entries: Entry[] = base.entries.slice(0, size);
  const combos: [string, string, string][] = [];
  for (const a of ASPECTS) for (const p of PROCEDURES) for (const c of CONCERNS) combos.push([p, c, a]);
  for (let i = 0; entries.length < size; i++) {
    const [p, c, a] = combos[i % combos.length]!;
    const suffix = i >= combos.length ? ` (${Math.floor(i / combos.length)})` : "";
    const used = new Set<string>();
    const alternates: string[] = [];
    while (alternates.length < 12) {
      let text = fill(pick(random, TEMPLATES), p, c, a) + suffix;
      if (random() < 0.3) text = typo(random, text);
      if (random() < 0.2) text = `${pick(random, FILLER)} ${text}`;
      if (!used.has(text)) {
        used.add(text);
        alternates.push(text);
      }
    }
    entries.push({
      id: `syn-${i}`,
      topic: base.topics[i % base.topics.length]!.id,
      title: `${c} after ${p}`.slice(0, 60),
      question: `${fill("what should i know about {c} after {p} {a}", p, c, a)}${suffix}?`,
      alternates,
      answer: `General information about ${c} after ${p}${a ? ` ${a}` : ""}.`,
      related: [],
      source: [3],
    });
  }
  return { ...base, entries };
}

/**
 * A fixed message set: perturbed phrasings of synthetic entries (a typo, filler, a dropped
 * word) mixed with the given real patient messages.
 */
export function syntheticMessages(realMessages: readonly string[], count: number, seed = 7): string[] {
  const random = createRandom(seed);
  const messages: string[] = [...realMessages.slice(0, Math.floor(count / 3))];
  while (messages.length < count) {
    let text = fill(pick(random, TEMPLATES), pick(random, PROCEDURES), pick(random, CONCERNS), pick(random, ASPECTS));
    if (random() < 0.5) text = typo(random, text);
    if (random() < 0.3) text = `${pick(random, FILLER)}, ${text}`;
    if (random() < 0.3) {
      const words = text.split(" ");
      words.splice(Math.floor(random() * words.length), 1);
      text = words.join(" ");
    }
    messages.push(text);
  }
  return messages;
}

/**
 * A model of the right shape for a synthetic knowledge base, for timing only: the shipped
 * model's rows and weights for its own classes, random unit vectors for every phrasing of the
 * synthetic entries, small random weights for their classes. Per-message cost depends on
 * these shapes (rows × dimension, classes × the main model's input width), not on the values.
 */
export function syntheticModel(kb: KnowledgeBase, real: TrainedModel, seed = 11): TrainedModel {
  const random = createRandom(seed);
  const dimension = real.bank.dimension;
  const realEntries = real.classes.length - 2;
  const extra = kb.entries.slice(realEntries);
  const classes = [...kb.entries.map((entry) => entry.id), OUT_OF_SCOPE, SMALLTALK];
  const remap = (label: number) => (label < realEntries ? label : label - realEntries + kb.entries.length);
  const rows: { vector: Float32Array; label: number }[] = [];
  for (let row = 0; row < real.bank.labels.length; row++) {
    rows.push({ vector: real.bank.vectors.subarray(row * dimension, (row + 1) * dimension), label: remap(real.bank.labels[row]!) });
  }
  extra.forEach((entry, index) => {
    for (let i = 0; i < 1 + entry.alternates.length; i++) {
      rows.push({ vector: normalize(Float32Array.from({ length: dimension }, () => random() - 0.5)), label: realEntries + index });
    }
  });
  // The main model reads more than the sentence vector (its n-grams too): its rows are this wide.
  const width = real.main.sharedSize;
  const W = new Float32Array(classes.length * width);
  for (let k = 0; k < classes.length; k++) {
    const source = k < realEntries ? k : k >= kb.entries.length ? k - kb.entries.length + realEntries : -1;
    if (source >= 0) W.set(real.main.W.subarray(source * width, (source + 1) * width), k * width);
    else for (let j = 0; j < width; j++) W[k * width + j] = (random() - 0.5) * 0.01;
  }
  return {
    ...real,
    classes,
    main: { ...real.main, classes: classes.length, W, b: new Float32Array(classes.length) },
    bank: createBank(dimension, classes.length, rows),
    bankNotes: rows.map(() => ""),
  };
}
