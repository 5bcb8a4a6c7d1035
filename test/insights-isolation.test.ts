import { describe, it, expect, beforeAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { receiveMessage } from '../src/domains/conversations/index.ts';
import { createTeam } from '../src/domains/workspaces/index.ts';
import { refreshConversationFacts, upsertSlaPolicy, metricNames } from '../src/domains/insights/index.ts';

let app: Platform;
let a: TestWorkspace;
let b: TestWorkspace;
let bConversation: string;
let bTeam: string;

beforeAll(async () => {
  app = await testPlatform();
  a = await newWorkspace(app, 'A');
  b = await newWorkspace(app, 'B');
  await upsertSlaPolicy({ ctx: b.adminCtx, input: { name: 'B secret policy', firstResponseSeconds: 60 } });
  bTeam = (await createTeam({ ctx: b.adminCtx, input: { name: 'B team' } })).id;
  const r = await receiveMessage({ ctx: b.system, input: { channel: 'email', from: { kind: 'email', value: 'secret@b.test' }, bodyText: 'private' } });
  bConversation = r.conversation!.id;
  await refreshConversationFacts(b.system, [bConversation]);
});

describe('tenant isolation of every insights route', () => {
  it('B sees its own figures (so the checks on A below can fail)', async () => {
    const now = await (await b.request('/api/v1/insights/now')).json();
    expect(now).toMatchObject({ open: 1, waiting: 1 });
    const contacts = await (await b.request('/api/v1/insights/contacts')).json();
    expect(contacts.rows[0].contacts).toBe(1);
    const clocks = await (await b.request(`/api/v1/insights/sla-clocks?ids=${bConversation}`)).json();
    expect(clocks.data).toHaveLength(1);
  });

  it("A's now-panel, every metric, SLA clocks and policies show nothing of B", async () => {
    const cookie = await a.sessionCookie('admin');
    for (const auth of [{}, { cookie }]) {
      expect(await (await a.request('/api/v1/insights/now', auth)).json()).toMatchObject({ open: 0, waiting: 0, oldestWaitingSeconds: 0, breachesNextHour: 0 });
      for (const m of metricNames) {
        for (const groupBy of ['', '&groupBy=team', '&groupBy=channel']) {
          const r = await a.request(`/api/v1/insights/${m}?from=2020-01-01T00:00:00Z${groupBy}`, auth);
          expect(r.status, m).toBe(200);
          const body = await r.json();
          const figures = JSON.stringify(body.rows);
          expect(figures, m).not.toContain(bConversation);
          expect(figures, m).not.toContain(bTeam);
          // No contact of A's: every count is zero or absent.
          for (const row of body.rows) for (const k of ['contacts', 'count', 'customers', 'responses', 'timed']) if (k in row) expect(row[k], `${m}.${k}`).toBe(0);
        }
      }
      expect((await (await a.request(`/api/v1/insights/sla-clocks?ids=${bConversation}`, auth)).json()).data).toEqual([]);
      expect(JSON.stringify(await (await a.request('/api/v1/sla-policies', auth)).json())).not.toContain('B secret policy');
    }
  });

  it("A cannot set B's team calendar", async () => {
    const r = await a.request(`/api/v1/teams/${bTeam}/calendar`, { method: 'PUT', json: { timezone: 'Europe/Amsterdam', hours: [] } });
    expect(r.status).toBe(404);
    expect((await r.json()).code).toBe('not_found');
  });

  it('an agent may read insights but not change SLA policies', async () => {
    const cookie = await a.sessionCookie('agent');
    expect((await a.request('/api/v1/insights/now', { cookie })).status).toBe(200);
    const r = await a.request('/api/v1/sla-policies', { method: 'PUT', cookie, json: { name: 'x', firstResponseSeconds: 60 } });
    expect(r.status).toBe(403);
  });

  it("scorecard settings are the workspace's own, and only supervisors change them", async () => {
    const bTeamGoal = { teamGoals: { [bTeam]: { slaAttainment: 0.9 } } };
    expect((await b.request('/api/v1/insights/settings', { method: 'PUT', json: bTeamGoal })).status).toBe(200);
    const supervisor = await a.sessionCookie('supervisor');
    const r = await a.request('/api/v1/insights/settings', { method: 'PUT', cookie: supervisor, json: { leaderboardEnabled: false } });
    expect(r.status).toBe(200);
    expect(await (await a.request('/api/v1/insights/settings')).json()).toEqual({ leaderboardEnabled: false, teamGoals: {} });
    expect(await (await b.request('/api/v1/insights/settings')).json()).toEqual({ leaderboardEnabled: true, ...bTeamGoal });
    const agent = await a.sessionCookie('agent');
    expect((await a.request('/api/v1/insights/settings', { method: 'PUT', cookie: agent, json: { leaderboardEnabled: true } })).status).toBe(403);
  });
});
