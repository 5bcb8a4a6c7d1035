import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { testPlatform } from '../support/platform.ts';
import { newWorkspace, type TestWorkspace } from '../support/workspace.ts';
import { statusFixture } from '../support/status.ts';
import { withTransaction } from '../../src/platform/ctx.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { countReasonMoves } from '../../src/domains/understanding/index.ts';
import { createIncident, createMaintenance, postIncidentUpdate, detectOutages, upsertStatement, upsertNetworkUpgrade } from '../../src/domains/status/index.ts';
import { buildWebIfStale, openBrowser, screenshot, signInStaff, type Browser } from './browser.ts';

// The public page at phone and desktop widths, no sign-in; a supervisor publishing a suspected
// outage in one click and resolving it.

let app: Platform;
let t: TestWorkspace;
let fx: Awaited<ReturnType<typeof statusFixture>>;
let server: RunningServer | undefined;
let browser: Browser | undefined;
let base: string;
let page: Page;
const H = 3_600_000;
const platform = testPlatform();

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeAll(async () => {
  buildWebIfStale();
  app = await platform;
  t = await newWorkspace(app, 'Fibrelink');
  fx = await statusFixture(t, 'b');
  const past = await createIncident({ ctx: t.supervisorCtx, input: { name: 'Fibre cut in North', impact: 'critical', body: 'No service in North.', areaIds: [fx.north.id], notify: false, startedAt: new Date(Date.now() - 50 * H).toISOString() } });
  await postIncidentUpdate({ ctx: t.supervisorCtx, id: past.id, input: { status: 'resolved', body: 'Spliced and back.', notify: false, at: new Date(Date.now() - 45 * H).toISOString() } });
  await createIncident({ ctx: t.supervisorCtx, input: { name: 'Slow evenings in South', impact: 'minor', body: 'Speeds drop between 20:00 and 23:00; we are adding capacity.', areaIds: [fx.south.id], notify: false } });
  await createMaintenance({ ctx: t.supervisorCtx, input: { name: 'Router software upgrade', body: 'Up to 15 minutes off between 01:00 and 04:00.', areaIds: [fx.north.id], notify: false,
    scheduledFor: new Date(Date.now() + 5 * 24 * H).toISOString(), scheduledUntil: new Date(Date.now() + 5 * 24 * H + 3 * H).toISOString() } });
  await upsertStatement({ ctx: t.adminCtx, input: { key: 'ai', title: 'How we use AI', bodyMd: 'A model **suggests** why you wrote; a person answers.' } });
  await upsertNetworkUpgrade({ ctx: t.supervisorCtx, input: { serviceAreaId: fx.north.id, title: 'XGS-PON to 8 Gbit/s', status: 'planned', plannedFor: '2027-04-01' } });
  const burst = Array.from({ length: 14 }, () => ({ startedAt: new Date(Date.now() - 3 * 60_000), serviceAreaId: fx.north.id, from: null, to: 'outage' }));
  await withTransaction(t.system, (tx) => countReasonMoves(tx, burst));
  expect(await detectOutages({ ctx: t.system })).toHaveLength(1);
  server = await startServer(app, { port: 0, host: '127.0.0.1', secureCookies: false, publicStatusSlug: t.slug });
  base = server.url.replace('localhost', '127.0.0.1');
  browser = await openBrowser();
  page = browser.page;
}, 90_000);

const signIn = (role: 'supervisor' | 'admin') => signInStaff(page, base, t.slug, role);

describe('the public status page', () => {
  for (const [width, height] of [[390, 844], [1280, 900]] as const) {
    it(`reads well at ${width} px without signing in`, async () => {
      await page.setViewportSize({ width, height });
      await page.context().clearCookies();
      await page.goto(`${base}/status`);
      expect(await page.getByTestId('overall-status').textContent()).toBe('Minor Service Outage');
      await page.getByRole('heading', { name: 'Slow evenings in South' }).waitFor();
      expect(await page.getByTestId('component').count()).toBe(2);
      const states = await page.getByTestId('component-status').allTextContents();
      expect(states.sort()).toEqual(['Degraded performance', 'Operational']);
      expect(await page.locator('.bars').first().locator('.bar').count()).toBe(90);
      // Nothing sticks out sideways: the page fits the phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      const bars = await page.locator('.bars').first().boundingBox();
      expect(bars!.width).toBeLessThanOrEqual(width);
      await page.getByTestId('past-incident').first().click();
      await page.getByText('Spliced and back.').waitFor();
      await page.getByText('XGS-PON to 8 Gbit/s').waitFor();
      expect(await page.getByTestId('statement').locator('strong').textContent()).toBe('suggests');
      await screenshot(page, `status-public-${width}`);
      await page.getByTestId('sla-table').scrollIntoViewIfNeeded();
      await screenshot(page, `status-public-${width}-record`);
    });
  }
});

describe('incidents in the agent app', () => {
  it('publishes a suspected outage in one click and resolves it', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn('supervisor');
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Status' }).click();
    await page.getByRole('heading', { name: 'Incidents and status', exact: true }).waitFor();
    const s = page.getByTestId('suspicion');
    await s.waitFor();
    expect(await s.textContent()).toContain(`${fx.north.name}: 14 connectivity contacts`);
    await screenshot(page, 'status-suspicion');
    await s.getByRole('button', { name: 'Publish incident' }).click();
    const row = page.getByTestId('incident-row').filter({ hasText: `Connection problems in ${fx.north.name}` });
    await row.waitFor();
    expect(await page.getByTestId('suspicion').count()).toBe(0);
    await row.getByRole('link').click();
    await page.getByTestId('incident-detail').waitFor();
    await page.getByTestId('update-status').selectOption('resolved');
    await page.getByTestId('update-body').fill('Fixed: a line card was replaced.');
    await page.getByRole('button', { name: 'Publish update' }).click();
    await page.getByText('Fixed: a line card was replaced.').waitFor();
    expect(await page.getByTestId('incident-detail').textContent()).toContain('resolved');
    await screenshot(page, 'status-incident');
    const json = await (await fetch(`${base}/api/v2/incidents.json`)).json();
    expect(json.incidents.find((i: { name: string }) => i.name.startsWith('Connection problems')).status).toBe('resolved');
  });
});

describe('admin: transparency statements and the outbox', () => {
  it('edits a statement in markdown and the public page shows it', async () => {
    await page.context().clearCookies();
    await signIn('admin');
    await page.goto(`${base}/admin`);
    const box = page.getByTestId('statements-admin');
    await box.getByRole('button', { name: 'Edit' }).click();
    await box.getByLabel('Text (markdown)').fill('A model **suggests** a reason; a *person* always answers.');
    await box.getByRole('button', { name: 'Save' }).click();
    await box.getByRole('button', { name: 'Edit' }).waitFor();
    await page.getByTestId('outbox').waitFor();
    await screenshot(page, 'status-admin');
    // The page is cacheable for 10 s (max-age): a reload revalidates it (If-None-Match) and gets the new snapshot.
    await page.goto(`${base}/status`);
    await page.reload();
    expect(await page.getByTestId('statement').locator('em').textContent()).toBe('person');
  });
});
