import { sentenceEmbedding, type EmbeddingTable } from './embedding-block.ts';
import { FeatureIndex } from './feature-index.ts';
import { BLOCK_WORD, extract, hashUnigram, termFrequencies, type Occurrences } from './text-features.ts';
import type { FeatureSpec } from './types.ts';

/** A text as a sparse TF-IDF vector (each block L2-normalised, then weighted), with the occurrences it came from. */
export type SparseVec = { idx: Int32Array; val: Float32Array; occ: Occurrences; emb?: { rows: number[]; weights: number[] } };

/** Sparse features 0..idf.length-1, then (with embed) embed.dim dense word-vector features. */
export type Vocabulary = { index: FeatureIndex; idf: Float32Array; spec: FeatureSpec; embed?: EmbeddingTable; maxIdf?: number };

/** Width of a vectorised text. */
export const widthOf = (v: Vocabulary) => v.idf.length + (v.embed?.dim ?? 0);

export function vectorize(text: string, v: Vocabulary): SparseVec {
  const occ = extract(text, v.spec);
  const tfs = termFrequencies(occ);
  const idx: number[] = [], val: number[] = [], block: number[] = [];
  let nw = 0, nc = 0;
  for (const [h, e] of tfs) {
    const f = v.index.get(h);
    if (f < 0) continue;
    const x = e.tf * v.idf[f];
    idx.push(f); val.push(x); block.push(e.block);
    if (e.block === BLOCK_WORD) nw += x * x; else nc += x * x;
  }
  const sw = nw > 0 ? v.spec.wordWeight / Math.sqrt(nw) : 0;
  const sc = nc > 0 ? v.spec.charWeight / Math.sqrt(nc) : 0;
  const dim = v.embed && v.spec.embedWeight > 0 ? v.embed.dim : 0;
  const out = new Float32Array(val.length + dim), outIdx = new Int32Array(val.length + dim);
  for (let i = 0; i < val.length; i++) { out[i] = val[i] * (block[i] === BLOCK_WORD ? sw : sc); outIdx[i] = idx[i]; }
  if (!dim) return { idx: outIdx, val: out, occ };
  const maxIdf = (v.maxIdf ??= v.idf.reduce((a, b) => Math.max(a, b), 1));
  const idfOf = (norm: string) => { const f = v.index.get(hashUnigram(norm)); return f >= 0 ? v.idf[f] : maxIdf; };
  const e = sentenceEmbedding(occ.tokens, v.embed!, idfOf);
  const base = v.idf.length, w = v.spec.embedWeight;
  for (let j = 0; j < dim; j++) { outIdx[val.length + j] = base + j; out[val.length + j] = e.vec[j] * w; }
  return { idx: outIdx, val: out, occ, emb: { rows: e.rows, weights: e.weights.map((x) => x * w) } };
}

/** Document frequencies of every hash over the texts; the vocabulary keeps those in at least minDf texts. */
export function buildVocabulary(texts: string[], spec: FeatureSpec, embed?: EmbeddingTable): Vocabulary {
  const df = new Map<number, number>();
  for (const t of texts) for (const h of termFrequencies(extract(t, spec)).keys()) df.set(h, (df.get(h) ?? 0) + 1);
  const kept: number[] = [];
  for (const [h, n] of df) if (n >= spec.minDf) kept.push(h);
  const hashes = Uint32Array.from(kept).sort();
  const idf = new Float32Array(hashes.length);
  const N = texts.length;
  for (let i = 0; i < hashes.length; i++) idf[i] = Math.log((1 + N) / (1 + df.get(hashes[i])!)) + 1;
  return { index: new FeatureIndex(hashes), idf, spec, ...(embed ? { embed } : {}) };
}
