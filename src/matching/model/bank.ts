/**
 * The knowledge base's example messages as vectors, grouped by class: the memory the
 * embedding scorer compares a message with (nearest neighbours).
 */
export interface VectorBank {
  readonly dimension: number;
  /** size × dimension, row-major, unit-length rows. */
  readonly vectors: Float32Array;
  /** Class of each row. */
  readonly labels: Int32Array;
  readonly classes: number;
}

export interface Similarity {
  /** Best cosine similarity to each class's examples. */
  readonly max: Float32Array;
  /** Mean of the best three similarities to each class's examples. */
  readonly top3: Float32Array;
  /** Row of the most similar example of each class (-1 when the class has none). */
  readonly nearest: Int32Array;
}

/** Similarity of one vector to every class of the bank; `exclude` leaves one row out (the example itself, when training). */
export function similarity(bank: VectorBank, vector: Float32Array, exclude = -1): Similarity {
  const { dimension, vectors, labels, classes } = bank;
  const first = new Float32Array(classes).fill(-1);
  const second = new Float32Array(classes).fill(-1);
  const third = new Float32Array(classes).fill(-1);
  const nearest = new Int32Array(classes).fill(-1);
  const rows = labels.length;
  for (let row = 0; row < rows; row++) {
    if (row === exclude) continue;
    let sum = 0;
    const offset = row * dimension;
    for (let j = 0; j < dimension; j++) sum += vector[j]! * vectors[offset + j]!;
    const k = labels[row]!;
    if (sum > first[k]!) {
      third[k] = second[k]!;
      second[k] = first[k]!;
      first[k] = sum;
      nearest[k] = row;
    } else if (sum > second[k]!) {
      third[k] = second[k]!;
      second[k] = sum;
    } else if (sum > third[k]!) third[k] = sum;
  }
  const top3 = new Float32Array(classes);
  for (let k = 0; k < classes; k++) {
    const found = [first[k]!, second[k]!, third[k]!].filter((value) => value > -1);
    top3[k] = found.length ? found.reduce((a, b) => a + b, 0) / found.length : 0;
    if (first[k] === -1) first[k] = 0;
  }
  return { max: first, top3, nearest };
}

export function createBank(dimension: number, classes: number, rows: readonly { vector: Float32Array; label: number }[]): VectorBank {
  const vectors = new Float32Array(rows.length * dimension);
  rows.forEach((row, index) => vectors.set(row.vector, index * dimension));
  return { dimension, vectors, labels: Int32Array.from(rows, (row) => row.label), classes };
}
