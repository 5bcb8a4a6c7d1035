import { softmax } from './calibrate.ts';
import { FeatureIndex } from './feature-index.ts';
import { hiddenOf, logitsOf } from './mlp.ts';
import { vectorize, type SparseVec, type Vocabulary } from './vectorize.ts';
import type { Prediction, ReasonModel } from './types.ts';

const vocabularies = new WeakMap<ReasonModel, Vocabulary>();

/** The model's lookup table, built once per loaded model. */
export function vocabularyOf(model: ReasonModel): Vocabulary {
  let v = vocabularies.get(model);
  if (!v) {
    const embed = model.embedDim ? { hashes: model.embedHashes, vectors: model.embedVectors, scale: model.embedScale, dim: model.embedDim } : undefined;
    vocabularies.set(model, (v = { index: new FeatureIndex(model.vocab), idf: model.idf, spec: model.spec, ...(embed ? { embed } : {}) }));
  }
  return v;
}

type Net = Pick<ReasonModel, 'hidden' | 'weights' | 'scales' | 'hiddenBias' | 'outWeights' | 'bias'>;

/** Logits of every label, and the hidden activations they came from. */
export function decisionValues(net: Net, x: SparseVec, K: number, h = new Float32Array(net.hidden)): Float64Array {
  hiddenOf(net.weights, net.scales, net.hiddenBias, net.hidden, x.idx, x.val, h);
  const out = new Float64Array(K);
  logitsOf(net.outWeights, net.bias, net.hidden, K, h, out);
  return out;
}

/**
 * The 3–5 words (as written) that pushed hardest towards label c. Within the active ReLU units
 * the logit is linear in the features, so each feature's share is exact: x_f · Σ_j W1[f,j] W2[j,c]
 * over active j. Char n-grams are credited to their word, a word bigram half to each word, the
 * word-vector block to each word by its share of the mean.
 */
function evidenceFor(model: ReasonModel, x: SparseVec, h: Float32Array, c: number, K: number): string[] {
  const { occ } = x, H = model.hidden, d = model.vocab.length;
  // only the active units carry a feature's share (v is 0 for the others)
  const v = new Float64Array(H), W = model.weights;
  for (let j = 0; j < H; j++) v[j] = h[j] > 0 ? model.outWeights[j * K + c] : 0;
  const contribution = new Map<number, number>();
  for (let p = 0; p < x.idx.length; p++) {
    const f = x.idx[p], base = f * H;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, j = 0;
    for (; j + 3 < H; j += 4) {
      s0 += W[base + j] * v[j]; s1 += W[base + j + 1] * v[j + 1];
      s2 += W[base + j + 2] * v[j + 2]; s3 += W[base + j + 3] * v[j + 3];
    }
    for (; j < H; j++) s0 += W[base + j] * v[j];
    contribution.set(f, (s0 + s1 + s2 + s3) * model.scales[f] * x.val[p]);
  }
  const byToken = new Float64Array(occ.tokens.length);
  const vocab = vocabularyOf(model);
  const feats = occ.hashes.map((hash) => vocab.index.get(hash));
  const times = new Map<number, number>();
  for (const f of feats) if (f >= 0) times.set(f, (times.get(f) ?? 0) + 1);
  feats.forEach((f, i) => {
    if (f < 0) return;
    const share = contribution.get(f)! / times.get(f)! / occ.span[i];
    for (let t = occ.token[i]; t < occ.token[i] + occ.span[i]; t++) byToken[t] += share;
  });
  if (x.emb && vocab.embed) {
    const { dim, vectors, scale } = vocab.embed;
    const g = new Float64Array(dim);
    for (let k = 0; k < dim; k++) g[k] = (contribution.get(d + k) ?? 0) / (x.val[x.idx.indexOf(d + k)] || 1);
    x.emb.rows.forEach((row, t) => {
      if (row < 0) return;
      let s = 0;
      for (let k = 0; k < dim; k++) s += vectors[row * dim + k] * scale * g[k];
      byToken[t] += s * x.emb!.weights[t];
    });
  }
  const order = [...byToken.keys()].filter((t) => byToken[t] > 0 && /[\p{L}\p{N}]/u.test(occ.tokens[t].raw)).sort((a, b) => byToken[b] - byToken[a]);
  const words: string[] = [];
  const taken = new Set<string>();
  for (const t of order) {
    const key = occ.tokens[t].norm;
    if (taken.has(key)) continue;
    if (words.length >= 3 && byToken[t] < byToken[order[0]] * 0.15) break;
    taken.add(key); words.push(occ.tokens[t].raw);
    if (words.length === 5) break;
  }
  return words;
}

/** Calibrated probability of every label (in model.labels order). */
export function probabilities(model: ReasonModel, text: string): Float64Array {
  const K = model.labels.length;
  return softmax(decisionValues(model, vectorize(text, vocabularyOf(model)), K), model.temperature, new Float64Array(K));
}

/** The most likely label with a calibrated confidence, the words that weighed most for it, and the top three labels. */
export function classify(model: ReasonModel, text: string): Prediction {
  const K = model.labels.length;
  const x = vectorize(text, vocabularyOf(model));
  const h = new Float32Array(model.hidden);
  const p = softmax(decisionValues(model, x, K, h), model.temperature, new Float64Array(K));
  const top: number[] = [];
  for (let c = 0; c < K; c++) {
    let at = top.length;
    while (at > 0 && p[c] > p[top[at - 1]]) at--;
    if (at < 3) { top.splice(at, 0, c); if (top.length > 3) top.pop(); }
  }
  const best = top[0];
  return {
    label: model.labels[best],
    confidence: p[best],
    evidence: evidenceFor(model, x, h, best, K),
    ranked: top.map((c) => ({ label: model.labels[c], confidence: p[c] })),
  };
}
