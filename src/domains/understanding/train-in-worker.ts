import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LabelledExample } from './classifier/index.ts';

/**
 * Trains a model in a child process and resolves with the serialized model. A retrain of
 * thousands of examples then never stalls the node's requests, and the memory training takes
 * (the word vectors alone are ~300 MB while they are read) goes back to the system when it ends.
 */
export function trainInWorker(examples: LabelledExample[], seed: number): Promise<{ bytes: Buffer; ms: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./train-worker-entry.mjs', import.meta.url)), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let done = false;
    child.on('message', (m: { ready?: true; bytes?: Uint8Array; ms?: number; error?: string }) => {
      if (m.ready) { child.send({ examples, seed }); return; }
      done = true;
      if (m.error) reject(new Error(m.error));
      else resolve({ bytes: Buffer.from(m.bytes!), ms: m.ms! });
      child.disconnect();
    });
    child.once('error', reject);
    child.once('exit', (code) => { if (!done) reject(new Error(`training process exited with code ${code} before it answered`)); });
  });
}
