import { describe, it, expect, beforeAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { enqueueJob, JobRunner } from '../src/platform/jobs.ts';
import { withTransaction } from '../src/platform/ctx.ts';
import { receiveMessage, postMessage, deliveryJob, PermanentDeliveryError, listMessages } from '../src/domains/conversations/index.ts';
import { listFailedJobs, retryFailedJob } from '../src/domains/workspaces/index.ts';

let app: Platform;
let t: TestWorkspace;
beforeAll(async () => { app = await testPlatform(); t = await newWorkspace(app); });

/** A runner of its own so each test controls handlers; drain() runs whatever is due. */
function runner(queue: string, handler: Parameters<JobRunner['register']>[1]) {
  const r = new JobRunner(app, { pollMs: 60_000, batch: 20, lockMs: 60_000 });
  r.register(queue, handler);
  return r;
}
const jobRow = async (id: string) => (await app.database.query<any>('select * from jobs where workspace_id = $1 and id = $2', [t.ws.id, id]))[0];
const makeDue = (id: string) => app.database.query("update jobs set run_at = now() - interval '1 second' where id = $1", [id]);

describe('durable job queue', () => {
  it('exists only if the enqueuing transaction commits', async () => {
    let id = '';
    await expect(withTransaction(t.system, async (tx) => {
      id = await enqueueJob(tx, { queue: 'test.rollback', payload: {} });
      throw new Error('changed my mind');
    })).rejects.toThrow();
    expect(await jobRow(id)).toBeUndefined();
  });

  it('retries with backoff and ends dead-lettered, visible to an admin, who can retry it', async () => {
    let calls = 0;
    let fail = true;
    const r = runner('test.flaky', async () => { calls++; if (fail) throw new Error(`boom ${calls}`); });
    const id = await enqueueJob(t.system, { queue: 'test.flaky', payload: { n: 1 }, maxAttempts: 3 });
    await r.drain();
    let row = await jobRow(id);
    expect(row).toMatchObject({ status: 'queued', attempts: 1, last_error: 'boom 1' });
    expect(new Date(row.run_at).getTime()).toBeGreaterThan(Date.now());
    for (let i = 0; i < 2; i++) { await makeDue(id); await r.drain(); }
    row = await jobRow(id);
    expect(row).toMatchObject({ status: 'dead', attempts: 3, last_error: 'boom 3' });
    const dead = await listFailedJobs({ ctx: t.adminCtx });
    expect(dead.find((j) => j.id === id)).toMatchObject({ queue: 'test.flaky', lastError: 'boom 3' });
    fail = false;
    await retryFailedJob({ ctx: t.adminCtx, id });
    await r.drain();
    expect((await jobRow(id)).status).toBe('done');
    expect(calls).toBe(4);
  });

  it('picks up a job whose worker died mid-run once its lock expires', async () => {
    const id = await enqueueJob(t.system, { queue: 'test.stuck', payload: {} });
    await app.database.query("update jobs set status = 'running', attempts = 1, locked_until = now() - interval '1 second' where id = $1", [id]);
    let ran = 0;
    await runner('test.stuck', async () => { ran++; }).drain();
    expect(ran).toBe(1);
    expect(await jobRow(id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('marks a reply failed, with the reason, when its channel has no connector', async () => {
    const inbound = await receiveMessage({ ctx: t.system, input: { channel: 'sms', from: { kind: 'phone', value: '+31644444444' }, bodyText: 'hi' } });
    const out = await postMessage({ ctx: t.agentCtx, conversationId: inbound.conversation!.id, input: { bodyText: 'hello back' } });
    await runner('outbound.deliver', deliveryJob(new Map())).drain();
    const msgs = await listMessages({ ctx: t.agentCtx, conversationId: inbound.conversation!.id, input: {} });
    expect(msgs.data.find((m) => m.id === out.id)).toMatchObject({ deliveryStatus: 'failed', deliveryError: expect.stringContaining('No outbound connector') });
  });

  it('delivers through a channel sender and records the provider id; a transient failure retries', async () => {
    const inbound = await receiveMessage({ ctx: t.system, input: { channel: 'telegram', from: { kind: 'telegram', value: '5550001' }, bodyText: 'hi' } });
    const out = await postMessage({ ctx: t.agentCtx, conversationId: inbound.conversation!.id, input: { bodyText: 'pong' } });
    let attempts = 0;
    const senders = new Map([['telegram', async () => { attempts++; if (attempts === 1) throw new Error('provider 502'); return { externalId: 'tg-42' }; }]]);
    const r = runner('outbound.deliver', deliveryJob(senders));
    await r.drain();
    let m = (await listMessages({ ctx: t.agentCtx, conversationId: inbound.conversation!.id, input: {} })).data.find((x) => x.id === out.id)!;
    expect(m.deliveryStatus).toBe('queued');
    await app.database.query("update jobs set run_at = now() where workspace_id = $1 and queue = 'outbound.deliver' and status = 'queued'", [t.ws.id]);
    await r.drain();
    m = (await listMessages({ ctx: t.agentCtx, conversationId: inbound.conversation!.id, input: {} })).data.find((x) => x.id === out.id)!;
    expect(m).toMatchObject({ deliveryStatus: 'sent', externalId: 'tg-42' });
    expect(PermanentDeliveryError).toBeTruthy();
  });
});
