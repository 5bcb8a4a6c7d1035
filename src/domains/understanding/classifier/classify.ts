import { softmax } from './calibrate.ts';
import { FeatureIndex } from './feature-index.ts';
import { vectorize, type SparseVec, type Vocabulary } from './vectorize.ts';
import type { Prediction, ReasonModel } from './types.ts';

const vocabularies = new WeakMap<ReasonModel, Vocabulary>();

/** The model's lookup table, built once per loaded model. */
export function vocabularyOf(model: ReasonModel): Vocabulary {
  let v = vocabularies.get(model);
  if (!v) vocabularies.set(model, (v = { index: new FeatureIndex(model.vocab), idf: model.idf, spec: model.spec }));
  return v;
}

/** Decision values of every label: bias + Σ x_f · w_f. */
export function decisionValues(model: Pick<ReasonModel, 'weights' | 'scales' | 'bias'>, x: SparseVec, K: number): Float64Array {
  const s = new Float64Array(K);
  for (let c = 0; c < K; c++) s[c] = model.bias[c];
  const W = model.weights;
  for (let p = 0; p < x.idx.length; p++) {
    const f = x.idx[p], base = f * K, v = x.val[p] * model.scales[f];
    for (let c = 0; c < K; c++) s[c] += W[base + c] * v;
  }
  return s;
}

/** The 3–5 words (as written) whose features pushed hardest towards label c; word bigrams share their weight between both words. */
function evidenceFor(model: ReasonModel, x: SparseVec, c: number, K: number): string[] {
  const { occ } = x;
  const byToken = new Float64Array(occ.tokens.length);
  const vocab = vocabularyOf(model);
  // x.val is per distinct feature; spread each feature's contribution over its occurrences.
  const weightOf = new Map<number, number>();
  for (let p = 0; p < x.idx.length; p++) weightOf.set(x.idx[p], x.val[p] * model.scales[x.idx[p]] * model.weights[x.idx[p] * K + c]);
  const seen = new Map<number, number>();
  for (let i = 0; i < occ.hashes.length; i++) { const f = vocab.index.get(occ.hashes[i]); if (f >= 0) seen.set(f, (seen.get(f) ?? 0) + 1); }
  for (let i = 0; i < occ.hashes.length; i++) {
    const f = vocab.index.get(occ.hashes[i]);
    if (f < 0) continue;
    const share = weightOf.get(f)! / seen.get(f)! / occ.span[i];
    for (let t = occ.token[i]; t < occ.token[i] + occ.span[i]; t++) byToken[t] += share;
  }
  const order = [...byToken.keys()].filter((t) => byToken[t] > 0 && /[\p{L}\p{N}]/u.test(occ.tokens[t].raw)).sort((a, b) => byToken[b] - byToken[a]);
  const words: string[] = [];
  const taken = new Set<string>();
  for (const t of order) {
    const w = occ.tokens[t].raw, k = occ.tokens[t].norm;
    if (taken.has(k)) continue;
    taken.add(k); words.push(w);
    if (words.length === 5 || (words.length >= 3 && byToken[t] < byToken[order[0]] * 0.15)) break;
  }
  return words;
}

/** The most likely label with a calibrated confidence, the words that weighed most for it, and the top three labels. */
export function classify(model: ReasonModel, text: string): Prediction {
  const K = model.labels.length;
  const x = vectorize(text, vocabularyOf(model));
  const p = softmax(decisionValues(model, x, K), model.temperature, new Float64Array(K));
  const top: number[] = [];
  for (let c = 0; c < K; c++) {
    top.push(c);
    top.sort((a, b) => p[b] - p[a] || a - b);
    if (top.length > 3) top.pop();
  }
  const best = top[0];
  return {
    label: model.labels[best],
    confidence: p[best],
    evidence: evidenceFor(model, x, best, K),
    ranked: top.map((c) => ({ label: model.labels[c], confidence: p[c] })),
  };
}
