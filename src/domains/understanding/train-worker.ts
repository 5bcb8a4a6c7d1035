// The body of trainInWorker's thread: trains on workerData.examples and posts the serialized model back.
import { parentPort, workerData } from 'node:worker_threads';
import { serializeModel, trainClassifier } from './classifier/index.ts';

try {
  const t0 = performance.now();
  const model = trainClassifier(workerData.examples, { seed: workerData.seed });
  const bytes = serializeModel(model);
  parentPort!.postMessage({ bytes, ms: Math.round(performance.now() - t0) });
} catch (err) {
  parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
