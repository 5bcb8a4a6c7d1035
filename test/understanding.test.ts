import { describe, it, expect, beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import type { DomainEvent } from '../src/platform/events.ts';
import { receiveMessage, updateConversation, listMessages, getConversation } from '../src/domains/conversations/index.ts';
import { upsertServiceArea, upsertPlan, upsertSubscription } from '../src/domains/billing/index.ts';
import {
  seedReasonTaxonomy, retrainReasonModel, labelWorkspaceMessages, setConversationReason, listReasonModels, listReasonCounts,
  isHeldBack, Labeller, analyseText, listReasons,
} from '../src/domains/understanding/index.ts';
import { withTransaction } from '../src/platform/ctx.ts';
import { createCustomer } from '../src/domains/customers/index.ts';
import { taxonomy } from './support/reasons.ts';


let app: Platform;
let t: TestWorkspace;
let other: TestWorkspace;
let areaId: string;
const events: DomainEvent[] = [];
const label = () => labelWorkspaceMessages(t.system);
const write = (from: string, bodyText: string, extra: Record<string, unknown> = {}) =>
  receiveMessage({ ctx: t.system, input: { channel: 'email', from: { kind: 'email', value: from }, bodyText, ...extra } as any });
const rows = async <T>(q: ReturnType<typeof sql>) => { const r = await app.db.execute(q); return ((r as any).rows ?? r) as T[]; };

beforeAll(async () => {
  app = await testPlatform();
  t = await newWorkspace(app, 'Understanding');
  other = await newWorkspace(app, 'Other');
  app.bus.subscribe((e) => { if (e.workspaceId === t.ws.id) events.push(e); });
  const area = await upsertServiceArea({ ctx: t.adminCtx, input: { code: 'UT-01', name: 'Utrecht Oost' } });
  areaId = area.id;
  const plan = await upsertPlan({ ctx: t.adminCtx, input: { code: 'F500', name: 'Fibre 500', priceCents: 4999, currency: 'EUR', downloadMbps: 500, uploadMbps: 500 } });
  const customer = await createCustomer({ ctx: t.agentCtx, input: { name: 'Area Customer', email: 'area@example.com' } });
  await upsertSubscription({ ctx: t.adminCtx, input: { externalRef: 'sub-1', customerId: customer.id, planId: plan.id, serviceAreaId: area.id, address: 'Kerkstraat 1, Utrecht' } });
  await withTransaction(t.system, (tx) => seedReasonTaxonomy(tx, taxonomy));
}, 60_000);

describe('contact reasons on messages and conversations', () => {
  it('waits for the first model: a workspace with a taxonomy labels nothing before it', async () => {
    const r = await write('early@example.com', 'My internet is down, no connection at all since this morning');
    expect(await label()).toBe(0);
    const [m] = (await listMessages({ ctx: t.agentCtx, conversationId: r.conversation!.id, input: {} })).data;
    expect(m.reason).toBeNull();
    expect(m.sentiment).toBeNull();
  });

  it('trains the first model from the seed examples and promotes it', async () => {
    const v1 = await retrainReasonModel({ ctx: t.system });
    expect(v1).toMatchObject({ version: 1, status: 'live', trainExamples: expect.any(Number), seedExamples: 60, agentExamples: 0 });
    expect(v1.decision).toMatch(/first model/);
    expect(v1.heldBack).toBeGreaterThan(0);
    expect(v1.heldBack + v1.trainExamples).toBe(60);
    expect(v1.labels).toEqual(['billing_query', 'compliment', 'moving_house', 'outage']);
  }, 60_000);

  it('labels each customer message with reason, confidence, evidence, sentiment and language, and the conversation with its reason', async () => {
    events.length = 0;
    const r = await write('area@example.com', 'Hi, the internet is down at my address, there is no connection at all and the light is red', { subject: 'No internet' });
    expect(await label()).toBeGreaterThanOrEqual(1);
    const page = await listMessages({ ctx: t.agentCtx, conversationId: r.conversation!.id, input: {} });
    const m = page.data.find((x) => x.id === r.message.id)!;
    expect(m.reason).toBe('outage');
    expect(m.reasonConfidence).toBeGreaterThan(0.3);
    expect(m.reasonConfidence).toBeLessThanOrEqual(1);
    expect(m.reasonEvidence.length).toBeGreaterThan(0);
    expect(m.sentiment).toBe('negative');
    expect(m.language).toBe('en');
    expect(page.conversation).toMatchObject({ reason: 'outage', reasonSource: 'model', language: 'en' });
    expect(page.conversation.reasonEvidence.length).toBeGreaterThan(0);
    const changed = events.find((e) => e.type === 'conversation.reason_changed' && e.conversationId === r.conversation!.id);
    expect(changed?.data).toMatchObject({ to: 'outage', source: 'model', serviceAreaId: areaId });
    const counted = events.find((e) => e.type === 'reasons.counted');
    expect((counted?.data.counts as any[]).some((c) => c.reason === 'outage' && c.serviceAreaId === areaId && c.count >= 1)).toBe(true);
    const counts = await listReasonCounts({ ctx: t.agentCtx, input: { serviceAreaId: areaId, reason: 'outage' } });
    expect(counts.reduce((s, c) => s + c.count, 0)).toBe(1);
  });

  it('labels a Dutch message with its language and a positive one as positive', async () => {
    const nl = await write('nl@example.com', 'Mijn internet doet het niet meer sinds gisteren avond, kunnen jullie helpen?');
    const thanks = await write('happy@example.com', 'Thank you so much, the engineer was brilliant and everything works perfectly now');
    await label();
    const [m1] = (await listMessages({ ctx: t.agentCtx, conversationId: nl.conversation!.id, input: {} })).data;
    const [m2] = (await listMessages({ ctx: t.agentCtx, conversationId: thanks.conversation!.id, input: {} })).data;
    expect(m1.language).toBe('nl');
    expect(m2).toMatchObject({ sentiment: 'positive', reason: 'compliment', language: 'en' });
  });

  it("says 'unknown' rather than guess when the model is not confident", async () => {
    const r = await write('odd@example.com', 'zxqv plorb wibble');
    await label();
    const [m] = (await listMessages({ ctx: t.agentCtx, conversationId: r.conversation!.id, input: {} })).data;
    expect(m.reason).toBe('unknown');
    expect(m.reasonEvidence).toEqual([]);
  });

  it('keeps effort facts: customer messages, channel switches, reopens, transfers and a repeat contact within 7 days', async () => {
    const first = await write('effort@example.com', 'Why is my bill higher this month? I was charged 64.99');
    await label();
    const conv = await getConversation({ ctx: t.agentCtx, id: first.conversation!.id });
    expect(conv.reason).toBe('billing_query');
    expect(conv.effort).toMatchObject({ customerMessages: 1, channelSwitches: 0, reopens: 0, transfers: 0, repeatOf: null });

    await updateConversation({ ctx: t.agentCtx, id: conv.id, input: { assigneeId: t.agent.id } });
    await updateConversation({ ctx: t.agentCtx, id: conv.id, input: { assigneeId: t.supervisor.id } });
    await updateConversation({ ctx: t.agentCtx, id: conv.id, input: { status: 'resolved' } });
    const back = await write('effort@example.com', 'The invoice amount is wrong again, why was I charged twice?');
    await label();
    // A new conversation after resolution, for the same reason, within 7 days: a repeat contact.
    expect(back.conversation!.id).not.toBe(conv.id);
    const repeat = await getConversation({ ctx: t.agentCtx, id: back.conversation!.id });
    expect(repeat.reason).toBe('billing_query');
    expect(repeat.effort.repeatOf).toBe(conv.id);
    const reopened = await updateConversation({ ctx: t.agentCtx, id: conv.id, input: { status: 'open' } });
    expect(reopened.effort).toMatchObject({ transfers: 1, reopens: 1 });
  });

  it('counts channel switches inside one matter', async () => {
    const r = await write('switch@example.com', 'I am moving house next month, can the service move with me?');
    await receiveMessage({ ctx: t.system, input: { channel: 'chat', from: { kind: 'email', value: 'switch@example.com' }, bodyText: 'Any news about my move?' } as any });
    await label();
    const conv = await getConversation({ ctx: t.agentCtx, id: r.conversation!.id });
    expect(conv.effort).toMatchObject({ customerMessages: 2, channelSwitches: 1 });
    expect(conv.reason).toBe('moving_house');
  });
});

describe('agents confirm or correct a reason, and the model learns from it', () => {
  it("a correction sets the agent's reason, moves the counts, and becomes a training example", async () => {
    const r = await write('correct@example.com', 'The fibre box shows a red light and the connection keeps going', { subject: 'question about my move' });
    await label();
    const before = await getConversation({ ctx: t.agentCtx, id: r.conversation!.id });
    events.length = 0;
    const after = await setConversationReason({ ctx: t.agentCtx, id: r.conversation!.id, input: { reason: 'outage' } });
    expect(after).toMatchObject({ reason: 'outage', reasonSource: 'agent', reasonConfidence: 1 });
    expect(events.find((e) => e.type === 'conversation.reason_changed')?.data).toMatchObject({ from: before.reason, to: 'outage', source: 'agent' });
    const ex = await rows<{ reason: string; source: string; text: string }>(sql`select reason, source, text from reason_examples where workspace_id = ${t.ws.id} and conversation_id = ${r.conversation!.id}`);
    expect(ex).toEqual([{ reason: 'outage', source: 'agent', text: expect.stringContaining('red light') }]);
    // a second correction replaces the example; a later customer message never overrides the agent
    await setConversationReason({ ctx: t.agentCtx, id: r.conversation!.id, input: { reason: 'moving_house' } });
    await write('correct@example.com', 'Thank you so much, all great now', { conversationId: r.conversation!.id });
    await label();
    expect((await getConversation({ ctx: t.agentCtx, id: r.conversation!.id })).reason).toBe('moving_house');
    const again = await rows<{ reason: string }>(sql`select reason from reason_examples where workspace_id = ${t.ws.id} and conversation_id = ${r.conversation!.id}`);
    expect(again).toEqual([{ reason: 'moving_house' }]);
  });

  it('rejects a reason outside the taxonomy, naming the field', async () => {
    const r = await write('bad@example.com', 'hello there');
    await expect(setConversationReason({ ctx: t.agentCtx, id: r.conversation!.id, input: { reason: 'no_such_reason' } }))
      .rejects.toMatchObject({ code: 'validation_failed', details: { fields: [{ path: 'reason' }] } });
  });

  it('a retrain with the new examples produces a new version, promoted when no worse on the held-back examples', async () => {
    const billing = await write('learn@example.com', 'Why did my invoice go up by 15 euro this month?');
    await label();
    await setConversationReason({ ctx: t.agentCtx, id: billing.conversation!.id, input: { reason: 'billing_query' } });
    const v2 = await retrainReasonModel({ ctx: t.system });
    expect(v2.version).toBe(2);
    expect(v2.agentExamples).toBe(2);
    expect(v2.liveVersion).toBe(1);
    expect(v2.accuracy).toBeGreaterThanOrEqual(v2.liveAccuracy!);
    expect(v2.status).toBe('live');
    const versions = await listReasonModels({ ctx: t.adminCtx });
    expect(versions.map((v) => [v.version, v.status])).toEqual([[2, 'live'], [1, 'retired']]);
  }, 60_000);

  it('a worse version is kept aside and the live one stays', async () => {
    // Teach the next version wrong labels (each learned example moved to the next reason; the held-back fifth keeps its own).
    const keys = taxonomy.map((r) => r.key);
    const all = await rows<{ id: string; reason: string; text: string }>(sql`select id, reason, text from reason_examples where workspace_id = ${t.ws.id} order by id`);
    for (const e of all.filter((x) => !isHeldBack(x.text))) {
      const wrong = keys[(keys.indexOf(e.reason) + 1) % keys.length];
      await app.db.execute(sql`update reason_examples set reason = ${wrong} where workspace_id = ${t.ws.id} and id = ${e.id}`);
    }
    const v3 = await retrainReasonModel({ ctx: t.system });
    expect(v3.status).toBe('rejected');
    expect(v3.accuracy).toBeLessThan(v3.liveAccuracy!);
    expect(v3.decision).toMatch(/kept v2/);
    const live = (await listReasonModels({ ctx: t.adminCtx })).find((v) => v.status === 'live');
    expect(live?.version).toBe(2);
  }, 60_000);
});

describe('the labeller runs off the ingest path', () => {
  it('labels a new message within seconds of its arrival, with no one asking', async () => {
    const labeller = new Labeller(app, { sweepMs: 60_000, debounceMs: 10 });
    labeller.start();
    try {
      const r = await write('live@example.com', 'Why was I charged twice on my invoice?');
      let m;
      for (let i = 0; i < 100; i++) {
        [m] = (await listMessages({ ctx: t.agentCtx, conversationId: r.conversation!.id, input: {} })).data;
        if (m.reason) break;
        await new Promise((res) => setTimeout(res, 50));
      }
      expect(m!.reason).toBe('billing_query');
    } finally { await labeller.stop(); }
  });
});

describe('the API', () => {
  it('shows labels on messages and lets an agent correct a reason in one request', async () => {
    const r = await write('api@example.com', 'We are moving to a new address in Utrecht, can we keep our internet?');
    await label();
    const res = await t.request(`/api/v1/conversations/${r.conversation!.id}/messages`);
    const body = await res.json();
    expect(body.data[0]).toMatchObject({ reason: 'moving_house', reasonConfidence: expect.any(Number), sentiment: expect.any(String), language: 'en' });
    expect(body.conversation).toMatchObject({ reason: 'moving_house', effort: { customerMessages: 1 } });
    const cookie = await t.sessionCookie('agent');
    const put = await t.request(`/api/v1/conversations/${r.conversation!.id}/reason`, { method: 'PUT', cookie, json: { reason: 'billing_query' } });
    expect(put.status).toBe(200);
    expect((await put.json()).reason).toBe('billing_query');
    const bad = await t.request(`/api/v1/conversations/${r.conversation!.id}/reason`, { method: 'PUT', cookie, json: { reason: 'Not A Key' } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).details.fields[0].path).toBe('reason');
  });

  it('lists the taxonomy, analyses any text, and shows model versions to admins only', async () => {
    const reasons = await (await t.request('/api/v1/reasons')).json();
    expect(reasons.data.map((x: any) => x.key)).toEqual(['outage', 'billing_query', 'moving_house', 'compliment']);
    const a = await (await t.request('/api/v1/understanding/analyse', { method: 'POST', json: { text: 'Is there an outage? No internet here at all' } })).json();
    expect(a).toMatchObject({ reason: 'outage', sentiment: 'negative', language: 'en', modelVersion: 2 });
    expect((await t.request('/api/v1/reasons/models', { cookie: await t.sessionCookie('agent') })).status).toBe(403);
    const models = await (await t.request('/api/v1/reasons/models', { cookie: await t.sessionCookie('admin') })).json();
    expect(models.data[0]).toMatchObject({ version: expect.any(Number), accuracy: expect.any(Number), macroF1: expect.any(Number), perClass: expect.any(Array) });
    const retrain = await t.request('/api/v1/reasons/models', { method: 'POST', cookie: await t.sessionCookie('admin') });
    expect(retrain.status).toBe(202);
    const twice = await (await t.request('/api/v1/reasons/models', { method: 'POST', cookie: await t.sessionCookie('admin') })).json();
    expect(twice).toMatchObject({ queued: false, jobId: (await retrain.json()).jobId });
  });
});

describe('tenant isolation of reasons, examples, models and counts', () => {
  it("another workspace sees none of this one's reasons, models or counts, and cannot set a reason on its conversation", async () => {
    const r = await write('iso@example.com', 'My internet is down');
    await label();
    expect(await listReasons({ ctx: other.agentCtx })).toEqual([]);
    expect(await listReasonModels({ ctx: other.adminCtx })).toEqual([]);
    expect(await listReasonCounts({ ctx: other.agentCtx, input: {} })).toEqual([]);
    await expect(setConversationReason({ ctx: other.agentCtx, id: r.conversation!.id, input: { reason: 'outage' } })).rejects.toMatchObject({ code: 'not_found' });
    const res = await other.request(`/api/v1/conversations/${r.conversation!.id}/reason`, { method: 'PUT', json: { reason: 'outage' } });
    expect(res.status).toBe(404);
    // its own texts are analysed without a model (no taxonomy): sentiment and language only
    expect(await analyseText({ ctx: other.agentCtx, input: { text: 'not happy at all' } })).toMatchObject({ reason: null, sentiment: 'negative' });
    expect((await getConversation({ ctx: t.agentCtx, id: r.conversation!.id })).reasonSource).toBe('model');
  });
});
