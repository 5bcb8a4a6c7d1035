import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import { statusFixture, statusRunner, twilioStandIn, drainAll } from './support/status.ts';
import { startRelay, eventually } from './support/smtp-relay.ts';
import { taxonomy } from './support/reasons.ts';
import type { Platform } from '../src/platform/platform.ts';
import { withTransaction } from '../src/platform/ctx.ts';
import { createChannel } from '../src/domains/channels/index.ts';
import { createCustomer } from '../src/domains/customers/index.ts';
import { upsertSubscription } from '../src/domains/billing/index.ts';
import { receiveMessage, listMessages } from '../src/domains/conversations/index.ts';
import { seedReasonTaxonomy, retrainReasonModel, labelWorkspaceMessages, countReasonMoves } from '../src/domains/understanding/index.ts';
import {
  detectOutages, listSuspicions, publishSuspicion, dismissSuspicion, getIncident, postIncidentUpdate, updateStatusSettings, startStatusWorkers,
  threshold, sendAt, noticeChannel, defaultStatusSettings,
} from '../src/domains/status/index.ts';
import { sendPlainMail, postWebhook } from '../src/channels/email/index.ts';
import { createApp } from '../src/http/app.ts';

// One outage, end to end: a burst of "internet down" messages from one area raises a suspected
// incident; publishing it tells exactly the affected customers on their channels (over real SMTP
// and a Twilio stand-in); later contacts are linked and answered; resolution computes the credits;
// the page shows it all. And normal days raise nothing.

let app: Platform;
let t: TestWorkspace;
let fx: Awaited<ReturnType<typeof statusFixture>>;
let relay: Awaited<ReturnType<typeof startRelay>>;
let twilio: Awaited<ReturnType<typeof twilioStandIn>>;
let workers: { stop(): void };
const burst: { id: string; email: string }[] = [];
const H = 3_600_000;
const MIN = 60_000;

beforeAll(async () => {
  app = await testPlatform();
  t = await newWorkspace(app, 'Outage');
  await withTransaction(t.system, (tx) => seedReasonTaxonomy(tx, taxonomy));
  await retrainReasonModel({ ctx: t.system });
  fx = await statusFixture(t, 'o');
  relay = await startRelay();
  twilio = await twilioStandIn();
  await createChannel({ ctx: t.adminCtx, input: { kind: 'email', name: 'support', config: { address: 'support@outage.test', fromName: 'Support', smtpHost: '127.0.0.1', smtpPort: relay.port } } });
  await createChannel({ ctx: t.adminCtx, input: { kind: 'sms', name: 'sms', config: { accountSid: 'AC' + '1'.repeat(32), fromNumber: '+3197010000000', apiBaseUrl: twilio.url }, secrets: { authToken: 'tok' } } });
  await updateStatusSettings({ ctx: t.adminCtx, input: { quietHours: null } });
  for (let i = 0; i < 20; i++) {
    const email = `burst${i}@outage.test`;
    const c = await createCustomer({ ctx: t.system, input: { name: `Burst ${i}`, email } });
    await upsertSubscription({ ctx: t.system, input: { externalRef: `burst-${i}`, customerId: c.id, planCode: 'F100-o', serviceAreaCode: 'north-o', address: `Dijk ${i}`, startedAt: '2024-06-01T00:00:00Z' } as any });
    burst.push({ id: c.id, email });
  }
  workers = startStatusWorkers(app, { mail: sendPlainMail, post: postWebhook });
}, 120_000);

afterAll(async () => {
  workers?.stop();
  await relay?.close();
  await twilio?.close();
});

describe('outage detection', () => {
  it('raises nothing on normal days', async () => {
    // Four weeks of ordinary traffic: about two outage reports per half hour in each area.
    const now = Date.now();
    const moves: { startedAt: Date; serviceAreaId: string; from: null; to: string }[] = [];
    for (let at = now - 28 * 24 * H; at < now - 10 * MIN; at += 15 * MIN) {
      for (const area of [fx.north.id, fx.south.id]) if ((at / (15 * MIN)) % 3 !== 0) moves.push({ startedAt: new Date(at), serviceAreaId: area, from: null, to: 'outage' });
    }
    await withTransaction(t.system, (tx) => countReasonMoves(tx, moves));
    for (let k = 1; k <= 48; k++) expect(await detectOutages({ ctx: t.system, now: new Date(now - k * 4 * H) })).toEqual([]);
    expect(await listSuspicions({ ctx: t.supervisorCtx })).toEqual([]);
  });

  it('computes the threshold from a robust baseline', () => {
    const d = defaultStatusSettings().detection;
    expect(threshold([0, 0, 0, 0], d).threshold).toBe(8); // nothing usual: at least minCount
    expect(threshold([10, 10, 10, 10], d).threshold).toBe(30); // busy area: 3 × its median
    // One past outage among the samples barely moves the baseline (median 3, MAD 1): max(8, 9, 3 + 4 × 1.4826, 9) = 9.
    expect(threshold([2, 3, 3, 4, 60], d)).toMatchObject({ median: 3, mad: 1 });
    expect(threshold([2, 3, 3, 4, 60], d).threshold).toBeCloseTo(9, 5);
  });

  it('raises a suspected incident for the area of a burst of "internet down" messages, with its evidence', async () => {
    for (const [i, b] of burst.entries()) {
      await receiveMessage({ ctx: t.system, input: { channel: 'email', from: { kind: 'email', value: b.email }, subject: 'No internet',
        bodyText: i % 2 ? 'My internet is completely down since this morning, no connection at all' : 'Internet not working, the fibre light is red, nothing loads' } });
    }
    while (await labelWorkspaceMessages(t.system) > 0) { /* label them all */ }
    const raised = await detectOutages({ ctx: t.system });
    expect(raised).toHaveLength(1);
    const [s] = await listSuspicions({ ctx: t.supervisorCtx, status: 'open' });
    expect(s).toMatchObject({ serviceAreaId: fx.north.id, areaName: fx.north.name, status: 'open' });
    expect(s.evidence.observed).toBeGreaterThanOrEqual(20);
    expect(s.evidence.observed).toBeGreaterThan(s.evidence.threshold);
    expect(s.evidence.samples.length).toBeGreaterThan(0);
    expect(s.evidence.messages.length).toBe(5);
    expect(s.evidence.messages[0].text).toMatch(/internet/i);
    // Detection again: the open suspicion is not raised twice.
    expect(await detectOutages({ ctx: t.system })).toEqual([]);
  });

  it('remembers a dismissal: the same burst raises nothing during the cool-down', async () => {
    const other = await newWorkspace(app, 'Dismiss');
    const f = await statusFixture(other, 'd');
    const moves = Array.from({ length: 15 }, () => ({ startedAt: new Date(Date.now() - 2 * MIN), serviceAreaId: f.south.id, from: null, to: 'outage' }));
    await withTransaction(other.system, (tx) => countReasonMoves(tx, moves));
    const [id] = await detectOutages({ ctx: other.system });
    expect(id).toBeTruthy();
    await dismissSuspicion({ ctx: other.supervisorCtx, id, note: 'a promotion mail asked people to test their line' });
    expect(await detectOutages({ ctx: other.system })).toEqual([]);
    expect(await detectOutages({ ctx: other.system, now: new Date(Date.now() + 90 * MIN) })).toEqual([]);
    // Another workspace cannot publish or dismiss it.
    await expect(publishSuspicion({ ctx: t.supervisorCtx, id })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('told first, linked, credited', () => {
  let incidentId: string;

  it('publishes in one click and tells exactly the affected customers, each on their channel', async () => {
    const [s] = await listSuspicions({ ctx: t.supervisorCtx, status: 'open' });
    const res = await t.request(`/api/v1/outage-suspicions/${s.id}/publish`, { method: 'POST', cookie: await t.sessionCookie('supervisor') });
    expect(res.status).toBe(201);
    const inc = await res.json();
    incidentId = inc.id;
    expect(inc).toMatchObject({ source: 'detected', status: 'investigating', impact: 'major', areaIds: [fx.north.id] });
    const runner = statusRunner(app);
    await drainAll(runner);
    const northEmails = [...burst.map((b) => b.email), fx.people.find((p) => p.name.startsWith('north 3'))!.email].sort();
    const mailed = relay.mails.filter((m) => m.parsed.subject?.includes('Connection problems')).flatMap((m) => m.to).sort();
    expect(mailed).toEqual(northEmails);
    expect(twilio.sent.map((s) => s.form.get('To'))).toEqual(['+31611111111']);
    expect(twilio.sent[0].form.get('Body')).toContain('Connection problems');
    const got = await getIncident({ ctx: t.agentCtx, id: incidentId });
    expect(got.notices).toEqual({ queued: 0, sent: 22, failed: 0, skipped: 1 });
    // Idempotent per customer × update: the job run again tells no one twice.
    const before = relay.mails.length;
    await drainAll(runner);
    expect(relay.mails.length).toBe(before);
  });

  it('links later contacts from the area to the incident and answers them at once with its state', async () => {
    const r = await receiveMessage({ ctx: t.system, input: { channel: 'email', from: { kind: 'email', value: burst[3].email }, subject: 'Still down', bodyText: 'Is anyone working on this? Still nothing.' } });
    const south = fx.people.find((p) => p.area === 'south')!;
    const rs = await receiveMessage({ ctx: t.system, input: { channel: 'email', from: { kind: 'email', value: south.email }, subject: 'Invoice', bodyText: 'A question about my bill.' } });
    const answered = await eventually(() => getIncident({ ctx: t.agentCtx, id: incidentId }), (i) => i.contacts >= 1);
    expect(answered.contacts).toBe(1);
    const msgs = (await listMessages({ ctx: t.agentCtx, conversationId: r.conversation!.id, input: {} })).data;
    const auto = msgs.find((m) => m.direction === 'out')!;
    expect(auto.bodyText).toContain('We know about it');
    expect(auto.bodyText).toContain('reply');
    expect((await listMessages({ ctx: t.agentCtx, conversationId: rs.conversation!.id, input: {} })).data.filter((m) => m.direction === 'out')).toEqual([]);
    await drainAll(statusRunner(app));
    expect(relay.mails.some((m) => m.to.includes(burst[3].email) && String(m.parsed.text).includes('We know about it'))).toBe(true);
  });

  it('resolves: credits per the SLA policy, announced in the closing notice and shown on the page', async () => {
    const inc = await getIncident({ ctx: t.agentCtx, id: incidentId });
    const at = new Date(new Date(inc.startedAt).getTime() + 5 * H).toISOString(); // 5 h down → 2 started 4-hour periods
    const done = await postIncidentUpdate({ ctx: t.supervisorCtx, id: incidentId, input: { status: 'resolved', body: 'The splice is repaired; everyone is back online.', at } });
    const start = new Date(inc.startedAt);
    const days = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0)).getUTCDate();
    const each = Math.round((2 * 4500) / days);
    expect(done.credits).toEqual({ totalCents: 23 * each, appliedCents: 23 * each, proposedCents: 0, currency: 'EUR', customers: 23 });
    const credits = await (await t.request(`/api/v1/customers/${burst[0].id}/credits`)).json();
    expect(credits.data).toEqual([expect.objectContaining({ incidentId, amountCents: each, status: 'applied', hoursDown: 5 })]);
    await drainAll(statusRunner(app));
    const closing = relay.mails.find((m) => m.to.includes(burst[0].email) && String(m.parsed.text).includes('everyone is back online'))!;
    expect(String(closing.parsed.text)).toMatch(/credit of €\d+\.\d\d will be on your next bill/);
    const page = await (await createApp(app, { webDir: null, publicStatusSlug: t.slug }).request('/status')).text();
    expect(page).toContain('Connection problems in');
    expect(page).toContain('everyone is back online');
  });
});

describe('notice rules', () => {
  it('chooses the preferred channel, then email, then SMS, and respects opt-outs', () => {
    const base = { email: 'a@x.test', phone: '+31600000000', kinds: ['email', 'phone'], consent: { marketing: false, surveys: false } };
    expect(noticeChannel({ ...base, prefs: { preferred: 'sms' } }).channel).toBe('sms');
    expect(noticeChannel({ ...base, prefs: { preferred: 'telegram' } }).channel).toBe('email'); // no telegram identity
    expect(noticeChannel({ ...base, prefs: { preferred: 'sms', doNotContact: ['sms'] } }).channel).toBe('email');
    expect(noticeChannel({ ...base, email: null, kinds: ['phone'], prefs: {} }).channel).toBe('sms');
    expect(noticeChannel({ ...base, consent: { ...base.consent, serviceNotices: false }, prefs: {} })).toEqual({ channel: null, reason: 'opted out of service notices' });
  });

  it('holds SMS back until quiet hours end in the customer\'s time zone, never email', () => {
    const quiet = { start: '22:00', end: '08:00' };
    const late = new Date('2026-06-10T21:30:00Z'); // 23:30 in Amsterdam (CEST)
    expect(sendAt(late, 'sms', quiet, 'Europe/Amsterdam').toISOString()).toBe('2026-06-11T06:00:00.000Z'); // 08:00 CEST
    expect(sendAt(late, 'email', quiet, 'Europe/Amsterdam')).toEqual(late);
    expect(sendAt(late, 'sms', quiet, 'America/New_York')).toEqual(late); // 17:30 there
    expect(sendAt(late, 'sms', null, 'Europe/Amsterdam')).toEqual(late);
  });
});
