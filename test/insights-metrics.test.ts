import { describe, it, expect, beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { newId } from '../src/platform/ids.ts';
import { createCustomer } from '../src/domains/customers/index.ts';
import { createTeam, addTeamMember, updateWorkspaceSettings } from '../src/domains/workspaces/index.ts';
import { upsertPlan, upsertServiceArea, upsertSubscription } from '../src/domains/billing/index.ts';
import {
  upsertSlaPolicy, setTeamCalendar, refreshConversationFacts, getInsightsMetric, getInsightsNow,
} from '../src/domains/insights/index.ts';
import { rowsOf } from '../src/platform/bulk.ts';

/*
 * A small hand-built data set (conversations written as rows with exact instants) and, for each
 * metric, the figure worked out by hand in the comments. Workspace calendar: Amsterdam, Mon–Fri
 * 09:00–17:00 (CET = UTC+1 in March). Team NY: New York, Mon–Fri 09:00–17:00 (EDT = UTC−4 from 8 March).
 * SLA policy for everything: first response 1 h, resolution 8 h (business), 500 cents credit per breach.
 * "Now" is Tue 10 March 2026 12:00Z. The period is [Mon 9 March, Wed 11 March).
 */
let app: Platform;
let w: TestWorkspace;
const NOW = new Date('2026-03-10T12:00:00Z');
const period = { from: '2026-03-09T00:00:00Z', to: '2026-03-11T00:00:00Z' };
const ids: Record<string, string> = {};
let teamAms: string, teamNy: string;
let n = 0;

type Step = [string, 'open' | 'pending' | 'resolved' | 'closed'];
async function conv(name: string, o: {
  customer: string; channel: string; team?: string; agent?: string; reason?: string | null; created: string;
  replies?: string[]; inbound?: string[]; steps?: Step[]; repeatOf?: string; reopenCount?: number; sentiment?: number; trend?: string;
}) {
  const id = newId(Date.parse(o.created));
  ids[name] = id;
  const steps = o.steps ?? [];
  const status = steps.at(-1)?.[1] ?? 'open';
  const resolved = [...steps].reverse().find((s) => s[1] === 'resolved')?.[0] ?? null;
  const ws = w.ws.id;
  await app.db.execute(sql`insert into conversations (workspace_id, id, number, customer_id, status, priority, channel, team_id, assignee_id, reason,
    created_at, last_message_at, updated_at, first_response_at, resolved_at, repeat_of, reopen_count, sentiment, sentiment_trend)
    values (${ws}, ${id}, ${100 + ++n}, ${o.customer}, ${status}, 'normal', ${o.channel}, ${o.team ?? null}, ${o.agent ?? null}, ${o.reason ?? null},
    ${o.created}, ${o.created}, ${o.created}, ${o.replies?.[0] ?? null}, ${resolved}, ${o.repeatOf ?? null}, ${o.reopenCount ?? 0}, ${o.sentiment ?? null}, ${o.trend ?? null})`);
  const tl = (at: string, kind: string) => app.db.execute(sql`insert into timeline_entries (workspace_id, id, customer_id, occurred_at, kind, actor_type, conversation_id, summary)
    values (${ws}, ${newId(Date.parse(at))}, ${o.customer}, ${at}, ${kind}, 'system', ${id}, ${kind})`);
  await tl(o.created, 'conversation.opened');
  for (const [at, s] of steps) await tl(at, s === 'open' ? 'conversation.reopened' : `conversation.${s}`);
  const msg = (at: string, direction: 'in' | 'out') => app.db.execute(sql`insert into messages (workspace_id, id, conversation_id, customer_id, direction, author_type, channel, body_text, delivery_status, created_at)
    values (${ws}, ${newId(Date.parse(at))}, ${id}, ${o.customer}, ${direction}, ${direction === 'in' ? 'customer' : 'agent'}, ${o.channel}, 'x', ${direction === 'in' ? 'received' : 'sent'}, ${at})`);
  for (const at of [o.created, ...(o.inbound ?? [])]) await msg(at, 'in');
  for (const at of o.replies ?? []) await msg(at, 'out');
}

beforeAll(async () => {
  app = await testPlatform();
  w = await newWorkspace(app, 'Insights');
  await updateWorkspaceSettings({ ctx: w.adminCtx, input: { timezone: 'Europe/Amsterdam', businessHours: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })), holidays: [] } });
  teamAms = (await createTeam({ ctx: w.adminCtx, input: { name: 'Amsterdam' } })).id;
  teamNy = (await createTeam({ ctx: w.adminCtx, input: { name: 'New York' } })).id;
  await addTeamMember({ ctx: w.adminCtx, input: { teamId: teamAms, agentId: w.supervisor.id } });
  await setTeamCalendar({ ctx: w.adminCtx, teamId: teamNy, input: { timezone: 'America/New_York', hours: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })) } });
  await upsertSlaPolicy({ ctx: w.adminCtx, input: { name: 'Standard', firstResponseSeconds: 3600, resolutionSeconds: 8 * 3600, creditCents: 500 } });

  await upsertServiceArea({ ctx: w.adminCtx, input: { code: 'ams', name: 'Amsterdam' } });
  for (const [code, priceCents] of [['fibre50', 5000], ['fibre30', 3000], ['fibre40', 4000], ['mobile20', 2000], ['tv10', 1000]] as const) {
    await upsertPlan({ ctx: w.adminCtx, input: { code, name: code, priceCents, currency: 'EUR', downloadMbps: 100, uploadMbps: 100 } });
  }
  const cust = async (name: string) => (await createCustomer({ ctx: w.agentCtx, input: { name, email: `${name}@x.test` } })).id;
  const [c1, c2, c3, c4] = [await cust('c1'), await cust('c2'), await cust('c3'), await cust('c4')];
  const sub = (customerId: string, planCode: string, ref: string, extra: object = {}) =>
    upsertSubscription({ ctx: w.adminCtx, input: { externalRef: ref, customerId, planCode, serviceAreaCode: 'ams', address: 'Street 1', startedAt: new Date('2025-01-01T00:00:00Z'), ...extra } });
  await sub(c1, 'fibre50', 's1');
  await sub(c2, 'fibre30', 's2', { status: 'cancelled', endedAt: new Date('2026-04-01T00:00:00Z') }); // cancelled 23 days after contacting us
  await sub(c2, 'mobile20', 's2b');
  await sub(c3, 'fibre40', 's3');
  await sub(c3, 'tv10', 's3b', { startedAt: new Date('2026-03-20T00:00:00Z') }); // bought again after the contact

  // A: Mon 09:00 CET, replied after 30 min, resolved 11:00, reopened 12:00 by the customer, resolved again 13:00.
  //    first response 1800 s; resolution 2 h + 1 h = 10800 s; reopened, so not first-contact resolution.
  await conv('A', { customer: c1, channel: 'email', team: teamAms, agent: w.agent.id, reason: 'billing', created: '2026-03-09T08:00:00Z',
    replies: ['2026-03-09T08:30:00Z'], inbound: ['2026-03-09T11:00:00Z'], steps: [['2026-03-09T10:00:00Z', 'resolved'], ['2026-03-09T11:00:00Z', 'open'], ['2026-03-09T12:00:00Z', 'resolved']],
    reopenCount: 1, sentiment: 0.5, trend: 'steady' });
  // B: Mon 16:00 CET, replied Tue 09:30 CET: 1 h + 0.5 h = 5400 s, a first-response breach (due Mon 17:00 CET = 16:00Z).
  //    resolved Tue 13:00 CET: Mon 16–17 + Tue 09–13 = 5 h = 18000 s, within 8 h.
  await conv('B', { customer: c2, channel: 'chat', team: teamAms, agent: w.agent.id, reason: 'outage', created: '2026-03-09T15:00:00Z',
    replies: ['2026-03-10T08:30:00Z'], steps: [['2026-03-10T12:00:00Z', 'resolved']], sentiment: -0.5, trend: 'worsening' });
  // C: team New York, Mon 09:00 EDT (13:00Z); replied after 20 min (1200 s) and set pending; the customer answered at 15:00Z; resolved 16:00Z.
  //    resolution 20 min + 60 min = 4800 s (the 1 h 40 min pending do not count).
  await conv('C', { customer: c3, channel: 'email', team: teamNy, agent: w.supervisor.id, reason: 'billing', created: '2026-03-09T13:00:00Z',
    replies: ['2026-03-09T13:20:00Z'], inbound: ['2026-03-09T15:00:00Z'], steps: [['2026-03-09T13:20:00Z', 'pending'], ['2026-03-09T15:00:00Z', 'open'], ['2026-03-09T16:00:00Z', 'resolved']],
    sentiment: -0.2, trend: 'worsening' });
  // D: c1 again, Tue 09:00 CET, a repeat of A; replied after 10 min (600 s); still open (resolution due Tue 17:00 CET = 16:00Z).
  await conv('D', { customer: c1, channel: 'email', team: teamAms, agent: w.agent.id, reason: 'billing', created: '2026-03-10T08:00:00Z',
    replies: ['2026-03-10T08:10:00Z'], repeatOf: ids.A });
  // E: c4, SMS, no team or reason, Tue 12:30 CET (11:30Z), unanswered: waiting 1800 s at noon UTC, first response due 12:30Z.
  await conv('E', { customer: c4, channel: 'sms', created: '2026-03-10T11:30:00Z' });
  // F: before the period (Sun 8 March), an outage contact of c4, resolved: only the rising-reasons baseline sees it.
  await conv('F', { customer: c4, channel: 'email', reason: 'outage', created: '2026-03-08T10:00:00Z', replies: ['2026-03-08T10:05:00Z'], steps: [['2026-03-08T11:00:00Z', 'resolved']] });
  await refreshConversationFacts(w.system, Object.values(ids), NOW);
});

const metric = async (m: string, groupBy?: 'channel' | 'team' | 'agent' | 'area' | 'reason') =>
  getInsightsMetric({ ctx: w.agentCtx, metric: m, input: { ...period, groupBy }, now: NOW });

describe('insights metrics on a hand-built data set', () => {
  it('first response time: median and p90 in business seconds, overall and per team', async () => {
    // 600, 1200, 1800, 5400 → median (1200 + 1800) / 2 = 1500; p90 at rank 0.9 × 3 = 2.7: 1800 + 0.7 × 3600 = 4320.
    const all = await metric('first_response_time');
    expect(all.rows).toEqual([{ key: null, label: null, count: 4, medianSeconds: 1500, p90Seconds: expect.closeTo(4320, 6) }]);
    const byTeam = await metric('first_response_time', 'team');
    const ams = byTeam.rows.find((r) => r.key === teamAms)!;
    expect(ams).toMatchObject({ label: 'Amsterdam', count: 3, medianSeconds: 1800 }); // A 1800, B 5400, D 600
    expect(byTeam.rows.find((r) => r.key === teamNy)).toMatchObject({ label: 'New York', count: 1, medianSeconds: 1200 });
  });

  it('resolution time: summed over reopens, pending excluded', async () => {
    // 4800, 10800, 18000 → median 10800; p90 at rank 1.8: 10800 + 0.8 × 7200 = 16560.
    const all = await metric('resolution_time');
    expect(all.rows[0]).toMatchObject({ count: 3, medianSeconds: 10800 });
    expect(all.rows[0].p90Seconds).toBeCloseTo(16560, 6);
  });

  it('SLA attainment: 4 conversations with a concluded clock (E still running, not due), 1 breached', async () => {
    const r = (await metric('sla_attainment')).rows[0];
    expect(r).toMatchObject({ timed: 4, met: 3, attainment: 0.75 });
    // first responses in SLA: A, C, D of A, B, C, D; resolutions in SLA: A (3 h), B (5 h), C.
    expect(r.firstResponseInSla).toBe(0.75);
    expect(r.resolutionInSla).toBe(1);
  });

  it('records the breach once, with its cost, escalated to the team supervisor', async () => {
    await refreshConversationFacts(w.system, [ids.B], NOW); // a second pass records nothing new
    const rows = rowsOf<Record<string, unknown>>(await app.db.execute(sql`select * from sla_breaches where workspace_id = ${w.ws.id}`));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ conversation_id: ids.B, kind: 'first_response', credit_cents: 500, revenue_at_risk_cents: 2000, escalated_to: w.supervisor.id });
    expect(new Date(rows[0].due_at as string).toISOString()).toBe('2026-03-09T16:00:00.000Z');
  });

  it('repeat-contact rate, first-contact resolution and repeats caused', async () => {
    expect((await metric('repeat_contact_rate')).rows[0]).toMatchObject({ contacts: 5, repeats: 1, rate: 0.2 });
    // resolved: A (reopened), B, C → 2 of 3.
    expect((await metric('first_contact_resolution')).rows[0]).toMatchObject({ resolved: 3, firstContactResolved: 2, rate: 2 / 3 });
    const byAgent = await metric('repeats_caused', 'agent');
    expect(byAgent.rows.find((r) => r.key === w.agent.id)).toMatchObject({ contacts: 3, repeatsCaused: 1 }); // A caused D
    expect(byAgent.rows.find((r) => r.key === w.supervisor.id)).toMatchObject({ contacts: 1, repeatsCaused: 0 });
  });

  it('contacts per 1,000 customers and per channel', async () => {
    // 5 contacts; customers with an active subscription now: c1, c2 (mobile), c3 → 5 × 1000 / 3.
    expect((await metric('contacts_per_1000_customers')).rows[0]).toMatchObject({ contacts: 5, activeCustomers: 3, per1000: 5000 / 3 });
    const byChannel = Object.fromEntries((await metric('contacts', 'channel')).rows.map((r) => [r.key, r.contacts]));
    expect(byChannel).toEqual({ chat: 1, email: 3, sms: 1 });
  });

  it('outcomes: stay, return, churn and revenue lost and at risk', async () => {
    // Customers contacting in the period: c1 (A), c2 (B), c3 (C), c4 (E). c2 cancelled fibre30 (3000) within 90 days.
    // c3 bought tv10 after; c3's contact ended worsening: at risk = c3's monthly revenue 4000 + 1000.
    const r = (await metric('outcomes')).rows[0];
    expect(r).toMatchObject({ customers: 4, stayed: 3, stayRate: 0.75, churnRate: 0.25, returned: 1, returnRate: 0.25, told: null, revenueLostCents: 3000, revenueAtRiskCents: 5000 });
    const byReason = Object.fromEntries((await metric('outcomes', 'reason')).rows.map((x) => [x.key, x]));
    expect(byReason.outage).toMatchObject({ customers: 1, stayed: 0, revenueLostCents: 3000 });
    expect(byReason.billing).toMatchObject({ customers: 2, stayed: 2, revenueAtRiskCents: 5000 });
  });

  it('rising reasons against the period before, and the sentiment trend per day', async () => {
    const rising = (await metric('rising_reasons')).rows;
    expect(rising[0]).toMatchObject({ key: 'billing', contacts: 3, before: 0, rise: 3 });
    expect(rising.find((r) => r.key === 'outage')).toMatchObject({ contacts: 1, before: 1, rise: 0 });
    const trend = (await metric('sentiment_trend')).rows;
    // 9 March: A 0.5, B −0.5, C −0.2 → mean −0.0667; B and C worsening of 3. 10 March: D, E without sentiment.
    expect(trend[0]).toMatchObject({ day: '2026-03-09', contacts: 3, worseningShare: 2 / 3 });
    expect(trend[0].meanSentiment).toBeCloseTo(-0.2 / 3, 5);
    expect(trend[1]).toMatchObject({ day: '2026-03-10', contacts: 2, meanSentiment: null, worseningShare: 0 });
  });

  it('the now-panel', async () => {
    // open: D and E; waiting: E since 11:30Z; E's first response due 12:30Z is within the hour (D's resolution at 16:00Z is not).
    expect(await getInsightsNow({ ctx: w.agentCtx, now: NOW })).toMatchObject({ open: 2, waiting: 1, oldestWaitingSeconds: 1800, breachesNextHour: 1 });
  });

  it('CSAT, NPS and CES by the standard formulas, read from survey responses once they exist', async () => {
    expect((await metric('csat')).available).toBe(false);
    // The shape the surveys issue writes (created here only for this test's database).
    await app.db.execute(sql`create table if not exists survey_responses (workspace_id uuid not null, id uuid not null, conversation_id uuid, kind text not null, score int not null, answered_at timestamptz not null)`);
    const answer = (kind: string, score: number, conversation: string) => app.db.execute(sql`insert into survey_responses values (${w.ws.id}, ${newId()}, ${ids[conversation]}, ${kind}, ${score}, '2026-03-10T10:00:00Z')`);
    for (const [s, c] of [[5, 'A'], [4, 'B'], [3, 'C'], [1, 'D']] as const) await answer('csat', s, c);
    for (const [s, c] of [[10, 'A'], [9, 'B'], [10, 'C'], [8, 'D'], [6, 'A'], [0, 'B']] as const) await answer('nps', s, c);
    for (const [s, c] of [[7, 'A'], [5, 'B'], [6, 'C']] as const) await answer('ces', s, c);
    expect((await metric('csat')).rows[0]).toMatchObject({ responses: 4, value: 50 }); // 2 of 4 are 4–5
    expect((await metric('nps')).rows[0].value).toBeCloseTo(((3 - 2) / 6) * 100, 6); // promoters 10, 9, 10; detractors 6, 0
    expect((await metric('ces')).rows[0]).toMatchObject({ responses: 3, value: 6 });
    const csatByTeam = Object.fromEntries((await metric('csat', 'team')).rows.map((r) => [r.key, r.value]));
    expect(csatByTeam).toEqual({ [teamAms]: (2 / 3) * 100, [teamNy]: 0 }); // A 5, B 4, D 1 | C 3
  });

  it('deflection is a slot until the portal records journeys', async () => {
    const r = await metric('deflection');
    expect(r.available).toBe(false);
    expect(r.rows).toEqual([]);
    expect(r.definition).toMatch(/self-service journeys/);
  });

  it('answers not_found for an unknown metric and validation_failed for an empty period', async () => {
    await expect(getInsightsMetric({ ctx: w.agentCtx, metric: 'nope', input: {} })).rejects.toMatchObject({ code: 'not_found' });
    await expect(getInsightsMetric({ ctx: w.agentCtx, metric: 'contacts', input: { from: period.to, to: period.from } })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('exports any metric as CSV over HTTP, and documents each metric in the OpenAPI', async () => {
    const r = await w.request(`/api/v1/insights/contacts?from=${period.from}&to=${period.to}&groupBy=channel&format=csv`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/csv/);
    expect(await r.text()).toBe('key,label,contacts\nchat,chat,1\nemail,email,3\nsms,sms,1\n');
    const doc = await (await w.request('/api/v1/openapi.json')).json();
    const op = doc.paths['/api/v1/insights/{metric}']?.get ?? doc.paths['/insights/{metric}']?.get;
    for (const m of ['first_response_time', 'resolution_time', 'sla_attainment', 'csat', 'nps', 'ces', 'repeat_contact_rate', 'deflection', 'outcomes']) expect(op.description).toContain(`\`${m}\``);
    expect(doc.paths['/api/v1/insights/now'] ?? doc.paths['/insights/now']).toBeTruthy();
  });
});
