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
 * weights are int8, feature-major: the weight of feature f for label c is weights[f * labels.length + c] * scales[f].
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
  weights: Int8Array;
  scales: Float32Array;
  bias: Float32Array;
  /** softmax temperature over decision values, fit on held-back training data */
  temperature: number;
  /** the accuracy the trainer measured on its own held-back part of the training data, if it held one back */
  holdback?: HoldbackFigures;
};
