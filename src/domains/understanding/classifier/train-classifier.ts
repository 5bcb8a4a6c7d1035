import { fitTemperature } from './calibrate.ts';
import { decisionValues } from './classify.ts';
import { buildEmbeddingTable, vectorKeys, type EmbeddingTable } from './embedding-block.ts';
import { scorePredictions } from './evaluate-model.ts';
import { hiddenOf, logitsOf, trainMlp, type Csr, type Mlp, type MlpConfig } from './mlp.ts';
import { splitHoldout, stratifiedFolds } from './split-holdout.ts';
import { tokenize } from './text-features.ts';
import { buildVocabulary, vectorize, widthOf, type SparseVec, type Vocabulary } from './vectorize.ts';
import { readWordVectors, wordVectorsAvailable } from './word-vectors.ts';
import type { FeatureSpec, HoldbackFigures, LabelledExample, ReasonModel } from './types.ts';

export const MODEL_FORMAT_VERSION = 1;

export const DEFAULT_SPEC: FeatureSpec = { wordNgrams: [1, 2], charMin: 2, charMax: 5, wordWeight: 1, charWeight: 1, minDf: 2, embedWeight: 1, embedTopN: 30000 };

/** Knobs for experiments; trainClassifier uses the defaults. */
export type TrainConfig = { spec: FeatureSpec; mlp: MlpConfig; holdbackFraction: number; minSteps: number; members: number; bagFrom: number };
export const DEFAULT_CONFIG: TrainConfig = {
  spec: DEFAULT_SPEC,
  mlp: { hidden: 256, epochs: 10, learningRate: 0.05, dropout: 0.3 },
  holdbackFraction: 0.2,
  /** small training sets get more epochs: at least this many SGD steps, at most 50 epochs */
  minSteps: 30_000,
  /** from this many examples on, a bagged ensemble of this many networks (see trainClassifier) */
  members: 3,
  bagFrom: 1000,
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

/** Rows (by index) as one CSR matrix. */
function csrOf(rows: SparseVec[], pick: ArrayLike<number>, cols: number): Csr {
  const rowPtr = new Int32Array(pick.length + 1);
  for (let i = 0; i < pick.length; i++) rowPtr[i + 1] = rowPtr[i] + rows[pick[i]].idx.length;
  const col = new Int32Array(rowPtr[pick.length]), val = new Float32Array(rowPtr[pick.length]);
  for (let i = 0; i < pick.length; i++) { col.set(rows[pick[i]].idx, rowPtr[i]); val.set(rows[pick[i]].val, rowPtr[i]); }
  return { rowPtr, col, val, cols };
}

/**
 * Networks averaged in logit space are one wider network: their hidden units side by side, the
 * output weights and biases divided by their number. So an ensemble is served and saved as one net.
 */
function concatNets(nets: Mlp[], d: number, K: number): Mlp {
  if (nets.length === 1) return nets[0];
  const m = nets.length, H = nets[0].hidden, HH = H * m;
  const W1 = new Float32Array(d * HH), b1 = new Float32Array(HH), W2 = new Float32Array(HH * K), b2 = new Float32Array(K);
  nets.forEach((net, k) => {
    for (let f = 0; f < d; f++) W1.set(net.W1.subarray(f * H, (f + 1) * H), f * HH + k * H);
    b1.set(net.b1, k * H);
    for (let i = 0; i < H * K; i++) W2[k * H * K + i] = net.W2[i] / m;
    for (let c = 0; c < K; c++) b2[c] += net.b2[c] / m;
  });
  return { hidden: HH, W1, b1, W2, b2 };
}

type Fitted = { core: Core; members: Mlp[]; rows: SparseVec[] };

/** The vocabulary from all the examples, then one network per subset of them (by index), averaged into one. */
function fitCore(examples: LabelledExample[], labelIndex: Map<string, number>, cfg: TrainConfig, seed: number, embed: EmbeddingTable | undefined,
  subsets: ArrayLike<number>[] = [Int32Array.from(examples.keys())]): Fitted {
  const vocab = buildVocabulary(examples.map((e) => e.text), cfg.spec, embed);
  const rows = examples.map((e) => vectorize(e.text, vocab));
  const y = Int32Array.from(examples, (e) => labelIndex.get(e.label)!);
  const d = widthOf(vocab), K = labelIndex.size;
  const members = subsets.map((pick, k) => {
    const epochs = Math.min(50, Math.max(cfg.mlp.epochs, Math.ceil(cfg.minSteps / pick.length)));
    return trainMlp(csrOf(rows, pick, d), Int32Array.from(pick, (i) => y[i]), K, { ...cfg.mlp, epochs }, seed + 7919 * k);
  });
  const net = concatNets(members, d, K);
  return { members, rows, core: { vocab, hidden: net.hidden, ...quantizeRows(net.W1, d, net.hidden), hiddenBias: net.b1, outWeights: net.W2, bias: net.b2 } };
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

/** Temperature and held-back figures from decision values of examples no network saw in training. */
function judge(scores: Float64Array[], truth: string[], labels: string[], labelIndex: Map<string, number>): { temperature: number; holdback: HoldbackFigures } {
  const temperature = fitTemperature(scores, truth.map((l) => labelIndex.get(l)!));
  const ev = scorePredictions(truth, scores.map((s) => labels[s.indexOf(Math.max(...s))]));
  return { temperature, holdback: { accuracy: ev.accuracy, macroF1: ev.macroF1, n: ev.n } };
}

/**
 * Trains a contact-reason model. Deterministic for a seed (trainedAt aside).
 * - From `bagFrom` examples on: an ensemble of `members` networks, member f trained on all but the
 *   f-th of 1/holdbackFraction stratified folds; each member's decision values on its own left-out
 *   fold fit the confidence temperature and give the held-back figures, so nothing is trained twice.
 *   Averaged in logit space, the members are saved as one wider network.
 * - Smaller sets: a stratified fifth is held back, a model trained on the rest fits the temperature
 *   and gives the figures, and the final model is trained on all of them.
 */
export function trainClassifier(examples: LabelledExample[], opts: { seed?: number; config?: Partial<TrainConfig> } = {}): ReasonModel {
  const seed = opts.seed ?? 1;
  const cfg: TrainConfig = { ...DEFAULT_CONFIG, ...opts.config };
  const clean = examples.filter((e) => e.text.trim() && e.label.trim());
  const labels = [...new Set(clean.map((e) => e.label))].sort();
  if (labels.length < 2) throw new RangeError(`trainClassifier needs examples of at least two labels (got ${labels.length})`);
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const embed = embeddingTableFor(clean, cfg.spec);
  const K = labels.length;
  if (cfg.holdbackFraction > 0 && cfg.members > 1 && clean.length >= cfg.bagFrom) {
    const k = Math.max(2, Math.round(1 / cfg.holdbackFraction));
    const folds = stratifiedFolds(clean.map((e, i) => ({ ...e, i })), k, seed).slice(0, Math.min(cfg.members, k));
    const fitted = fitCore(clean, labelIndex, cfg, seed, embed, folds.map((f) => Int32Array.from(f.train, (e) => e.i)));
    const scores: Float64Array[] = [], truth: string[] = [];
    fitted.members.forEach((net, f) => {
      const h = new Float32Array(net.hidden);
      for (const e of folds[f].holdout) {
        const o = new Float64Array(K), r = fitted.rows[e.i];
        hiddenOf(net.W1, undefined, net.b1, net.hidden, r.idx, r.val, h);
        logitsOf(net.W2, net.b2, net.hidden, K, h, o);
        scores.push(o); truth.push(e.label);
      }
    });
    const { temperature, holdback } = judge(scores, truth, labels, labelIndex);
    return assemble(fitted.core, labels, clean.length, seed, temperature, holdback);
  }
  let temperature = 1;
  let holdback: HoldbackFigures | undefined;
  if (cfg.holdbackFraction > 0 && canHoldBack(clean, labels)) {
    const { train, holdout } = splitHoldout(clean, cfg.holdbackFraction, seed);
    const { core } = fitCore(train, labelIndex, cfg, seed, embed);
    const scores = holdout.map((e) => decisionValues(core, vectorize(e.text, core.vocab), K));
    ({ temperature, holdback } = judge(scores, holdout.map((e) => e.label), labels, labelIndex));
  }
  return assemble(fitCore(clean, labelIndex, cfg, seed, embed).core, labels, clean.length, seed, temperature, holdback);
}
