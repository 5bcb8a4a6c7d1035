import { describe, it, expect, beforeAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import { statusFixture } from './support/status.ts';
import { v2 } from './support/statuspage-v2-schema.ts';
import type { Platform } from '../src/platform/platform.ts';
import { createApp } from '../src/http/app.ts';
import { createIncident, createMaintenance, postIncidentUpdate } from '../src/domains/status/index.ts';
import { withTransaction } from '../src/platform/ctx.ts';
import { statusStatements, networkUpgrades } from '../src/db/schema/index.ts';
import { newId } from '../src/platform/ids.ts';

let app: Platform;
let a: TestWorkspace;
let b: TestWorkspace;
let fx: Awaited<ReturnType<typeof statusFixture>>;
let http: ReturnType<typeof createApp>;
const get = (path: string, headers: Record<string, string> = {}) => http.request(path, { headers });
const json = async (path: string) => { const r = await get(path); expect(r.status).toBe(200); return r.json(); };
const H = 3_600_000;

beforeAll(async () => {
  app = await testPlatform();
  a = await newWorkspace(app, 'Alpha');
  b = await newWorkspace(app, 'Beta');
  fx = await statusFixture(a, 'p');
  await statusFixture(b, 'q');
  http = createApp(app, { webDir: null, publicStatusSlug: a.slug });
  // History: a resolved incident 3 days ago, a maintenance done last week, one planned next week.
  const past = await createIncident({ ctx: a.supervisorCtx, input: { name: 'Fibre cut North', impact: 'critical', body: 'No service.', areaIds: [fx.north.id], startedAt: new Date(Date.now() - 72 * H).toISOString(), notify: false } });
  await postIncidentUpdate({ ctx: a.supervisorCtx, id: past.id, input: { status: 'identified', body: 'Cable cut by groundworks.', notify: false, at: new Date(Date.now() - 71 * H).toISOString() } });
  await postIncidentUpdate({ ctx: a.supervisorCtx, id: past.id, input: { status: 'resolved', body: 'Spliced.', notify: false, at: new Date(Date.now() - 69 * H).toISOString() } });
  await createMaintenance({ ctx: a.supervisorCtx, input: { name: 'Core switch upgrade', body: 'Short interruptions.', areaIds: [fx.south.id], notify: false,
    scheduledFor: new Date(Date.now() + 7 * 24 * H).toISOString(), scheduledUntil: new Date(Date.now() + 7 * 24 * H + 2 * H).toISOString() } });
  await withTransaction(a.system, async (tx) => {
    await tx.db.insert(statusStatements).values({ workspaceId: a.ws.id, key: 'ai', title: 'How we use AI', bodyMd: 'We **never** let a model answer you alone.\n\n- reasons are suggested\n- a person decides', position: 1 });
    await tx.db.insert(networkUpgrades).values({ workspaceId: a.ws.id, id: newId(), serviceAreaId: fx.north.id, title: 'XGS-PON to 8 Gbit/s', status: 'planned', plannedFor: '2027-03-01' });
  });
});

describe('Statuspage-compatible /api/v2', () => {
  it('serves every v2 file with exactly the field names, nesting and enums of Statuspage', async () => {
    await createIncident({ ctx: a.supervisorCtx, input: { name: 'Slow South', impact: 'minor', body: 'Slower than usual.', areaIds: [fx.south.id], notify: false } });
    for (const [name, schema] of Object.entries(v2)) {
      const body = await json(`/api/v2/${name}`);
      const parsed = schema.safeParse(body);
      expect(parsed.success ? [] : parsed.error.issues.map((i) => `${name} ${i.path.join('.')}: ${i.message}`)).toEqual([]);
    }
    const summary = await json('/api/v2/summary.json');
    expect(summary.page).toMatchObject({ id: a.ws.id, name: a.ws.name, time_zone: 'UTC' });
    expect(summary.status).toEqual({ indicator: 'minor', description: 'Minor Service Outage' });
    expect(summary.incidents.map((i: any) => i.name)).toEqual(['Slow South']);
    const group = summary.components.find((c: any) => c.group);
    const south = summary.components.find((c: any) => c.name === fx.south.name);
    expect(group).toMatchObject({ name: 'Internet', group_id: null, status: 'degraded_performance' });
    expect(group.components).toContain(south.id);
    expect(south).toMatchObject({ group: false, group_id: group.id, status: 'degraded_performance', page_id: a.ws.id });
    const first = summary.incidents[0].incident_updates[0];
    expect(first).toMatchObject({ status: 'investigating', body: 'Slower than usual.', deliver_notifications: false, affected_components: [{ code: south.id, name: fx.south.name, old_status: 'operational', new_status: 'degraded_performance' }] });
    const all = await json('/api/v2/incidents.json');
    const cut = all.incidents.find((i: any) => i.name === 'Fibre cut North');
    expect(cut).toMatchObject({ status: 'resolved', impact: 'critical' });
    expect(cut.incident_updates.map((u: any) => u.status)).toEqual(['resolved', 'identified', 'investigating']);
    expect((await json('/api/v2/incidents/unresolved.json')).incidents.map((i: any) => i.name)).toEqual(['Slow South']);
    const upcoming = await json('/api/v2/scheduled-maintenances/upcoming.json');
    expect(upcoming.scheduled_maintenances).toEqual([expect.objectContaining({ name: 'Core switch upgrade', status: 'scheduled', impact: 'maintenance' })]);
    expect((await json('/api/v2/scheduled-maintenances/active.json')).scheduled_maintenances).toEqual([]);
  });

  it('shows a published incident at once, its components no longer operational', async () => {
    const before = await get('/api/v2/summary.json');
    const etag = before.headers.get('etag')!;
    const inc = await createIncident({ ctx: a.supervisorCtx, input: { name: 'Outage North now', impact: 'critical', body: 'Down.', areaIds: [fx.north.id], notify: false } });
    const after = await get('/api/v2/summary.json', { 'if-none-match': etag });
    expect(after.status).toBe(200);
    const s = await after.json();
    expect(s.status.indicator).toBe('critical');
    expect(s.components.find((c: any) => c.name === fx.north.name).status).toBe('major_outage');
    await postIncidentUpdate({ ctx: a.supervisorCtx, id: inc.id, input: { status: 'resolved', body: 'Back.', notify: false } });
    const back = await json('/api/v2/components.json');
    expect(back.components.find((c: any) => c.name === fx.north.name).status).toBe('operational');
  });

  it('answers with a strong ETag, Cache-Control, and 304 when nothing changed', async () => {
    const r = await get('/api/v2/status.json');
    const etag = r.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(r.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
    expect(r.headers.get('content-type')).toContain('application/json');
    const again = await get('/api/v2/status.json', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await get('/api/v2/status.json', { 'if-none-match': '"other"' })).status).toBe(200);
    expect((await get('/api/v2/nothing.json')).status).toBe(404);
  });

  it('serves each workspace under its slug, and never another workspace\'s data', async () => {
    await createIncident({ ctx: b.supervisorCtx, input: { name: 'Beta only', impact: 'major', body: 'b', areaIds: [(await statusFixtureAreas(b))[0]], notify: false } });
    const bs = await json(`/status/${b.slug}/api/v2/summary.json`);
    expect(bs.page.id).toBe(b.ws.id);
    expect(bs.incidents.map((i: any) => i.name)).toEqual(['Beta only']);
    const as = await json(`/status/${a.slug}/api/v2/incidents.json`);
    expect(as.incidents.some((i: any) => i.name === 'Beta only')).toBe(false);
    expect(JSON.stringify(await json('/api/v2/summary.json'))).not.toContain('Beta only');
    const page = await (await get(`/status/${a.slug}`)).text();
    expect(page).not.toContain('Beta only');
    expect((await get('/status/no-such-workspace')).status).toBe(404);
  });
});

async function statusFixtureAreas(w: TestWorkspace) {
  const res = await w.request('/api/v1/service-areas');
  return (await res.json()).data.map((x: { id: string }) => x.id) as string[];
}

describe('the public page and feeds', () => {
  it('renders the page without sign-in: components, incidents with updates, maintenance, uptime, desk record, roadmap, statements', async () => {
    const r = await get('/status');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    const html = await r.text();
    for (const s of ['Service status', fx.north.name, fx.south.name, 'Fibre cut North', 'Cable cut by groundworks.', 'Core switch upgrade', 'XGS-PON to 8 Gbit/s', 'How we use AI', '<strong>never</strong>', 'against our 99.9% target', 'Our support desk', 'Subscribe'])
      expect(html).toContain(s);
    expect(html.match(/class="bar /g)!.length).toBe(2 * 90);
    expect((await get('/status', { 'if-none-match': r.headers.get('etag')! })).status).toBe(304);
  });

  it('publishes Atom and RSS feeds of incidents', async () => {
    const atom = await (await get('/status/history.atom')).text();
    expect(atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(atom).toContain('<title>Fibre cut North</title>');
    const rss = await get(`/status/${a.slug}/history.rss`);
    expect(rss.headers.get('content-type')).toContain('application/rss+xml');
    expect(await rss.text()).toMatch(/<rss version="2.0"[\s\S]*<item>[\s\S]*Fibre cut North/);
  });
});
