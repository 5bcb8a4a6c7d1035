import { rng } from './random.ts';

/** Rows in compressed sparse row form; every row is one example. */
export type Csr = { rowPtr: Int32Array; col: Int32Array; val: Float32Array; cols: number };

/**
 * One-vs-rest L2-regularised L2-loss linear SVM by dual coordinate descent with shrinking
 * (Hsieh et al. 2008, LIBLINEAR solver 1). A constant bias feature of value 1 is added.
 * Returns weights feature-major (weights[f * K + c]) and a bias per class.
 */
export function trainOneVsRest(X: Csr, y: Int32Array, K: number, C: number, seed: number, eps = 0.1, maxIter = 1000) {
  const l = y.length, d = X.cols;
  const { rowPtr, col, val } = X;
  const weights = new Float32Array(d * K);
  const bias = new Float32Array(K);
  const diag = 0.5 / C;
  const QD = new Float64Array(l);
  for (let i = 0; i < l; i++) {
    let s = 1; // bias feature
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) s += val[p] * val[p];
    QD[i] = s + diag;
  }
  const w = new Float64Array(d + 1);
  const alpha = new Float64Array(l);
  const index = new Int32Array(l);
  const yy = new Int8Array(l);
  const next = rng(seed);
  for (let c = 0; c < K; c++) {
    w.fill(0); alpha.fill(0);
    for (let i = 0; i < l; i++) { index[i] = i; yy[i] = y[i] === c ? 1 : -1; }
    let active = l, PGmaxOld = Infinity;
    for (let iter = 0; iter < maxIter; iter++) {
      let PGmaxNew = -Infinity, PGminNew = Infinity;
      for (let s = 0; s < active; s++) {
        const j = s + Math.floor(next() * (active - s));
        const t = index[s]; index[s] = index[j]; index[j] = t;
      }
      for (let s = 0; s < active; s++) {
        const i = index[s], yi = yy[i];
        let dot = w[d];
        for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) dot += w[col[p]] * val[p];
        const G = yi * dot - 1 + alpha[i] * diag;
        let PG = 0;
        if (alpha[i] === 0) {
          if (G > PGmaxOld) { active--; index[s] = index[active]; index[active] = i; s--; continue; }
          if (G < 0) PG = G;
        } else PG = G;
        if (PG > PGmaxNew) PGmaxNew = PG;
        if (PG < PGminNew) PGminNew = PG;
        if (Math.abs(PG) > 1e-12) {
          const old = alpha[i];
          const a = Math.max(old - G / QD[i], 0);
          alpha[i] = a;
          const delta = (a - old) * yi;
          for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) w[col[p]] += delta * val[p];
          w[d] += delta;
        }
      }
      if (PGmaxNew - PGminNew <= eps) {
        if (active === l) break;
        active = l; PGmaxOld = Infinity;
        continue;
      }
      PGmaxOld = PGmaxNew > 0 ? PGmaxNew : Infinity;
    }
    for (let f = 0; f < d; f++) weights[f * K + c] = w[f];
    bias[c] = w[d];
  }
  return { weights, bias };
}
