/** Softmax of scores / T into out (numerically stable). */
export function softmax(scores: ArrayLike<number>, T: number, out: Float64Array): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < scores.length; c++) if (scores[c] > max) max = scores[c];
  let sum = 0;
  for (let c = 0; c < scores.length; c++) { out[c] = Math.exp((scores[c] - max) / T); sum += out[c]; }
  for (let c = 0; c < scores.length; c++) out[c] /= sum;
  return out;
}

/** Mean negative log-likelihood of the true classes under softmax(scores / T). */
function nll(scores: Float64Array[], truth: number[], T: number): number {
  let s = 0;
  const p = new Float64Array(scores[0].length);
  for (let i = 0; i < scores.length; i++) s -= Math.log(Math.max(softmax(scores[i], T, p)[truth[i]], 1e-12));
  return s / scores.length;
}

/**
 * The temperature that makes softmax(decision values / T) a calibrated probability on held-back
 * examples: golden-section search of the NLL over log T in [1e-3, 10].
 */
export function fitTemperature(scores: Float64Array[], truth: number[]): number {
  if (!scores.length) return 0.2;
  let a = Math.log(1e-3), b = Math.log(10);
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = b - g * (b - a), x2 = a + g * (b - a);
  let f1 = nll(scores, truth, Math.exp(x1)), f2 = nll(scores, truth, Math.exp(x2));
  for (let k = 0; k < 60; k++) {
    if (f1 < f2) { b = x2; x2 = x1; f2 = f1; x1 = b - g * (b - a); f1 = nll(scores, truth, Math.exp(x1)); }
    else { a = x1; x1 = x2; f1 = f2; x2 = a + g * (b - a); f2 = nll(scores, truth, Math.exp(x2)); }
  }
  return Math.exp((a + b) / 2);
}
