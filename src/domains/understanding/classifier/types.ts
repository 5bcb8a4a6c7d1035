export type LabelledExample = { text: string; label: string };

/** What the feature extractor does; stored in the model so classify extracts exactly what training saw. */
export type FeatureSpec = {
  /** word n-gram orders, e.g. [1, 2] */
  wordNgrams: number[];
  /** character n-gram sizes inside each padded word (char_wb), e.g. [2, 5] inclusive */
  charMin: number;
  charMax: number;
  /** weight of the word block and of the char block after each is L2-normalised */
  wordWeight: number;
  charWeight: number;
  /** features seen in fewer training texts are dropped */
  minDf: number;
  /** weight of the word-vector block (idf-weighted mean of pretrained vectors); 0 = none */
  embedWeight: number;
  /** vectors kept for the training words plus this many of the most frequent English words */
  embedTopN: number;
};

export type Prediction = {
  label: string;
  confidence: number;
  evidence: string[];
  ranked: { label: string; confidence: number }[];
};

export type HoldbackFigures = { accuracy: number; macroF1: number; n: number };

/**
 * A trained contact-reason model. Treat the fields as opaque except version, labels, trainedAt, n.
 * It is a one-hidden-layer ReLU network: the input→hidden weights are int8, feature-major (the
 * weight of feature f for hidden unit j is weights[f * hidden + j] * scales[f]); hidden→label
 * weights are hidden-major (outWeights[j * labels.length + c]).
 */
export type ReasonModel = {
  version: number;
  labels: string[];
  trainedAt: string;
  n: number;
  seed: number;
  spec: FeatureSpec;
  /** sorted 32-bit feature hashes and their idf */
  vocab: Uint32Array;
  idf: Float32Array;
  hidden: number;
  weights: Int8Array;
  scales: Float32Array;
  hiddenBias: Float32Array;
  outWeights: Float32Array;
  bias: Float32Array;
  /** word vectors carried by the model (empty when spec.embedWeight is 0): word hashes, int8 rows of spec dim */
  embedHashes: Uint32Array;
  embedVectors: Int8Array;
  embedScale: number;
  embedDim: number;
  /** softmax temperature over decision values, fit on held-back training data */
  temperature: number;
  /** the accuracy the trainer measured on its own held-back part of the training data, if it held one back */
  holdback?: HoldbackFigures;
};
