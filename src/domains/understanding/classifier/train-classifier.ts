import { fitTemperature } from './calibrate.ts';
import { decisionValues } from './classify.ts';
import { scorePredictions } from './evaluate-model.ts';
import { trainOneVsRest, type Csr } from './linear-svm.ts';
import { splitHoldout } from './split-holdout.ts';
import { buildVocabulary, vectorize, type Vocabulary } from './vectorize.ts';
import type { FeatureSpec, HoldbackFigures, LabelledExample, ReasonModel } from './types.ts';

export const MODEL_FORMAT_VERSION = 1;

export const DEFAULT_SPEC: FeatureSpec = { wordNgrams: [1, 2], charMin: 2, charMax: 5, wordWeight: 1, charWeight: 1, minDf: 2 };

/** Knobs for experiments; trainClassifier uses the defaults. */
export type TrainConfig = { spec: FeatureSpec; C: number; holdbackFraction: number };
export const DEFAULT_CONFIG: TrainConfig = { spec: DEFAULT_SPEC, C: 0.5, holdbackFraction: 0.2 };

type Core = { vocab: Vocabulary; weights: Int8Array; scales: Float32Array; bias: Float32Array };

/** Per-feature int8 quantisation: a quarter of the memory, and what is served is exactly what is saved. */
function quantize(w: Float32Array, d: number, K: number): { weights: Int8Array; scales: Float32Array } {
  const weights = new Int8Array(d * K), scales = new Float32Array(d);
  for (let f = 0; f < d; f++) {
    let max = 0;
    for (let c = 0; c < K; c++) max = Math.max(max, Math.abs(w[f * K + c]));
    const scale = Math.fround(max / 127);
    scales[f] = scale;
    if (scale > 0) for (let c = 0; c < K; c++) weights[f * K + c] = Math.round(w[f * K + c] / scale);
  }
  return { weights, scales };
}

function fitCore(examples: LabelledExample[], labelIndex: Map<string, number>, cfg: TrainConfig, seed: number): Core {
  const vocab = buildVocabulary(examples.map((e) => e.text), cfg.spec);
  const rows = examples.map((e) => vectorize(e.text, vocab));
  const rowPtr = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (rowPtr[i + 1] = rowPtr[i] + r.idx.length));
  const col = new Int32Array(rowPtr[rows.length]), val = new Float32Array(rowPtr[rows.length]);
  rows.forEach((r, i) => { col.set(r.idx, rowPtr[i]); val.set(r.val, rowPtr[i]); });
  const X: Csr = { rowPtr, col, val, cols: vocab.idf.length };
  const y = Int32Array.from(examples, (e) => labelIndex.get(e.label)!);
  const { weights, bias } = trainOneVsRest(X, y, labelIndex.size, cfg.C, seed);
  return { vocab, ...quantize(weights, X.cols, labelIndex.size), bias };
}

function assemble(core: Core, labels: string[], n: number, seed: number, temperature: number, holdback?: HoldbackFigures): ReasonModel {
  return {
    version: MODEL_FORMAT_VERSION, labels, trainedAt: new Date().toISOString(), n, seed, spec: core.vocab.spec,
    vocab: core.vocab.index.hashes, idf: core.vocab.idf, weights: core.weights, scales: core.scales, bias: core.bias, temperature,
    ...(holdback ? { holdback } : {}),
  };
}

/** Enough data to hold some back: two or more examples in most labels and at least 20 in all. */
const canHoldBack = (examples: LabelledExample[], labels: string[]) => examples.length >= 20 && examples.length >= labels.length * 3;

/**
 * Trains a contact-reason model. A stratified fifth of the examples is first held back to fit the
 * confidence temperature and measure held-back accuracy; the final model is trained on all of them.
 */
export function trainClassifier(examples: LabelledExample[], opts: { seed?: number; config?: Partial<TrainConfig> } = {}): ReasonModel {
  const seed = opts.seed ?? 1;
  const cfg: TrainConfig = { ...DEFAULT_CONFIG, ...opts.config };
  const clean = examples.filter((e) => e.text.trim() && e.label.trim());
  const labels = [...new Set(clean.map((e) => e.label))].sort();
  if (labels.length < 2) throw new RangeError(`trainClassifier needs examples of at least two labels (got ${labels.length})`);
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  let temperature = 0.2;
  let holdback: HoldbackFigures | undefined;
  if (cfg.holdbackFraction > 0 && canHoldBack(clean, labels)) {
    const { train, holdout } = splitHoldout(clean, cfg.holdbackFraction, seed);
    const core = fitCore(train, labelIndex, cfg, seed);
    const scores = holdout.map((e) => decisionValues(core, vectorize(e.text, core.vocab), labels.length));
    temperature = fitTemperature(scores, holdout.map((e) => labelIndex.get(e.label)!));
    const predicted = scores.map((s) => labels[s.indexOf(Math.max(...s))]);
    const ev = scorePredictions(holdout.map((e) => e.label), predicted);
    holdback = { accuracy: ev.accuracy, macroF1: ev.macroF1, n: ev.n };
  }
  return assemble(fitCore(clean, labelIndex, cfg, seed), labels, clean.length, seed, temperature, holdback);
}
