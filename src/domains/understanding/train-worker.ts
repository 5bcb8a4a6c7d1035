// The body of trainInWorker's child process: trains on the examples it is sent and sends the serialized model back.
import { serializeModel, trainClassifier } from './classifier/index.ts';

process.once('message', (m: { examples: Parameters<typeof trainClassifier>[0]; seed: number }) => {
  try {
    const t0 = performance.now();
    const bytes = serializeModel(trainClassifier(m.examples, { seed: m.seed }));
    process.send!({ bytes, ms: Math.round(performance.now() - t0) }, () => process.exit(0));
  } catch (err) {
    process.send!({ error: err instanceof Error ? err.message : String(err) }, () => process.exit(0));
  }
});
process.send!({ ready: true });
