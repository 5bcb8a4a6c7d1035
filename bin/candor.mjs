#!/usr/bin/env node
// The candor CLI: TypeScript sources run through tsx, no separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
await main();
