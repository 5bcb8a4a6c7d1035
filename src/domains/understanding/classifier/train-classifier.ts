import { fitTemperature } from './calibrate.ts';
import { decisionValues } from './classify.ts';
import { buildEmbeddingTable, vectorKeys, type EmbeddingTable } from './embedding-block.ts';
import { scorePredictions } from './evaluate-model.ts';
import { trainMlp, type MlpConfig } from './mlp.ts';
import { splitHoldout } from './split-holdout.ts';
import { tokenize } from './text-features.ts';
import { buildVocabulary, vectorize, widthOf, type Vocabulary } from './vectorize.ts';
import { readWordVectors, wordVectorsAvailable } from './word-vectors.ts';
import type { FeatureSpec, HoldbackFigures, LabelledExample, ReasonModel } from './types.ts';

export const MODEL_FORMAT_VERSION = 1;

export const DEFAULT_SPEC: FeatureSpec = { wordNgrams: [1, 2], charMin: 2, charMax: 5, wordWeight: 1, charWeight: 1, minDf: 2, embedWeight: 1, embedTopN: 30000 };

/** Knobs for experiments; trainClassifier uses the defaults. */
export type TrainConfig = { spec: FeatureSpec; mlp: MlpConfig; holdbackFraction: number; minSteps: number };
export const DEFAULT_CONFIG: TrainConfig = {
  spec: DEFAULT_SPEC,
  mlp: { hidden: 256, epochs: 10, learningRate: 0.05, dropout: 0.3 },
  holdbackFraction: 0.2,
  /** small training sets get more epochs: at least this many SGD steps, at most 50 epochs */
  minSteps: 30_000,
};

type Core = Pick<ReasonModel, 'hidden' | 'weights' | 'scales' | 'hiddenBias' | 'outWeights' | 'bias'> & { vocab: Vocabulary };

/** Per-row int8 quantisation of the input weights: a quarter of the memory, and what is served is exactly what is saved. */
function quantizeRows(w: Float32Array, rows: number, H: number): { weights: Int8Array; scales: Float32Array } {
  const weights = new Int8Array(rows * H), scales = new Float32Array(rows);
  for (let f = 0; f < rows; f++) {
    let max = 0;
    for (let j = 0; j < H; j++) max = Math.max(max, Math.abs(w[f * H + j]));
    const scale = Math.fround(max / 127);
    scales[f] = scale;
    if (scale > 0) for (let j = 0; j < H; j++) weights[f * H + j] = Math.round(w[f * H + j] / scale);
  }
  return { weights, scales };
}

/** The pretrained vectors of every word in the examples (and its clitic-less forms) plus the most frequent English words. */
function embeddingTableFor(examples: LabelledExample[], spec: FeatureSpec): EmbeddingTable | undefined {
  if (!(spec.embedWeight > 0) || !wordVectorsAvailable()) return undefined;
  const words = new Set<string>();
  for (const e of examples) for (const t of tokenize(e.text)) for (const k of vectorKeys(t.norm)) words.add(k);
  const vectors = readWordVectors(words, spec.embedTopN);
  return buildEmbeddingTable(vectors, vectors.values().next().value?.length ?? 100);
}

function fitCore(examples: LabelledExample[], labelIndex: Map<string, number>, cfg: TrainConfig, seed: number, embed?: EmbeddingTable): Core {
  const vocab = buildVocabulary(examples.map((e) => e.text), cfg.spec, embed);
  const rows = examples.map((e) => vectorize(e.text, vocab));
  const rowPtr = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (rowPtr[i + 1] = rowPtr[i] + r.idx.length));
  const col = new Int32Array(rowPtr[rows.length]), val = new Float32Array(rowPtr[rows.length]);
  rows.forEach((r, i) => { col.set(r.idx, rowPtr[i]); val.set(r.val, rowPtr[i]); });
  const y = Int32Array.from(examples, (e) => labelIndex.get(e.label)!);
  const epochs = Math.min(50, Math.max(cfg.mlp.epochs, Math.ceil(cfg.minSteps / examples.length)));
  const net = trainMlp({ rowPtr, col, val, cols: widthOf(vocab) }, y, labelIndex.size, { ...cfg.mlp, epochs }, seed);
  return { vocab, hidden: net.hidden, ...quantizeRows(net.W1, widthOf(vocab), net.hidden), hiddenBias: net.b1, outWeights: net.W2, bias: net.b2 };
}

function assemble(core: Core, labels: string[], n: number, seed: number, temperature: number, holdback?: HoldbackFigures): ReasonModel {
  const { vocab, ...net } = core;
  return {
    version: MODEL_FORMAT_VERSION, labels, trainedAt: new Date().toISOString(), n, seed, spec: vocab.spec,
    vocab: vocab.index.hashes, idf: vocab.idf, ...net,
    embedHashes: vocab.embed?.hashes ?? new Uint32Array(0), embedVectors: vocab.embed?.vectors ?? new Int8Array(0),
    embedScale: vocab.embed?.scale ?? 1, embedDim: vocab.embed?.dim ?? 0, temperature,
    ...(holdback ? { holdback } : {}),
  };
}

/** Enough data to hold some back: at least 20 examples and three per label on average. */
const canHoldBack = (examples: LabelledExample[], labels: string[]) => examples.length >= 20 && examples.length >= labels.length * 3;

/**
 * Trains a contact-reason model. A stratified fifth of the examples is first held back: a model
 * trained on the rest fits the confidence temperature and gives the held-back figures; the final
 * model is then trained on all of them. Deterministic for a seed (trainedAt aside).
 */
export function trainClassifier(examples: LabelledExample[], opts: { seed?: number; config?: Partial<TrainConfig> } = {}): ReasonModel {
  const seed = opts.seed ?? 1;
  const cfg: TrainConfig = { ...DEFAULT_CONFIG, ...opts.config };
  const clean = examples.filter((e) => e.text.trim() && e.label.trim());
  const labels = [...new Set(clean.map((e) => e.label))].sort();
  if (labels.length < 2) throw new RangeError(`trainClassifier needs examples of at least two labels (got ${labels.length})`);
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const embed = embeddingTableFor(clean, cfg.spec);
  let temperature = 1;
  let holdback: HoldbackFigures | undefined;
  if (cfg.holdbackFraction > 0 && canHoldBack(clean, labels)) {
    const { train, holdout } = splitHoldout(clean, cfg.holdbackFraction, seed);
    const core = fitCore(train, labelIndex, cfg, seed, embed);
    const scores = holdout.map((e) => decisionValues(core, vectorize(e.text, core.vocab), labels.length));
    temperature = fitTemperature(scores, holdout.map((e) => labelIndex.get(e.label)!));
    const predicted = scores.map((s) => labels[s.indexOf(Math.max(...s))]);
    const ev = scorePredictions(holdout.map((e) => e.label), predicted);
    holdback = { accuracy: ev.accuracy, macroF1: ev.macroF1, n: ev.n };
  }
  return assemble(fitCore(clean, labelIndex, cfg, seed, embed), labels, clean.length, seed, temperature, holdback);
}
