import { describe, it, expect, beforeAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import { statusFixture } from './support/status.ts';
import type { Platform } from '../src/platform/platform.ts';
import { createIncident, postIncidentUpdate, listStatusComponents } from '../src/domains/status/index.ts';

let app: Platform;
let t: TestWorkspace;
let fx: Awaited<ReturnType<typeof statusFixture>>;

beforeAll(async () => {
  app = await testPlatform();
  t = await newWorkspace(app, 'Status');
  fx = await statusFixture(t, 'a');
});

describe('incidents: the admin API', () => {
  it('declares an incident with POST /incidents { name, status, impact, body, areaIds } and shows it with its notices', async () => {
    const res = await t.request('/api/v1/incidents', { method: 'POST', json: { name: 'No internet in North', status: 'investigating', impact: 'critical', body: 'We are looking into it.', areaIds: [fx.north.id] } });
    expect(res.status).toBe(201);
    const inc = await res.json();
    expect(inc).toMatchObject({ kind: 'incident', name: 'No internet in North', status: 'investigating', impact: 'critical', published: true, areaIds: [fx.north.id], resolvedAt: null });
    expect(inc.components).toEqual([expect.objectContaining({ serviceAreaId: fx.north.id, service: 'Internet', status: 'major_outage' })]);
    expect(inc.updates).toHaveLength(1);
    const got = await (await t.request(`/api/v1/incidents/${inc.id}`)).json();
    expect(got.notices).toEqual({ queued: 0, sent: 0, failed: 0, skipped: 0 });
    const comps = await listStatusComponents({ ctx: t.agentCtx });
    expect(comps.find((c) => c.serviceAreaId === fx.north.id)!.status).toBe('major_outage');
    expect(comps.find((c) => c.serviceAreaId === fx.south.id)!.status).toBe('operational');
    expect(comps.find((c) => c.serviceAreaId === null)!.status).toBe('major_outage');
  });

  it('moves an incident through identified and resolved with POST /incidents/{id}/updates', async () => {
    const inc = await createIncident({ ctx: t.supervisorCtx, input: { name: 'Slow in South', impact: 'minor', body: 'Slow.', areaIds: [fx.south.id] } });
    const id1 = await postIncidentUpdate({ ctx: t.supervisorCtx, id: inc.id, input: { status: 'identified', body: 'A faulty card.', impact: 'major' } });
    expect(id1).toMatchObject({ status: 'identified', impact: 'major' });
    expect(id1.acknowledgedAt).not.toBeNull();
    expect(id1.components[0].status).toBe('partial_outage');
    const res = await t.request(`/api/v1/incidents/${inc.id}/updates`, { method: 'POST', json: { status: 'resolved', body: 'Fixed.' } });
    expect(res.status).toBe(201);
    const done = await res.json();
    expect(done.resolvedAt).not.toBeNull();
    expect(done.components[0].status).toBe('operational');
    expect(done.updates.map((u: { status: string }) => u.status)).toEqual(['resolved', 'identified', 'investigating']);
    const again = await t.request(`/api/v1/incidents/${inc.id}/updates`, { method: 'POST', json: { status: 'monitoring', body: 'Back?' } });
    expect(again.status).toBe(409);
  });

  it('names the field of invalid input', async () => {
    const res = await t.request('/api/v1/incidents', { method: 'POST', json: { name: 'x', status: 'broken', impact: 'huge', body: 'b', areaIds: [] } });
    expect(res.status).toBe(400);
    const paths = (await res.json()).details.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['status', 'impact']));
    const unknownArea = await t.request('/api/v1/incidents', { method: 'POST', json: { name: 'x', impact: 'minor', body: 'b', areaIds: ['00000000-0000-7000-8000-000000000001'] } });
    expect(unknownArea.status).toBe(400);
    expect((await unknownArea.json()).details.fields[0].path).toBe('areaIds.0');
    const maint = await t.request('/api/v1/maintenances', { method: 'POST', json: { name: 'm', body: 'b', areaIds: [fx.north.id], scheduledFor: '2030-01-02T00:00:00Z', scheduledUntil: '2030-01-01T00:00:00Z' } });
    expect((await maint.json()).details.fields[0].path).toBe('scheduledUntil');
  });

  it('lets agents read incidents but not declare them', async () => {
    await expect(createIncident({ ctx: t.agentCtx, input: { name: 'x', impact: 'minor', body: 'b', areaIds: [fx.north.id] } })).rejects.toMatchObject({ code: 'forbidden' });
    const agent = await t.sessionCookie('agent');
    expect((await t.request('/api/v1/incidents?state=all', { cookie: agent })).status).toBe(200);
  });
});
