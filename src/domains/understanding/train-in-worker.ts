import { Worker } from 'node:worker_threads';
import type { LabelledExample } from './classifier/index.ts';

/**
 * Trains a model on a worker thread, so a retrain of thousands of examples never stalls the
 * node's requests; resolves with the serialized model. The worker runs the TypeScript through
 * tsx, like the rest of Candor.
 */
export function trainInWorker(examples: LabelledExample[], seed: number): Promise<{ bytes: Buffer; ms: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./train-worker-entry.mjs', import.meta.url), { workerData: { examples, seed } });
    worker.once('message', (m: { bytes?: Uint8Array; ms?: number; error?: string }) => {
      if (m.error) reject(new Error(m.error));
      else resolve({ bytes: Buffer.from(m.bytes!), ms: m.ms! });
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => { if (code !== 0) reject(new Error(`training worker exited with code ${code}`)); });
  });
}
