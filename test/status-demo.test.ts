import { describe, it, expect, beforeAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import { statusRunner, drainAll } from './support/status.ts';
import { v2 } from './support/statuspage-v2-schema.ts';
import type { Platform } from '../src/platform/platform.ts';
import { seedDemo } from '../src/demo/seed-demo.ts';
import { createApp } from '../src/http/app.ts';
import { systemCtx } from '../src/platform/ctx.ts';
import { listIncidents, postIncidentUpdate } from '../src/domains/status/index.ts';
import { listOutbox } from '../src/domains/outbox/index.ts';

// The demo's status page is never empty on a first start, and agrees with the demo's story.

let app: Platform;
let http: ReturnType<typeof createApp>;
let workspaceId: string;
const json = async (p: string) => (await http.request(p)).json();

beforeAll(async () => {
  app = await testPlatform();
  workspaceId = (await seedDemo(app, { customers: 300, conversations: 400 })).workspaceId;
  http = createApp(app, { webDir: null });
}, 120_000);

describe('the demo status page', () => {
  it('serves the demo at /status and /api/v2 with a 90-day history, the current outage, maintenance, roadmap and statements', async () => {
    for (const [name, schema] of Object.entries(v2)) {
      const parsed = schema.safeParse(await json(`/api/v2/${name}`));
      expect(parsed.success ? [] : parsed.error.issues.slice(0, 3).map((i) => `${name} ${i.path.join('.')}: ${i.message}`)).toEqual([]);
    }
    const s = await json('/api/v2/summary.json');
    expect(s.page.name).toBe('Fibrelink');
    expect(s.components.filter((c: any) => c.group).map((c: any) => c.name)).toEqual(['Fibre internet', 'Telephony (VoIP)']);
    expect(s.components.filter((c: any) => !c.group)).toHaveLength(16);
    expect(s.incidents).toHaveLength(1);
    expect(s.incidents[0]).toMatchObject({ status: 'identified' });
    expect(s.scheduled_maintenances.map((m: any) => m.status)).toEqual(['scheduled']);
    const all = await json('/api/v2/incidents.json');
    expect(all.incidents.filter((i: any) => i.status === 'resolved').length).toBe(8);
    expect(all.incidents.every((i: any) => i.incident_updates.length >= 2)).toBe(true);
    // The open incident is where the demo's customers are writing about an outage right now.
    const area = s.incidents[0].name.replace('No internet in ', '');
    const rows = await app.database.query<{ n: number }>(`select count(*)::int as n from conversations c join service_areas a on a.workspace_id = c.workspace_id and a.id = c.service_area_id
      where c.workspace_id = $1 and a.name = $2 and 'outage' = any(c.tags) and c.created_at > now() - interval '6 hours'`, [workspaceId, area]);
    expect(rows[0].n).toBeGreaterThan(0);
    const html = await (await http.request('/status')).text();
    for (const text of ['How we use AI', 'Network upgrades', 'Core router software upgrade', 'Our support desk']) expect(html).toContain(text);
    expect((html.match(/class="tag tag-/g) ?? []).length).toBe(8);
  });

  it('resolving the current outage credits its customers and the notices land in the demo outbox', async () => {
    const ctx = systemCtx(app, workspaceId, 'test');
    const [open] = (await listIncidents({ ctx, input: { state: 'open', kind: 'incident' } })).data;
    const done = await postIncidentUpdate({ ctx, id: open.id, input: { status: 'resolved', body: 'All fixed.' } });
    expect(done.credits.appliedCents).toBeGreaterThan(0);
    await drainAll(statusRunner(app));
    const out = await listOutbox({ ctx, input: { limit: 200 } });
    const notices = out.data.filter((m) => m.source === 'notice');
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.some((m) => /credit of €\d+\.\d\d/.test(m.bodyText))).toBe(true);
  });
});
