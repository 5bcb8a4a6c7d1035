import { describe, it, expect, beforeAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import { statusFixture } from './support/status.ts';
import type { Platform } from '../src/platform/platform.ts';
import { outageSuspicions } from '../src/db/schema/index.ts';
import { newId } from '../src/platform/ids.ts';
import { listSuspicions } from '../src/domains/status/index.ts';

// A suspected outage belongs to its workspace: another workspace can neither publish nor dismiss
// it, and a malformed id is a 404, never a 500.

let app: Platform;
let a: TestWorkspace;
let b: TestWorkspace;
let suspicion: string;

beforeAll(async () => {
  app = await testPlatform();
  a = await newWorkspace(app, 'SusA');
  b = await newWorkspace(app, 'SusB');
  await statusFixture(a, 'sa');
  const fb = await statusFixture(b, 'sb');
  // B's detector raised this one (its evidence as detectOutages writes it).
  suspicion = newId();
  const now = new Date();
  await b.system.db.insert(outageSuspicions).values({
    workspaceId: b.ws.id, id: suspicion, serviceAreaId: fb.north.id, status: 'open', detectedAt: now,
    evidence: { windowStart: new Date(now.getTime() - 3_600_000).toISOString(), windowEnd: now.toISOString(), observed: 14, baselineMedian: 1, baselineMad: 1, threshold: 6, samples: [1, 0, 2, 1], reasons: ['outage'], messages: [] },
  });
});

describe('tenant isolation of suspected outages', () => {
  it('answers 404 to another workspace publishing or dismissing one, and leaves it open', async () => {
    const supervisor = { cookie: await a.sessionCookie('supervisor') };
    expect((await a.request(`/api/v1/outage-suspicions/${suspicion}/publish`, { method: 'POST', ...supervisor })).status).toBe(404);
    expect((await a.request(`/api/v1/outage-suspicions/${suspicion}/dismiss`, { method: 'POST', ...supervisor })).status).toBe(404);
    expect((await (await a.request('/api/v1/outage-suspicions', supervisor)).json()).data).not.toContainEqual(expect.objectContaining({ id: suspicion }));
    const mine = await listSuspicions({ ctx: b.supervisorCtx });
    expect(mine.find((s) => s.id === suspicion)).toMatchObject({ status: 'open' });
  });

  it('answers 404, not 500, to a malformed id', async () => {
    const res = await b.request('/api/v1/outage-suspicions/not-an-id/dismiss', { method: 'POST', cookie: await b.sessionCookie('supervisor') });
    expect(res.status).toBe(404);
    expect((await res.json()).code).toBe('not_found');
    expect((await b.request('/api/v1/incidents/not-an-id', { cookie: await b.sessionCookie('supervisor') })).status).toBe(404);
  });
});
