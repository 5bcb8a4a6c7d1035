import { rng, shuffle } from './random.ts';
import type { LabelledExample } from './types.ts';

/** Indices of examples grouped by label, labels in sorted order (deterministic regardless of input order of labels). */
function byLabel(examples: LabelledExample[]): number[][] {
  const groups = new Map<string, number[]>();
  examples.forEach((e, i) => { let g = groups.get(e.label); if (!g) groups.set(e.label, (g = [])); g.push(i); });
  return [...groups.keys()].sort().map((k) => groups.get(k)!);
}

/**
 * Stratified, deterministic split: from each label, round(fraction × its count) examples go to
 * the holdout (at least one when a label has two or more, never all of them).
 */
export function splitHoldout<T extends LabelledExample>(examples: T[], fraction: number, seed = 1): { train: T[]; holdout: T[] } {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError('splitHoldout: fraction must be between 0 and 1');
  const next = rng(seed);
  const inHoldout = new Uint8Array(examples.length);
  for (const g of byLabel(examples)) {
    shuffle(g, next);
    const k = g.length < 2 ? 0 : Math.min(g.length - 1, Math.max(1, Math.round(g.length * fraction)));
    for (let j = 0; j < k; j++) inHoldout[g[j]] = 1;
  }
  const train: T[] = [], holdout: T[] = [];
  examples.forEach((e, i) => (inHoldout[i] ? holdout : train).push(e));
  return { train, holdout };
}

/** Stratified k folds: fold f's holdout is every k-th example of each shuffled label group. */
export function stratifiedFolds<T extends LabelledExample>(examples: T[], k: number, seed = 1): { train: T[]; holdout: T[] }[] {
  const next = rng(seed);
  const fold = new Int32Array(examples.length);
  let offset = 0;
  for (const g of byLabel(examples)) {
    shuffle(g, next);
    g.forEach((idx, j) => { fold[idx] = (j + offset) % k; });
    offset += g.length;
  }
  return Array.from({ length: k }, (_, f) => {
    const train: T[] = [], holdout: T[] = [];
    examples.forEach((e, i) => (fold[i] === f ? holdout : train).push(e));
    return { train, holdout };
  });
}
