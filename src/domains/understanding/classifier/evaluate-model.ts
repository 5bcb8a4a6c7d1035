import type { LabelledExample, ReasonModel } from './types.ts';
import { classify } from './classify.ts';

export type ClassFigures = { label: string; precision: number; recall: number; f1: number; support: number };
export type Evaluation = {
  accuracy: number; macroF1: number; n: number;
  perClass: ClassFigures[];
  /** off-diagonal cells of the confusion matrix, most frequent first */
  confusions: { label: string; predictedAs: string; count: number }[];
};

/** Accuracy, macro-F1 over the labels present in truth or predictions, and the confusions, from predicted/true label pairs. */
export function scorePredictions(truth: string[], predicted: string[]): Evaluation {
  const labels = [...new Set([...truth, ...predicted])].sort();
  const tp = new Map<string, number>(), fp = new Map<string, number>(), support = new Map<string, number>();
  const conf = new Map<string, number>();
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i], p = predicted[i];
    support.set(t, (support.get(t) ?? 0) + 1);
    if (t === p) { correct++; tp.set(t, (tp.get(t) ?? 0) + 1); }
    else { fp.set(p, (fp.get(p) ?? 0) + 1); const k = `${t}\u0000${p}`; conf.set(k, (conf.get(k) ?? 0) + 1); }
  }
  const perClass = labels.filter((l) => support.get(l)).map((label) => {
    const TP = tp.get(label) ?? 0, FP = fp.get(label) ?? 0, S = support.get(label) ?? 0;
    const precision = TP + FP ? TP / (TP + FP) : 0, recall = S ? TP / S : 0;
    return { label, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support: S };
  });
  const confusions = [...conf].map(([k, count]) => { const [label, predictedAs] = k.split('\u0000'); return { label, predictedAs, count }; })
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label) || a.predictedAs.localeCompare(b.predictedAs));
  return {
    accuracy: truth.length ? correct / truth.length : 0,
    macroF1: perClass.length ? perClass.reduce((s, c) => s + c.f1, 0) / perClass.length : 0,
    n: truth.length, perClass, confusions,
  };
}

/** Classifies every example and scores the predictions against their labels. */
export function evaluateModel(model: ReasonModel, examples: LabelledExample[]): Evaluation {
  return scorePredictions(examples.map((e) => e.label), examples.map((e) => classify(model, e.text).label));
}
