// The contact-reason classifier on Banking77 (shared/data/banking77/train.csv): training time on
// all 10,003 rows (one core), classify throughput and µs per message, model size and the heap of a
// loaded model, and accuracy on a stratified 80/20 split of train.csv (the 80% trains with the default
// config, the 20% scores).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classify, evaluateModel, loadModel, readLabelledCsv, serializeModel, splitHoldout, trainClassifier } from '../src/domains/understanding/classifier/index.ts';
import { fig, na, progress, type Figure } from './report.ts';

const classifierUrl = new URL('../src/domains/understanding/classifier/index.ts', import.meta.url).href;
const defaultCsv = fileURLToPath(new URL('../../shared/data/banking77/train.csv', import.meta.url));

export async function measureReasons(csv = process.env.BANKING77_CSV ?? defaultCsv): Promise<Figure[]> {
  if (!existsSync(csv)) return [na('reasons.train', 's', `no Banking77 train.csv at ${csv}`)];
  const examples = readLabelledCsv(readFileSync(csv, 'utf8'));
  const figures: Figure[] = [];

  progress(`reasons: training on all ${examples.length} Banking77 rows`);
  let t0 = performance.now();
  const full = trainClassifier(examples, { seed: 1 });
  const trainS = (performance.now() - t0) / 1000;
  figures.push(fig('reasons.train', trainS, 's', `train on ${examples.length} rows, ${full.labels.length} labels (the default: an ensemble of 3 networks, each trained without one stratified fifth, which calibrates it)`));
  const bytes = serializeModel(full);
  figures.push(fig('reasons.model.size', bytes.length / 1e6, 'MB', 'serialised model file'));

  // memory of a loaded model, measured in a fresh process (this one still holds the training garbage)
  const file = join(mkdtempSync(join(tmpdir(), 'candor-reasons-')), 'banking77.model');
  writeFileSync(file, bytes);
  const probe = `const { loadModel, classify } = await import(${JSON.stringify(classifierUrl)});
    const { readFileSync } = await import('node:fs');
    globalThis.gc(); const a = process.memoryUsage();
    const m = loadModel(readFileSync(${JSON.stringify(file)})); classify(m, 'warm up');
    globalThis.gc(); const b = process.memoryUsage();
    console.log(JSON.stringify({ heap: b.heapUsed + b.arrayBuffers - a.heapUsed - a.arrayBuffers, rss: b.rss }));`;
  const mem = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', probe], { encoding: 'utf8' }).trim().split('\n').at(-1)!);
  figures.push(fig('reasons.model.memory', mem.heap / 1e6, 'MB', 'heap + array buffers a loaded Banking77 model adds (fresh process)'));
  figures.push(fig('reasons.model.rss', mem.rss / 1e6, 'MB', 'RSS of that process after loading it and classifying once'));
  const loaded = loadModel(bytes);

  const texts = examples.map((e) => e.text);
  for (let i = 0; i < 500; i++) classify(loaded, texts[i]);
  const cpu0 = process.cpuUsage();
  t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < 3000) classify(loaded, texts[n++ % texts.length]);
  const wall = performance.now() - t0, cpu = process.cpuUsage(cpu0);
  figures.push(fig('reasons.classify', n / (wall / 1000), 'msg/s', `classify (label, confidence, evidence, top 3) on one core, Banking77 model`));
  figures.push(fig('reasons.classify.cpu', ((cpu.user + cpu.system) / n), 'µs/msg', 'CPU time per classify'));

  progress('reasons: 80/20 held-back accuracy');
  const { train, holdout } = splitHoldout(examples, 0.2, 1);
  const m = trainClassifier(train, { seed: 1 }); // exactly what a real training does, on the 80%
  const ev = evaluateModel(m, holdout);
  figures.push(fig('reasons.holdback.accuracy', ev.accuracy * 100, '%', `trained on ${train.length}, scored on the other ${holdout.length} rows of train.csv (stratified, seed 1)`));
  figures.push(fig('reasons.holdback.macroF1', ev.macroF1 * 100, '%', 'macro-F1 on the same held-back rows'));
  return figures;
}
