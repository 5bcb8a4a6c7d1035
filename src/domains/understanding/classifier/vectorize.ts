import { FeatureIndex } from './feature-index.ts';
import { BLOCK_WORD, extract, termFrequencies, type Occurrences } from './text-features.ts';
import type { FeatureSpec } from './types.ts';

/** A text as a sparse TF-IDF vector (each block L2-normalised, then weighted), with the occurrences it came from. */
export type SparseVec = { idx: Int32Array; val: Float32Array; occ: Occurrences };

export type Vocabulary = { index: FeatureIndex; idf: Float32Array; spec: FeatureSpec };

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
  const out = new Float32Array(val.length);
  for (let i = 0; i < val.length; i++) out[i] = val[i] * (block[i] === BLOCK_WORD ? sw : sc);
  return { idx: Int32Array.from(idx), val: out, occ };
}

/** Document frequencies of every hash over the texts; the vocabulary keeps those in at least minDf texts. */
export function buildVocabulary(texts: string[], spec: FeatureSpec): Vocabulary {
  const df = new Map<number, number>();
  for (const t of texts) for (const h of termFrequencies(extract(t, spec)).keys()) df.set(h, (df.get(h) ?? 0) + 1);
  const kept: number[] = [];
  for (const [h, n] of df) if (n >= spec.minDf) kept.push(h);
  const hashes = Uint32Array.from(kept).sort();
  const idf = new Float32Array(hashes.length);
  const N = texts.length;
  for (let i = 0; i < hashes.length; i++) idf[i] = Math.log((1 + N) / (1 + df.get(hashes[i])!)) + 1;
  return { index: new FeatureIndex(hashes), idf, spec };
}
