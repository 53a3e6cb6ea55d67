/**
 * Universal Sentence Encoder lite's tokenizer: the text cut into the vocabulary's pieces (a
 * SentencePiece unigram model) by the most probable segmentation. It gives exactly the ids of the
 * published tokenizer (@energetic-ai/embeddings, after TensorFlow.js's model of the same name),
 * quirks included, as test/piece-tokenizer.test.ts checks on thousands of texts: the model was
 * trained on those ids, not on a cleaner reading.
 *
 * Self-contained (no reference to anything outside its body): worker threads run it from its
 * source text, as they run the forward pass (see use-lite-forward.ts).
 */
export function createPieceTokenizer(vocabulary: readonly (readonly [piece: string, score: number])[]): (text: string) => number[] {
  /** The first ids are control symbols, never pieces of a text; id 0 stands for any unknown symbol. */
  const reserved = 6;
  const separator = "\u2581";
  interface Node {
    readonly children: Map<string, Node>;
    end: boolean;
    score: number;
    index: number;
  }
  const node = (): Node => ({ children: new Map(), end: false, score: 0, index: 0 });
  const root = node();
  for (let index = reserved; index < vocabulary.length; index++) {
    const [piece, score] = vocabulary[index]!;
    const symbols = Array.from(piece);
    let at = root;
    symbols.forEach((symbol, position) => {
      let child = at.children.get(symbol);
      if (!child) at.children.set(symbol, (child = node()));
      at = child;
      // A piece listed twice keeps its last score and id, as the published trie does.
      if (position === symbols.length - 1) Object.assign(at, { end: true, score, index });
    });
  }

  return (text) => {
    const normalized = text.normalize("NFKC");
    const symbols = Array.from(normalized.length > 0 ? separator + normalized.replace(/ /g, separator) : normalized);
    const count = symbols.length;
    // Every piece of the vocabulary found in the text: by where it ends, in order of where it starts.
    const endingAt: { start: number; score: number; index: number }[][] = Array.from({ length: count + 1 }, () => []);
    for (let start = 0; start < count; start++) {
      let found = false;
      let at = root.children.get(symbols[start]!);
      for (let end = start + 1; at; end++) {
        if (at.end) {
          endingAt[end]!.push({ start, score: at.score, index: at.index });
          found = true;
        }
        at = end < count ? at.children.get(symbols[end]!) : undefined;
      }
      // A symbol no piece starts with is unknown: one symbol, id 0, score 0.
      if (!found) endingAt[start + 1]!.push({ start, score: 0, index: 0 });
    }
    // The best segmentation's score up to each position (0 meaning none yet, as published: scores
    // are log probabilities, below 0) and the id of its last piece; the later start wins a tie.
    const best = new Array<number>(count + 1).fill(0);
    const last = new Array<number>(count + 1).fill(0);
    for (let end = 0; end <= count; end++) {
      for (const { start, score, index } of endingAt[end]!) {
        const total = score + best[start]!;
        if (best[end] === 0 || total >= best[end]!) {
          best[end] = total;
          last[end] = index;
        }
      }
    }
    // Back from the end, each step as long as its piece's text in UTF-16 units (as published; the
    // same as in symbols while every piece is in the Basic Multilingual Plane, as in this
    // vocabulary), then runs of unknown symbols merged into one.
    const backwards: number[] = [];
    for (let at = count; at > 0; at -= vocabulary[last[at]!]![0].length) backwards.push(last[at]!);
    const ids: number[] = [];
    backwards.forEach((id, position) => {
      if (!(id === 0 && position > 0 && backwards[position - 1] === 0)) ids.push(id);
    });
    return ids.reverse();
  };
}
