import { createWorkspace, createApiKey } from '../src/domains/workspaces/index.ts';
import { systemCtx } from '../src/platform/ctx.ts';
import { fig, fmtInt, progress, type Figure } from './report.ts';
import { openBenchPlatform, type Scratch } from './database.ts';
import { freePort, rssMB, runCli, spawnCandor, waitReady } from './proc.ts';
import { serverEnv } from './start.ts';
import { bodyText } from './workspace.ts';
import { RawPool } from './clients/raw-http.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const signed = (mb: number) => `${mb >= 0 ? '+' : '−'}${Math.abs(mb).toFixed(0)}`;

/** POST /api/v1/messages/inbound × n with `concurrency` keep-alive connections; throws on any non-2xx. */
async function postInbound(baseUrl: string, token: string, n: number, concurrency: number, capMs: number, tag: string, onTick: (done: number) => void): Promise<{ sent: number; rate: number }> {
  const pool = new RawPool(baseUrl, concurrency);
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const senders = Math.max(1, Math.floor(n / 10));
  let next = 0;
  let done = 0;
  const t0 = performance.now();
  const post = async (i: number) => {
    const body = JSON.stringify({ channel: 'email', from: { kind: 'email', value: `m${i % senders}.${tag}@bench.test` }, bodyText: bodyText(i, 200), externalId: `${tag}-${i}` });
    const res = await pool.send('POST', '/api/v1/messages/inbound', headers, body);
    if (res.status !== 201) throw new Error(`inbound answered ${res.status}: ${res.body.toString().slice(0, 300)}`);
  };
  const tick = setInterval(() => onTick(done), 5000);
  try {
    await Promise.all(Array.from({ length: concurrency }, async () => { while (next < n && performance.now() - t0 < capMs) { await post(next++); done++; } }));
  } finally {
    clearInterval(tick);
    pool.close();
  }
  return { sent: done, rate: done / ((performance.now() - t0) / 1000) };
}

/** A token for the memory server: `candor create-api-key` on the demo workspace, else a bench workspace made directly. */
async function apiKey(s: Scratch, demo: boolean): Promise<string> {
  if (demo) {
    const out = await runCli(['create-api-key', '--workspace', 'fibrelink', '--name', 'bench'], serverEnv(s));
    return out.trim().split('\n').pop()!.trim();
  }
  const app = await openBenchPlatform(s);
  try {
    const ws = await createWorkspace({ ctx: systemCtx(app, ''), input: { slug: 'bench-memory', name: 'Bench memory' } });
    return (await createApiKey({ ctx: systemCtx(app, ws.id), input: { name: 'bench', scopes: ['*'] } })).token;
  } finally {
    await app.close();
  }
}

/**
 * Resident memory of a started server (VmRSS), idle, then after `messages` inbound messages over
 * HTTP (16 keep-alive connections). The API key is made before the server starts: the CLI cannot
 * open a PGlite data dir a running server holds.
 */
export async function measureMemory(s: Scratch, demo: boolean, messages: number, capSeconds: number): Promise<Figure[]> {
  const token = await apiKey(s, demo);
  const p = spawnCandor(await freePort(), { ...serverEnv(s), ...(demo ? {} : { CANDOR_NO_DEMO: '1' }) });
  try {
    await waitReady(p);
    await sleep(3000);
    const pid = p.child.pid!;
    const idle = rssMB(pid);
    let peak = idle;
    const sampler = setInterval(() => { try { peak = Math.max(peak, rssMB(pid)); } catch { /* exiting */ } }, 250);
    progress(`memory: idle server at ${idle.toFixed(0)} MB; sending ${fmtInt(messages)} inbound messages over HTTP (16 connections)`);
    const { sent, rate } = await postInbound(p.url, token, messages, 16, capSeconds * 1000, `mem${Date.now().toString(36)}`, (d) => {
      progress(`memory: ${fmtInt(d)}/${fmtInt(messages)} sent, server RSS ${rssMB(pid).toFixed(0)} MB`);
    });
    clearInterval(sampler);
    const after = rssMB(pid);
    peak = Math.max(peak, after);
    await sleep(5000);
    const settled = rssMB(pid);
    const what = demo ? 'server restarted on the seeded demo data (key from `candor create-api-key`)' : 'CANDOR_NO_DEMO=1 (demo seeder missing): workspace + key made by the bench before start';
    return [
      fig('memory.rss.idle', idle, 'MB', `VmRSS of \`node bin/candor.mjs start\`, 3 s after /readyz, ${what}`),
      fig('memory.rss.growth', after - idle, 'MB', `VmRSS after ${fmtInt(sent)} inbound messages over HTTP${sent < messages ? ` (of ${fmtInt(messages)}: stopped at the ${capSeconds} s time cap)` : ''} at ${fmtInt(rate)}/s, 16 conns, minus idle; ` +
        `peak ${signed(peak - idle)}, 5 s later ${signed(settled - idle)} MB; target < 100 MB after 100,000`),
    ];
  } finally {
    await p.stop();
  }
}
