// trainInWorker's child process starts here: it registers tsx (as bin/candor.mjs does), then runs the TypeScript body.
import { register } from 'tsx/esm/api';

register();
await import('./train-worker.ts');
