import { FeatureIndex } from './feature-index.ts';
import { hashWord, type Token } from './text-features.ts';

/** The word vectors a model carries: word hashes (sorted), int8 vectors with one scale. */
export type EmbeddingTable = { hashes: Uint32Array; vectors: Int8Array; scale: number; dim: number };

/** The forms under which a token may have a vector: itself, then without its clitic ("didn't" → "did", "i'm" → "i"). */
export function vectorKeys(norm: string): string[] {
  const a = norm.indexOf("'");
  if (a < 0) return [norm];
  if (norm.endsWith("n't")) return [norm, norm.slice(0, -3), 'not'];
  return [norm, norm.slice(0, a)];
}

export function buildEmbeddingTable(vectors: Map<string, Float32Array>, dim: number): EmbeddingTable {
  const entries = [...vectors].map(([w, v]) => [hashWord(w), v] as const).sort((a, b) => a[0] - b[0]);
  let max = 0;
  for (const [, v] of entries) for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(v[j]));
  const scale = Math.fround(max / 127 || 1);
  const hashes = new Uint32Array(entries.length), out = new Int8Array(entries.length * dim);
  entries.forEach(([h, v], i) => { hashes[i] = h; for (let j = 0; j < dim; j++) out[i * dim + j] = Math.round(v[j] / scale); });
  return { hashes, vectors: out, scale, dim };
}

const indexes = new WeakMap<EmbeddingTable, FeatureIndex>();
const indexOf = (t: EmbeddingTable) => { let i = indexes.get(t); if (!i) indexes.set(t, (i = new FeatureIndex(t.hashes))); return i; };

/**
 * The idf-weighted mean of the tokens' vectors, L2-normalised; weights[t] is each token's share
 * (so a label's score from this block can be credited back to words).
 */
export function sentenceEmbedding(tokens: Token[], table: EmbeddingTable, idfOf: (norm: string) => number): { vec: Float64Array; rows: number[]; weights: number[] } {
  const { dim, vectors, scale } = table;
  const index = indexOf(table);
  const vec = new Float64Array(dim);
  const rows: number[] = [], weights: number[] = [];
  for (let t = 0; t < tokens.length; t++) {
    let row = -1;
    for (const k of vectorKeys(tokens[t].norm)) if ((row = index.get(hashWord(k))) >= 0) break;
    rows.push(row);
    const w = row >= 0 ? idfOf(tokens[t].norm) : 0;
    weights.push(w);
    if (w) for (let j = 0; j < dim; j++) vec[j] += w * vectors[row * dim + j] * scale;
  }
  let n = 0;
  for (let j = 0; j < dim; j++) n += vec[j] * vec[j];
  n = Math.sqrt(n);
  if (n > 0) { for (let j = 0; j < dim; j++) vec[j] /= n; for (let t = 0; t < weights.length; t++) weights[t] /= n; }
  return { vec, rows, weights };
}
