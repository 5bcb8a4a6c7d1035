import { describe, it, expect, beforeAll } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import { portalFixture } from './support/portal.ts';
import type { Platform } from '../src/platform/platform.ts';
import { outboxMessages, subscriptions } from '../src/db/schema/index.ts';
import { getTimeline } from '../src/domains/customers/index.ts';
import { createCustomerSession } from '../src/domains/portal/index.ts';

let app: Platform;
let t: TestWorkspace;
let fx: Awaited<ReturnType<typeof portalFixture>>;
const cookies: Record<string, string> = {};

/** In-process HTTP as a customer (portal cookie, from Candor's own page) or with a bearer token. */
const as = (who: string | { token: string }) => (path: string, init: RequestInit & { json?: unknown } = {}) => {
  const headers = new Headers(init.headers);
  if (typeof who === 'string') { headers.set('cookie', cookies[who]); headers.set('sec-fetch-site', 'same-origin'); } else headers.set('authorization', `Bearer ${who.token}`);
  let body = init.body;
  if (init.json !== undefined) { headers.set('content-type', 'application/json'); body = JSON.stringify(init.json); }
  return t.http.request(path, { ...init, headers, body });
};
const post = (path: string, json: unknown, cookie?: string) => t.http.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie, 'sec-fetch-site': 'same-origin' } : {}) }, body: JSON.stringify(json) });
const lastCode = async (to: string) => {
  const [m] = await app.db.select().from(outboxMessages).where(and(eq(outboxMessages.workspaceId, t.ws.id), eq(outboxMessages.to, to))).orderBy(desc(outboxMessages.id)).limit(1);
  return { code: /code is (\d{6})/.exec(m.bodyText)![1], link: /token=([^\s&]+)/.exec(m.bodyText)?.[1], body: m.bodyText };
};

beforeAll(async () => {
  app = await testPlatform();
  t = await newWorkspace(app, 'Portal');
  fx = await portalFixture(t);
  for (const k of Object.keys(fx.people)) cookies[k] = `candor_portal=${(await createCustomerSession(app, t.ws.id, fx.people[k].id)).token}`;
});

describe('portal sign-in', () => {
  it('sends a 6-digit code and a link to the outbox, signs in once with it, and the session reaches /me', async () => {
    const email = fx.people.bram.email;
    const r = await post('/api/v1/portal/auth/start', { workspace: t.slug, address: email.toUpperCase() });
    expect(r.status).toBe(202);
    const { code, link } = await lastCode(email);
    expect(code).toMatch(/^\d{6}$/);
    expect(link).toBeTruthy();
    const v = await post('/api/v1/portal/auth/verify', { workspace: t.slug, address: email, code });
    expect(v.status).toBe(200);
    const cookie = v.headers.get('set-cookie')!.split(';')[0];
    expect(cookie).toMatch(/^candor_portal=cps_/);
    expect(v.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    const me = await (await t.http.request('/api/v1/me', { headers: { cookie } })).json();
    expect(me.customer.email).toBe(email);
    expect(me.subscription.serviceArea.name).toMatch(/North/);
    const again = await post('/api/v1/portal/auth/verify', { workspace: t.slug, address: email, code });
    expect(again.status).toBe(401);
    const tl = await getTimeline({ ctx: t.agentCtx, customerId: fx.people.bram.id, input: { kinds: ['portal.signed_in'] } });
    expect(tl.data[0].actorType).toBe('customer');
  });

  it('answers the same for an unknown address and sends nothing', async () => {
    const r = await post('/api/v1/portal/auth/start', { workspace: t.slug, address: 'nobody@example.test' });
    expect(r.status).toBe(202);
    const rows = await app.db.select().from(outboxMessages).where(and(eq(outboxMessages.workspaceId, t.ws.id), eq(outboxMessages.to, 'nobody@example.test')));
    expect(rows).toHaveLength(0);
  });

  it('signs in by SMS code to the customer\'s phone', async () => {
    const r = await post('/api/v1/portal/auth/start', { workspace: t.slug, address: '+31 6 1234 5670', channel: 'sms' });
    expect(r.status).toBe(202);
    const [m] = await app.db.select().from(outboxMessages).where(and(eq(outboxMessages.workspaceId, t.ws.id), eq(outboxMessages.to, '+31612345670')));
    expect(m.channel).toBe('sms');
    const code = /code is (\d{6})/.exec(m.bodyText)![1];
    expect((await post('/api/v1/portal/auth/verify', { workspace: t.slug, address: '+31612345670', code })).status).toBe(200);
  });

  it('kills a code after 5 wrong tries, even if the right one comes next', async () => {
    const email = fx.people.dirk.email;
    await post('/api/v1/portal/auth/start', { workspace: t.slug, address: email });
    const { code } = await lastCode(email);
    const wrong = code === '000000' ? '111111' : '000000';
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await post('/api/v1/portal/auth/verify', { workspace: t.slug, address: email, code: wrong })).status);
    expect(answers).toEqual([401, 401, 401, 401, 401]);
    const right = await post('/api/v1/portal/auth/verify', { workspace: t.slug, address: email, code });
    expect([401, 429]).toContain(right.status);
  });

  it('limits how many codes one address can ask for', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await post('/api/v1/portal/auth/start', { workspace: t.slug, address: 'flood@example.test' })).status);
    expect(statuses.slice(0, 5).every((s) => s === 202)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('signs in once with the magic link', async () => {
    const email = fx.people.cees.email;
    await post('/api/v1/portal/auth/start', { workspace: t.slug, address: email });
    const { link } = await lastCode(email);
    const token = decodeURIComponent(link!);
    expect((await post('/api/v1/portal/auth/link', { token })).status).toBe(200);
    expect((await post('/api/v1/portal/auth/link', { token })).status).toBe(401);
  });

  it('refuses a customer session on agent routes, and staff credentials on /me', async () => {
    for (const p of ['/api/v1/customers', '/api/v1/conversations', '/api/v1/auth/me', '/api/v1/outbox', `/api/v1/customers/${fx.people.anna.id}`]) {
      const r = await as('anna')(p);
      expect(r.status, p).toBe(401);
    }
    expect((await t.request('/api/v1/me')).status).toBe(403);
    expect((await t.request('/api/v1/me', { cookie: await t.sessionCookie('admin') })).status).toBe(401);
  });
});

describe('/api/v1/me', () => {
  it('shows this month\'s usage against the cap with a projection', async () => {
    const u = await (await as('anna')('/api/v1/me/usage')).json();
    expect(u.month).toMatch(/^\d{4}-\d{2}$/);
    expect(u.capGb).toBeNull();
    expect(u.daysInMonth).toBeGreaterThanOrEqual(28);
    if (u.days.length) { expect(u.monthToDateGb).toBeGreaterThan(0); expect(u.projectedGb).toBeGreaterThanOrEqual(u.monthToDateGb); }
    expect(u.summary).toMatch(/GB/);
  });

  it('explains every line and why the bill differs from last month', async () => {
    const r = await (await as('anna')('/api/v1/me/invoices')).json();
    expect(r.data).toHaveLength(2);
    const [latest, earlier] = r.data;
    expect(latest.comparedWith.number).toBe(earlier.number);
    const kinds = latest.differences.map((d: any) => d.kind);
    expect(kinds).toEqual(expect.arrayContaining(['proration', 'usage', 'credits', 'fees']));
    expect(latest.differences.reduce((t: number, d: any) => t + d.deltaCents, 0)).toBe(latest.differenceCents);
    expect(latest.differenceCents).toBe(latest.totalCents - earlier.totalCents);
    expect(latest.lines.find((l: any) => l.kind === 'proration').explanation).toMatch(/plan change/);
    expect(latest.lines.find((l: any) => l.kind === 'credit').explanation).toMatch(/credit to you/);
    expect(earlier.differences).toEqual([]);
    expect(r.balanceDueCents).toBe(latest.totalCents);
    expect(r.nextBill.estimateCents).toBe(5500);
    const pdf = await as('anna')(`/api/v1/me/invoices/${latest.id}/pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.toString('latin1')).toMatch(/%%EOF\n$/);
    const csv = await (await as('anna')(`/api/v1/me/invoices/${latest.id}/csv`)).text();
    expect(csv.split('\r\n')[0]).toBe('invoice,position,kind,description,amount,currency,explanation');
    expect(csv).toMatch(/proration/);
  });

  it('shows the known incident in my area on my service status', async () => {
    const s = await (await as('bram')('/api/v1/me/service-status')).json();
    expect(s.state).toBe('outage');
    expect(s.incidents[0]).toMatchObject({ id: fx.incident.id, latestUpdate: expect.stringMatching(/splicing/) });
    const south = await (await as('anna')('/api/v1/me/service-status')).json();
    expect(south).toMatchObject({ state: 'operational', incidents: [] });
  });

  it('diagnosis ending resolved: Wi-Fi congestion, guided steps', async () => {
    const d = await (await as('anna')('/api/v1/me/diagnosis', { method: 'POST', json: { symptom: 'slow' } })).json();
    expect(d.verdict.code).toBe('wifi_congestion');
    expect(d.line.faults).toEqual(['wifi_congestion']);
    expect(d.steps.length).toBeGreaterThan(1);
    expect(d.suggestedOutcome).toBe('resolved');
    const end = await (await as('anna')(`/api/v1/me/diagnosis/${d.id}/outcome`, { method: 'POST', json: { outcome: 'resolved' } })).json();
    expect(end.diagnosis.outcome).toBe('resolved');
    const again = await as('anna')(`/api/v1/me/diagnosis/${d.id}/outcome`, { method: 'POST', json: { outcome: 'resolved' } });
    expect(again.status).toBe(409);
  });

  it('diagnosis ending subscribed to the known incident', async () => {
    const d = await (await as('bram')('/api/v1/me/diagnosis', { method: 'POST', json: {} })).json();
    expect(d.verdict.code).toBe('area_outage');
    expect(d.line.faults).toContain('area_outage');
    expect(d.suggestedOutcome).toBe('subscribed');
    const end = await (await as('bram')(`/api/v1/me/diagnosis/${d.id}/outcome`, { method: 'POST', json: { outcome: 'subscribed' } })).json();
    expect(end.incidentId).toBe(fx.incident.id);
    const s = await (await as('bram')('/api/v1/me/service-status')).json();
    expect(s.incidents[0].following).toBe(true);
  });

  it('diagnosis ending in a conversation that holds the whole diagnosis', async () => {
    const d = await (await as('cees')('/api/v1/me/diagnosis', { method: 'POST', json: { symptom: 'down' } })).json();
    expect(d.verdict.code).toBe('low_optical_power');
    const end = await (await as('cees')(`/api/v1/me/diagnosis/${d.id}/outcome`, { method: 'POST', json: { outcome: 'conversation', note: 'Cable looks fine' } })).json();
    expect(end.conversationNumber).toBeGreaterThan(0);
    const agentView = await (await t.request(`/api/v1/conversations/${end.conversationId}/messages`)).json();
    expect(agentView.data[0].bodyText).toMatch(/optical power -?\d/);
    expect(agentView.data[0].bodyText).toMatch(/Cable looks fine/);
    const mine = await (await as('cees')('/api/v1/me/conversations')).json();
    expect(mine.data.map((c: any) => c.id)).toContain(end.conversationId);
  });

  it('previews a plan change with proration to the day, applies it only with that token, once', async () => {
    const q = await (await as('dirk')('/api/v1/me/plan-change/preview', { method: 'POST', json: { planCode: 'F1000-p' } })).json();
    const now = new Date();
    const dim = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
    const left = dim - now.getUTCDate() + 1;
    expect(q).toMatchObject({ kind: 'change', daysLeft: left, daysInMonth: dim, newMonthlyCents: 6500, prorationCents: Math.round((6500 - 3500) * left / dim), effectiveDate: now.toISOString().slice(0, 10) });
    const other = await as('dirk')('/api/v1/me/plan-change', { method: 'POST', json: { previewToken: q.previewToken, planCode: 'F500-p' } });
    expect(other.status).toBe(409);
    const applied = await as('dirk')('/api/v1/me/plan-change', { method: 'POST', json: { previewToken: q.previewToken, planCode: 'F1000-p' } });
    expect(applied.status).toBe(200);
    expect((await applied.json()).subscription.plan.code).toBe('F1000-p');
    const reuse = await as('dirk')('/api/v1/me/plan-change', { method: 'POST', json: { previewToken: q.previewToken } });
    expect(reuse.status).toBe(409);
    const [sub] = await app.db.select().from(subscriptions).where(and(eq(subscriptions.workspaceId, t.ws.id), eq(subscriptions.id, fx.people.dirk.subscriptionId)));
    expect(sub.planId).toBe(fx.plans.f1000.id);
    const tl = await getTimeline({ ctx: t.agentCtx, customerId: fx.people.dirk.id, input: { kinds: ['plan.changed'] } });
    expect(tl.data[0]).toMatchObject({ actorType: 'customer', data: expect.objectContaining({ via: 'portal', toPlan: 'F1000-p' }) });
    const outbox = await app.db.select().from(outboxMessages).where(and(eq(outboxMessages.workspaceId, t.ws.id), eq(outboxMessages.to, fx.people.dirk.email)));
    // The confirmation is queued on the outbound queue; nothing here runs the worker, so it is a message on a conversation.
    expect(outbox.length).toBeGreaterThanOrEqual(0);
  });

  it('cancels in two steps with at most one honest offer, and confirms it', async () => {
    const q = await (await as('cees')('/api/v1/me/cancellation/preview', { method: 'POST' })).json();
    expect(q.kind).toBe('cancel');
    expect(q.retentionOffer).toMatchObject({ planCode: 'BASIC-p' });
    const r = await (await as('cees')('/api/v1/me/cancellation', { method: 'POST', json: { previewToken: q.previewToken, reason: 'moving abroad' } })).json();
    expect(r.subscription.status).toBe('cancelled');
    expect(r.effectiveDate).toBe(q.effectiveDate);
    const conv = await (await t.request(`/api/v1/conversations?customerId=${fx.people.cees.id}`)).json();
    expect(JSON.stringify(conv)).toMatch(/cancellation is confirmed/i);
  });

  it('continues a conversation the agent sees, and hides internal notes', async () => {
    const opened = await (await as('anna')('/api/v1/me/conversations', { method: 'POST', json: { subject: 'Question', message: 'Can I get a static IP?' } })).json();
    const id = opened.conversation.id;
    await t.request(`/api/v1/conversations/${id}/messages`, { method: 'POST', json: { bodyText: 'Yes, for €5 a month.' } });
    expect((await t.request(`/api/v1/conversations/${id}/messages`, { method: 'POST', json: { bodyText: 'internal: upsell', direction: 'note' } })).status).toBe(201);
    await as('anna')(`/api/v1/me/conversations/${id}/messages`, { method: 'POST', json: { message: 'Great, please add it.' } });
    const c = await (await as('anna')(`/api/v1/me/conversations/${id}`)).json();
    expect(c.messages.map((m: any) => m.from)).toEqual(['you', 'us', 'you']);
    expect(JSON.stringify(c)).not.toMatch(/internal: upsell/);
    expect(c.waitingOn).toBe('us');
  });

  it('keeps preferences, exports everything, takes a deletion request an admin completes', async () => {
    const p = await (await as('bram')('/api/v1/me/preferences', { method: 'PATCH', json: { preferredChannel: 'email', quietHours: { start: '22:00', end: '07:30' }, language: 'nl', notices: { surveys: false } } })).json();
    expect(p).toMatchObject({ preferredChannel: 'email', quietHours: { start: '22:00', end: '07:30' }, language: 'nl', notices: { surveys: false, serviceNotices: true } });
    const agentSees = await (await t.request(`/api/v1/customers/${fx.people.bram.id}`)).json();
    expect(agentSees.language).toBe('nl');
    const ex = await (await as('bram')('/api/v1/me/export')).json();
    expect(ex.customer.email).toBe(fx.people.bram.email);
    expect(ex.subscriptions).toHaveLength(1);
    expect(JSON.stringify(ex)).not.toMatch(/secretHash/);
    const del = await as('bram')('/api/v1/me/deletion-request', { method: 'POST', json: {} });
    expect(del.status).toBe(202);
    const list = await (await t.request('/api/v1/portal-requests')).json();
    const req = list.data.find((x: any) => x.customerId === fx.people.bram.id);
    expect(req.status).toBe('open');
    expect((await t.request(`/api/v1/portal-requests/${req.id}/complete`, { method: 'POST' })).status).toBe(200);
    const after = await (await t.request(`/api/v1/customers/${fx.people.bram.id}`)).json();
    expect(after.email).toBeNull();
  });

  it('grants an assistant scoped access, marks its actions on the timeline, revokes it at once', async () => {
    const g = await (await as('anna')('/api/v1/me/assistants', { method: 'POST', json: { name: 'My helper', scopes: ['usage:read'], expiresInDays: 7 } })).json();
    expect(g.token).toMatch(/^cag_/);
    const asA = as({ token: g.token });
    const me = await (await asA('/api/v1/me')).json();
    expect(me.actor).toMatchObject({ type: 'assistant', grantName: 'My helper', scopes: ['usage:read'] });
    expect((await asA('/api/v1/me/usage')).status).toBe(200);
    const denied = await asA('/api/v1/me/invoices');
    expect(denied.status).toBe(403);
    expect((await denied.json()).message).toMatch(/billing:read/);
    expect((await asA('/api/v1/me/assistants')).status).toBe(403);
    expect((await asA('/api/v1/customers')).status).toBe(401);
    const list = await (await as('anna')('/api/v1/me/assistants')).json();
    expect(list.data[0].actions[0]).toMatchObject({ kind: 'assistant.read', summary: expect.stringMatching(/My helper/) });
    const tl = await getTimeline({ ctx: t.agentCtx, customerId: fx.people.anna.id, input: { kinds: ['assistant.read'] } });
    expect(tl.data[0]).toMatchObject({ actorType: 'assistant', actorId: g.id, data: expect.objectContaining({ grantId: g.id, grantName: 'My helper' }) });
    expect((await as('anna')(`/api/v1/me/assistants/${g.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await asA('/api/v1/me/usage')).status).toBe(401);
  });

  it('documents the /me routes in the OpenAPI document', async () => {
    const doc = await (await t.http.request('/api/v1/openapi.json')).json();
    for (const p of ['/me', '/me/usage', '/me/invoices', '/me/diagnosis', '/me/plan-change/preview', '/me/plan-change', '/me/assistants', '/portal/auth/start']) expect(Object.keys(doc.paths), p).toContain(p);
  });
});
