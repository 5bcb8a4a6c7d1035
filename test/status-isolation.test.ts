import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import { statusFixture, statusRunner, drainAll } from './support/status.ts';
import { startRelay } from './support/smtp-relay.ts';
import type { Platform } from '../src/platform/platform.ts';
import { createApp } from '../src/http/app.ts';
import { createChannel } from '../src/domains/channels/index.ts';
import { createConversation } from '../src/domains/conversations/index.ts';
import { updateWorkspaceSettings } from '../src/domains/workspaces/index.ts';
import { createIncident, postIncidentUpdate, upsertStatement, upsertNetworkUpgrade } from '../src/domains/status/index.ts';
import { listOutbox } from '../src/domains/outbox/index.ts';

let app: Platform;
let a: TestWorkspace;
let b: TestWorkspace;
let fa: Awaited<ReturnType<typeof statusFixture>>;
let fb: Awaited<ReturnType<typeof statusFixture>>;

beforeAll(async () => {
  app = await testPlatform();
  a = await newWorkspace(app, 'A');
  b = await newWorkspace(app, 'B');
  fa = await statusFixture(a, 'ia');
  fb = await statusFixture(b, 'ib');
});

describe('tenant isolation of the status domain', () => {
  it('never lets one workspace read or change another\'s incidents, credits, statements, roadmap or outbox', async () => {
    const inc = await createIncident({ ctx: a.supervisorCtx, input: { name: 'A only', impact: 'critical', body: 'a', areaIds: [fa.north.id], notify: false } });
    // Reads: not found, and not listed.
    expect((await b.request(`/api/v1/incidents/${inc.id}`)).status).toBe(404);
    expect((await (await b.request('/api/v1/incidents?state=all')).json()).data.map((i: { id: string }) => i.id)).not.toContain(inc.id);
    // Writes: not found, and nothing changed.
    expect((await b.request(`/api/v1/incidents/${inc.id}/updates`, { method: 'POST', json: { status: 'resolved', body: 'b resolves a' } })).status).toBe(404);
    expect((await b.request(`/api/v1/incidents/${inc.id}/publish`, { method: 'POST' })).status).toBe(404);
    expect((await b.request(`/api/v1/incidents/${inc.id}/credits`, { method: 'POST', json: { decision: 'apply' } })).status).toBe(404);
    expect((await (await a.request(`/api/v1/incidents/${inc.id}`)).json()).status).toBe('investigating');
    // B cannot put A's areas (or components) in its own incidents.
    const cross = await b.request('/api/v1/incidents', { method: 'POST', json: { name: 'x', impact: 'minor', body: 'x', areaIds: [fa.north.id] } });
    expect(cross.status).toBe(400);
    expect((await cross.json()).details.fields[0].path).toBe('areaIds.0');
    const comp = (await (await a.request('/api/v1/status/components')).json()).data.find((c: { serviceAreaId: string }) => c.serviceAreaId === fa.north.id);
    const crossComp = await b.request('/api/v1/incidents', { method: 'POST', json: { name: 'x', impact: 'minor', body: 'x', components: [{ componentId: comp.id, status: 'major_outage' }] } });
    expect(crossComp.status).toBe(400);
    // Components, credits, statements and the roadmap are per workspace.
    expect((await (await b.request('/api/v1/status/components')).json()).data.some((c: { id: string }) => c.id === comp.id)).toBe(false);
    expect((await (await b.request(`/api/v1/customers/${fa.people[0].id}/credits`)).json()).data).toEqual([]);
    await upsertStatement({ ctx: a.adminCtx, input: { key: 'ai', title: 'A on AI', bodyMd: 'a' } });
    expect((await (await b.request('/api/v1/status/statements')).json()).data).toEqual([]);
    const up = await upsertNetworkUpgrade({ ctx: a.supervisorCtx, input: { serviceAreaId: fa.north.id, title: 'A upgrade', status: 'planned' } });
    await expect(upsertNetworkUpgrade({ ctx: b.supervisorCtx, input: { id: up.id, serviceAreaId: fb.north.id, title: 'B takes it', status: 'done' } })).rejects.toMatchObject({ code: 'not_found' });
    await expect(upsertNetworkUpgrade({ ctx: b.supervisorCtx, input: { serviceAreaId: fa.north.id, title: 'B on A', status: 'planned' } })).rejects.toMatchObject({ code: 'validation_failed' });
    expect((await (await b.request('/api/v1/network-upgrades')).json()).data).toEqual([]);
    // Suspicions of another workspace are not found.
    expect((await b.request('/api/v1/outage-suspicions/00000000-0000-7000-8000-000000000001/dismiss', { method: 'POST' })).status).toBe(404);
    expect((await (await b.request('/api/v1/outbox')).json()).data).toEqual([]);
  });

  it('notifies only the incident\'s own workspace\'s customers', async () => {
    const inc = await createIncident({ ctx: b.supervisorCtx, input: { name: 'B notice', impact: 'major', body: 'b', areaIds: [fb.north.id] } });
    await updateWorkspaceSettings({ ctx: b.adminCtx, input: { outbox: { fallback: true } } });
    await drainAll(statusRunner(app));
    const got = await (await b.request(`/api/v1/incidents/${inc.id}`)).json();
    expect(got.notices.sent + got.notices.skipped).toBe(3);
    const out = await listOutbox({ ctx: b.adminCtx });
    expect(out.data.map((m) => m.to).sort()).toEqual(['+31611111111', 'north3-ib@example.test']);
    expect(out.data.every((m) => m.source === 'notice')).toBe(true);
    expect((await listOutbox({ ctx: a.adminCtx })).data).toEqual([]);
    await expect(listOutbox({ ctx: b.agentCtx })).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('the workspace outbox', () => {
  it('keeps what has no relay when the workspace says so, and still fails it visibly when not', async () => {
    const c = await createChannel({ ctx: a.adminCtx, input: { kind: 'email', name: 'no relay', config: { address: 'help@a.test' } } });
    expect(c.id).toBeTruthy();
    const conv = await createConversation({ ctx: a.agentCtx, input: { customerId: fa.people[3].id, channel: 'email', subject: 'Hello', message: { direction: 'out', bodyText: 'First reply' } } });
    await drainAll(statusRunner(app));
    const res = await a.request(`/api/v1/conversations/${conv.id}/messages`);
    const failed = (await res.json()).data.find((m: { direction: string }) => m.direction === 'out');
    expect(failed).toMatchObject({ deliveryStatus: 'failed', deliveryError: expect.stringContaining('no SMTP relay') });
    await updateWorkspaceSettings({ ctx: a.adminCtx, input: { outbox: { fallback: true } } });
    const conv2 = await createConversation({ ctx: a.agentCtx, input: { customerId: fa.people[3].id, channel: 'email', subject: 'Again', message: { direction: 'out', bodyText: 'Second reply' } } });
    await drainAll(statusRunner(app));
    const sent = (await (await a.request(`/api/v1/conversations/${conv2.id}/messages`)).json()).data.find((m: { direction: string }) => m.direction === 'out');
    expect(sent.deliveryStatus).toBe('sent');
    expect(sent.externalId).toMatch(/^outbox:/);
    const out = await (await a.request('/api/v1/outbox?channel=email', { cookie: await a.sessionCookie('admin') })).json();
    expect(out.data[0]).toMatchObject({ channel: 'email', to: fa.people[3].email, subject: expect.stringContaining('Again'), bodyText: 'Second reply', source: 'reply' });
    expect((await a.request('/api/v1/outbox', { cookie: await a.sessionCookie('agent') })).status).toBe(403);
  });
});

describe('public subscriptions', () => {
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let hook: Server;
  const hooked: any[] = [];
  afterAll(async () => { await relay?.close(); await new Promise<void>((r) => (hook ? hook.close(() => r()) : r())); });

  it('double opt-in by email, one-click unsubscribe, and webhooks', async () => {
    relay = await startRelay();
    await createChannel({ ctx: b.adminCtx, input: { kind: 'email', name: 'status mail', config: { address: 'status@b.test', smtpHost: '127.0.0.1', smtpPort: relay.port } } });
    hook = createServer((req, res) => { let s = ''; req.on('data', (c) => (s += c)); req.on('end', () => { hooked.push(JSON.parse(s)); res.end('ok'); }); });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/status-hook`;
    const http = createApp(app, { webDir: null, publicStatusSlug: b.slug });
    const form = new URLSearchParams({ email: 'fan@example.test' });
    const r = await http.request('/status/subscribe', { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(202);
    const bad = await http.request(`/status/${b.slug}/subscribe`, { method: 'POST', body: JSON.stringify({ email: 'not-an-email' }), headers: { 'content-type': 'application/json', accept: 'application/json' } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).details.fields[0].path).toBe('email');
    await http.request(`/status/${b.slug}/subscribe`, { method: 'POST', body: JSON.stringify({ webhook: hookUrl }), headers: { 'content-type': 'application/json', accept: 'application/json' } });
    const runner = statusRunner(app, async (url, body) => { await fetch(url, { method: 'POST', body: JSON.stringify(body) }); });
    // Nothing but the confirmation goes out before the subscriber confirms.
    await postIncidentUpdate({ ctx: b.supervisorCtx, id: (await createIncident({ ctx: b.supervisorCtx, input: { name: 'Before confirm', impact: 'minor', body: 'x', areaIds: [fb.south.id] } })).id, input: { status: 'resolved', body: 'done' } });
    await drainAll(runner);
    const confirmMail = relay.mails.find((m) => m.to.includes('fan@example.test'))!;
    expect(relay.mails.filter((m) => m.to.includes('fan@example.test'))).toHaveLength(1);
    const confirmUrl = /(http\S+subscriptions\/confirm\?token=\S+)/.exec(String(confirmMail.parsed.text))![1];
    expect(hooked).toEqual([expect.objectContaining({ type: 'subscription.confirm', confirm_url: expect.stringContaining('/subscriptions/confirm?token=') })]);
    const path = (u: string) => new URL(u).pathname + new URL(u).search;
    expect((await http.request(path(confirmUrl))).status).toBe(200);
    expect((await http.request(path(hooked[0].confirm_url))).status).toBe(200);
    await createIncident({ ctx: b.supervisorCtx, input: { name: 'After confirm', impact: 'major', body: 'Now you hear it.', areaIds: [fb.south.id] } });
    await drainAll(runner);
    const update = relay.mails.find((m) => m.to.includes('fan@example.test') && m.parsed.subject?.includes('After confirm'))!;
    const header = (name: string) => update.parsed.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '');
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const unsub = String(header('list-unsubscribe')).replace(/[<>]/g, '');
    expect(hooked.at(-1)).toMatchObject({ type: 'incident.update', incident: { name: 'After confirm' }, update: { body: 'Now you hear it.' } });
    // One click (RFC 8058: a POST to the List-Unsubscribe URL), then nothing more.
    expect((await http.request(path(unsub), { method: 'POST' })).status).toBe(200);
    const count = relay.mails.length;
    await createIncident({ ctx: b.supervisorCtx, input: { name: 'After unsubscribe', impact: 'major', body: 'quiet', areaIds: [fb.south.id] } });
    await drainAll(runner);
    expect(relay.mails.slice(count).filter((m) => m.to.includes('fan@example.test'))).toEqual([]);
    expect((await http.request(`/status/${b.slug}/subscriptions/confirm?token=nope`)).status).toBe(404);
    // A token is a workspace's own: A's page does not know B's subscriber.
    expect((await http.request(`/status/${a.slug}${path(unsub).replace(`/status/${b.slug}`, '')}`)).status).toBe(404);
  });
});
