// Understanding every message: reason + sentiment + language together, as the labeller calls them
// (one core, no database), and the labeller end to end on the database (claim, label, write the
// messages and their conversations, count reasons). The model is the demo taxonomy's.
import { fig, progress, type Figure } from './report.ts';
import { benchWorkspace } from './workspace.ts';
import { realisticMessages } from './understanding.ts';
import type { Platform } from '../src/platform/platform.ts';
import { withTransaction } from '../src/platform/ctx.ts';
import { receiveMessages } from '../src/domains/conversations/index.ts';
import { labelText, labelWorkspaceMessages, liveReasonModel, readyToLabel, retrainReasonModel, seedReasonTaxonomy } from '../src/domains/understanding/index.ts';
import { demoReasons } from '../src/demo/reasons-seed.ts';

export async function measureLabelling(app: Platform, sizes: { messages: number; stored: number }): Promise<Figure[]> {
  const w = await benchWorkspace(app, 'labels');
  await withTransaction(w.ctx, (tx) => seedReasonTaxonomy(tx, demoReasons));
  const t0 = performance.now();
  const model = await retrainReasonModel({ ctx: w.ctx });
  const trainMs = performance.now() - t0;
  await readyToLabel();
  const live = (await liveReasonModel(w.ctx))!;

  const texts = realisticMessages(sizes.messages);
  for (const m of texts.slice(0, 1000)) labelText(live, m, 0.4);
  const c0 = process.cpuUsage(); const w0 = performance.now();
  for (const m of texts) labelText(live, m, 0.4);
  const wallMs = performance.now() - w0;
  const cpu = process.cpuUsage(c0);
  const cpuUs = ((cpu.user + cpu.system) / texts.length);
  progress(`labelling: ${(wallMs * 1000 / texts.length).toFixed(1)} µs/message (CPU ${cpuUs.toFixed(1)} µs)`);

  // End to end: messages stored by ingest, then labelled by passes of the labeller until none wait.
  const batch = Array.from({ length: sizes.stored }, (_, i) => ({
    channel: 'email' as const, from: { kind: 'email' as const, value: `c${i % (sizes.stored / 4)}@bench.test` }, bodyText: texts[i % texts.length], externalId: `lab-${i}`,
  }));
  for (let i = 0; i < batch.length; i += 500) await receiveMessages({ ctx: w.ctx, input: batch.slice(i, i + 500) });
  const e0 = performance.now();
  let labelled = 0;
  for (let n; (n = await labelWorkspaceMessages(w.ctx, 400)); ) labelled += n;
  const e2eMs = performance.now() - e0;
  return [
    fig('understanding.label', texts.length / (wallMs / 1000), 'msg/s', `reason (15-reason demo model) + sentiment + language of ${texts.length.toLocaleString('en-US')} mixed en/nl messages on one core: ${(wallMs * 1000 / texts.length).toFixed(0)} µs each (CPU ${cpuUs.toFixed(0)} µs); budget < 1 ms`),
    fig('understanding.labeller', labelled / (e2eMs / 1000), 'msg/s', `the labeller end to end on the database: ${labelled.toLocaleString('en-US')} stored messages claimed, labelled and written with their conversations, in batches of 400`),
    fig('understanding.train.demo', trainMs, 'ms', `a retrain of the demo taxonomy (${model.trainExamples + model.heldBack} examples, 15 reasons) as the job runs it: worker thread, judged on ${model.heldBack} held back (${(model.accuracy * 100).toFixed(1)}% accuracy)`),
  ];
}
