import { rng } from './random.ts';

/** Rows in compressed sparse row form; every row is one example. */
export type Csr = { rowPtr: Int32Array; col: Int32Array; val: Float32Array; cols: number };

/** A one-hidden-layer ReLU network over the sparse features: logits = W2ᵀ relu(W1ᵀ x + b1) + b2. */
export type Mlp = { hidden: number; W1: Float32Array; b1: Float32Array; W2: Float32Array; b2: Float32Array };
export type MlpConfig = { hidden: number; epochs: number; learningRate: number; dropout: number };

/** Hidden activations of one sparse row (idx/val) into h, summed in double precision (faster than rounding to float32 at every step). */
export function hiddenOf(W1: Float32Array | Int8Array, scales: Float32Array | undefined, b1: Float32Array, H: number, idx: Int32Array, val: Float32Array, h: Float32Array) {
  const acc = accumulator(H);
  for (let j = 0; j < H; j++) acc[j] = b1[j];
  for (let p = 0; p < idx.length; p++) {
    const f = idx[p], base = f * H, v = scales ? val[p] * scales[f] : val[p];
    let j = 0;
    for (; j + 3 < H; j += 4) {
      acc[j] += W1[base + j] * v; acc[j + 1] += W1[base + j + 1] * v;
      acc[j + 2] += W1[base + j + 2] * v; acc[j + 3] += W1[base + j + 3] * v;
    }
    for (; j < H; j++) acc[j] += W1[base + j] * v;
  }
  for (let j = 0; j < H; j++) h[j] = acc[j] > 0 ? acc[j] : 0;
}

let scratch = new Float64Array(0);
const accumulator = (H: number) => (scratch.length >= H ? scratch : (scratch = new Float64Array(H)));

/** logits = W2ᵀ h + b2 (W2 hidden-major). */
export function logitsOf(W2: Float32Array, b2: Float32Array, H: number, K: number, h: Float32Array, out: Float64Array) {
  for (let c = 0; c < K; c++) out[c] = b2[c];
  for (let j = 0; j < H; j++) {
    const hj = h[j];
    if (hj === 0) continue;
    const base = j * K;
    for (let c = 0; c < K; c++) out[c] += hj * W2[base + c];
  }
}

/**
 * Plain SGD on the softmax cross-entropy, one example at a time, the rate falling linearly to
 * zero, inverted dropout on the hidden layer. Deterministic for a seed.
 */
export function trainMlp(X: Csr, y: Int32Array, K: number, cfg: MlpConfig, seed: number): Mlp {
  const H = cfg.hidden, d = X.cols, n = y.length, drop = cfg.dropout, keep = 1 / (1 - drop);
  const next = rng(seed ^ 0x5bd1e995);
  const W1 = new Float32Array(d * H), b1 = new Float32Array(H), W2 = new Float32Array(H * K), b2 = new Float32Array(K);
  const s1 = Math.sqrt(6 / (50 + H)), s2 = Math.sqrt(6 / (H + K));
  for (let i = 0; i < W1.length; i++) W1[i] = (next() * 2 - 1) * s1;
  for (let i = 0; i < W2.length; i++) W2[i] = (next() * 2 - 1) * s2;
  const h = new Float32Array(H), o = new Float64Array(K);
  // the units kept by this step's dropout, then those of them a ReLU lets through, with their gradients
  const kept = new Int32Array(H), act = new Int32Array(H), dh = new Float32Array(H);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const total = cfg.epochs * n;
  let step = 0;
  for (let ep = 0; ep < cfg.epochs; ep++) {
    for (let i = n - 1; i > 0; i--) { const j = Math.floor(next() * (i + 1)); const t = order[i]; order[i] = order[j]; order[j] = t; }
    for (let s = 0; s < n; s++) {
      const i = order[s];
      const lr = cfg.learningRate * (1 - step++ / total);
      const from = X.rowPtr[i], to = X.rowPtr[i + 1];
      // dropout first: a dropped unit neither feeds the output nor learns, so only kept units are computed
      let nk = 0;
      for (let j = 0; j < H; j++) if (next() >= drop) kept[nk++] = j;
      for (let k = 0; k < nk; k++) h[k] = b1[kept[k]];
      for (let p = from; p < to; p++) {
        const base = X.col[p] * H, v = X.val[p];
        for (let k = 0; k < nk; k++) h[k] += W1[base + kept[k]] * v;
      }
      let na = 0;
      for (let k = 0; k < nk; k++) if (h[k] > 0) { act[na] = kept[k]; h[na++] = h[k] * keep; }
      for (let c = 0; c < K; c++) o[c] = b2[c];
      for (let a = 0; a < na; a++) {
        const hj = h[a], base = act[a] * K;
        for (let c = 0; c < K; c++) o[c] += hj * W2[base + c];
      }
      let max = -Infinity;
      for (let c = 0; c < K; c++) if (o[c] > max) max = o[c];
      let sum = 0;
      for (let c = 0; c < K; c++) { o[c] = Math.exp(o[c] - max); sum += o[c]; }
      for (let c = 0; c < K; c++) o[c] /= sum;
      o[y[i]] -= 1;
      for (let a = 0; a < na; a++) {
        const hj = h[a], base = act[a] * K, step = lr * hj;
        let g = 0;
        for (let c = 0; c < K; c++) { g += W2[base + c] * o[c]; W2[base + c] -= step * o[c]; }
        dh[a] = g * keep * lr;
      }
      for (let c = 0; c < K; c++) b2[c] -= lr * o[c];
      for (let p = from; p < to; p++) {
        const base = X.col[p] * H, v = X.val[p];
        for (let a = 0; a < na; a++) W1[base + act[a]] -= v * dh[a];
      }
      for (let a = 0; a < na; a++) b1[act[a]] -= dh[a];
    }
  }
  return { hidden: H, W1, b1, W2, b2 };
}
