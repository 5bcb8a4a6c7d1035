// candor reasons train --csv FILE --out MODEL [--seed N]
// candor reasons eval --model MODEL --csv FILE [--json]
// A pure command: it reads and writes files only, never the database or the platform.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  CsvError, ModelFormatError, evaluateModel, loadModel, readLabelledCsv, serializeModel, trainClassifier,
} from '../domains/understanding/classifier/index.ts';

const usage = `Usage:
  candor reasons train --csv FILE --out MODEL [--seed N]   train a contact-reason model from a labelled CSV (text,label)
  candor reasons eval --model MODEL --csv FILE [--json]    accuracy, macro-F1 and the worst classes on a labelled CSV`;

/** A usage problem: exit code 2. */
class UsageError extends Error {}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

function readText(path: string, what: string): string {
  try { return readFileSync(path, 'utf8'); } catch (err) {
    throw new Error(`cannot read the ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function required(values: Record<string, unknown>, flag: string, sub: string): string {
  const v = values[flag];
  if (typeof v !== 'string' || !v) throw new UsageError(`candor reasons ${sub}: missing --${flag}\n\n${usage}`);
  return v;
}

function train(args: string[]) {
  const { values } = parseArgs({ args, options: { csv: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' } }, strict: true });
  const csv = required(values, 'csv', 'train'), out = required(values, 'out', 'train');
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`candor reasons train: --seed must be an integer\n\n${usage}`);
  const examples = readLabelledCsv(readText(csv, 'CSV file'));
  const t0 = performance.now();
  const model = trainClassifier(examples, { seed });
  const seconds = (performance.now() - t0) / 1000;
  const bytes = serializeModel(model);
  try { writeFileSync(out, bytes); } catch (err) { throw new Error(`cannot write the model ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`); }
  console.log(`trained on ${model.n} examples, ${model.labels.length} labels`);
  if (model.holdback) console.log(`held back ${model.holdback.n} of them while training: accuracy ${pct(model.holdback.accuracy)}, macro-F1 ${pct(model.holdback.macroF1)} (each scored by a network that did not train on it)`);
  else console.log('too few examples to hold some back: no held-back figures');
  console.log(`took ${seconds.toFixed(1)} s; wrote ${out} (${(bytes.length / 1e6).toFixed(2)} MB)`);
}

function evaluate(args: string[]) {
  const { values } = parseArgs({ args, options: { model: { type: 'string' }, csv: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
  const modelPath = required(values, 'model', 'eval'), csv = required(values, 'csv', 'eval');
  let bytes: Buffer;
  try { bytes = readFileSync(modelPath); } catch (err) { throw new Error(`cannot read the model ${modelPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`); }
  const model = loadModel(bytes);
  const examples = readLabelledCsv(readText(csv, 'CSV file'));
  const ev = evaluateModel(model, examples);
  const unknown = [...new Set(examples.map((e) => e.label))].filter((l) => !model.labels.includes(l));
  console.log(`${ev.n} examples: accuracy ${pct(ev.accuracy)}, macro-F1 ${pct(ev.macroF1)}`);
  if (unknown.length) console.log(`labels the model was not trained on (always wrong): ${unknown.join(', ')}`);
  const worst = [...ev.perClass].sort((a, b) => a.f1 - b.f1 || a.label.localeCompare(b.label)).slice(0, 5);
  console.log('worst classes (lowest F1):');
  for (const c of worst) {
    const conf = ev.confusions.find((x) => x.label === c.label);
    const into = ev.confusions.find((x) => x.predictedAs === c.label);
    console.log(`  ${c.label}: F1 ${pct(c.f1)} (precision ${pct(c.precision)}, recall ${pct(c.recall)}, ${c.support} rows)` +
      (conf ? `; most often taken for ${conf.predictedAs} (${conf.count})` : '') + (into ? `; ${into.label} most often taken for it (${into.count})` : ''));
  }
  if (values.json) console.log(JSON.stringify({ accuracy: ev.accuracy, macroF1: ev.macroF1, n: ev.n }));
}

/** Runs `candor reasons ...`; returns the exit code. */
export async function reasonsCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === 'train') train(rest);
    else if (sub === 'eval') evaluate(rest);
    else if (sub === undefined || sub === 'help' || sub === '--help') { console.log(usage); return sub === undefined ? 2 : 0; }
    else throw new UsageError(`candor reasons: unknown subcommand ${sub}\n\n${usage}`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) { console.error(err.message); return 2; }
    if ((err as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (err as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      console.error(`candor reasons: ${(err as Error).message}\n\n${usage}`);
      return 2;
    }
    const kind = err instanceof CsvError ? 'CSV error: ' : err instanceof ModelFormatError ? 'model error: ' : '';
    console.error(`candor reasons: ${kind}${(err as Error).message}`);
    return 1;
  }
}
