/**
 * Candor's contact-reason classifier: a pure library (no database). Train on labelled texts,
 * classify a message into a label with a calibrated confidence and the words that decided it,
 * save and load models, evaluate on labelled data, read labelled CSV files.
 */
export type { LabelledExample, ReasonModel, Prediction, FeatureSpec, HoldbackFigures } from './types.ts';
export type { Evaluation, ClassFigures } from './evaluate-model.ts';
export { trainClassifier, MODEL_FORMAT_VERSION } from './train-classifier.ts';
export { classify } from './classify.ts';
export { serializeModel, loadModel } from './model-format.ts';
export { evaluateModel } from './evaluate-model.ts';
export { readLabelledCsv } from './read-labelled-csv.ts';
export { splitHoldout, stratifiedFolds } from './split-holdout.ts';
export { CsvError, ModelFormatError } from './errors.ts';
