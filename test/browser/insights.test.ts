import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { testPlatform } from '../support/platform.ts';
import { newWorkspace, type TestWorkspace } from '../support/workspace.ts';
import { receiveMessage, postMessage } from '../../src/domains/conversations/index.ts';
import { upsertSlaPolicy } from '../../src/domains/insights/index.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { buildWebIfStale, openBrowser, screenshot, signInStaff, type Browser } from './browser.ts';

// A supervisor keeps the dashboards open; a customer writes; the "waiting" figure moves without a reload.

let app: Platform;
let t: TestWorkspace;
let server: RunningServer | undefined;
let browser: Browser | undefined;
let base: string;
let page: Page;
const platform = testPlatform();

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeAll(async () => {
  buildWebIfStale();
  app = await platform;
  t = await newWorkspace(app, 'Fibrelink');
  await upsertSlaPolicy({ ctx: t.adminCtx, input: { name: 'Standard', firstResponseSeconds: 4 * 3600, resolutionSeconds: 16 * 3600 } });
  server = await startServer(app, { port: 0, host: '127.0.0.1', secureCookies: false });
  base = server.url.replace('localhost', '127.0.0.1');
  // One conversation answered, one waiting.
  const a = await receiveMessage({ ctx: t.system, input: { channel: 'email', from: { kind: 'email', value: 'ann@example.test', name: 'Ann' }, subject: 'Invoice', bodyText: 'Why is my invoice higher?' } });
  await postMessage({ ctx: t.agentCtx, conversationId: a.conversation!.id, input: { bodyText: 'It includes the new router.' } });
  await receiveMessage({ ctx: t.system, input: { channel: 'chat', from: { kind: 'email', value: 'bob@example.test', name: 'Bob' }, subject: 'Slow', bodyText: 'My internet is slow.' } });
  browser = await openBrowser();
  page = browser.page;
}, 60_000);

const signIn = (role: 'agent' | 'supervisor') => signInStaff(page, base, t.slug, role);

describe('insights dashboards', () => {
  it('a new inbound message changes the "waiting" figure on an open dashboard over the socket', async () => {
    await signIn('supervisor');
    await page.getByRole('link', { name: 'Insights' }).click();
    await page.waitForURL(`${base}/agent/insights`);
    const waiting = page.getByTestId('now-waiting');
    await expect.poll(async () => (await waiting.textContent()) ?? '', { timeout: 10_000 }).toBe('1');
    expect(await page.getByTestId('now-open').textContent()).toBe('2');
    await expect.poll(() => page.locator('.live-dot.live-live').count(), { timeout: 10_000 }).toBe(1);
    const loads = await page.evaluate(() => performance.getEntriesByType('navigation').length);

    await receiveMessage({ ctx: t.system, input: { channel: 'sms', from: { kind: 'phone', value: '+31600000001' }, bodyText: 'No signal at all since noon' } });
    await expect.poll(async () => (await waiting.textContent()) ?? '', { timeout: 10_000 }).toBe('2');
    expect(await page.getByTestId('now-open').textContent()).toBe('3');
    // Same document: the figure moved without a reload.
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(loads);
    await screenshot(page, 'insights-dashboard');
  });

  it('shows figures by dimension with each definition one click away, and CSV links', async () => {
    const table = page.getByTestId('figures-table');
    await expect.poll(async () => (await table.locator('tbody tr').count()), { timeout: 10_000 }).toBe(3); // email, chat, sms
    const def = page.getByRole('group').filter({ has: page.getByLabel('Definition of SLA attainment') }).first();
    await page.getByLabel('Definition of SLA attainment').first().click();
    expect(await def.textContent()).toMatch(/share that breached none/);
    const href = await page.locator('a.csv-link').first().getAttribute('href');
    const csv = await page.evaluate(async (u) => (await fetch(u!)).text(), href);
    expect(csv.split('\n')[0]).toMatch(/^key,label/);
  });

  it('lets a supervisor switch the leaderboard off', async () => {
    const sw = page.getByTestId('leaderboard-switch');
    await expect.poll(() => sw.isChecked(), { timeout: 10_000 }).toBe(true);
    await sw.click();
    await expect.poll(() => page.getByTestId('leaderboard-off').count(), { timeout: 10_000 }).toBe(1);
    await screenshot(page, 'insights-scorecards');
  });

  it('shows the SLA countdown on the inbox list', async () => {
    await page.goto(`${base}/agent`);
    await expect.poll(() => page.getByTestId('sla-clock').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('sla-clock').first().textContent()).toMatch(/(First|Next) response (in|overdue)|Resolution (in|overdue)/);
    await screenshot(page, 'inbox-sla-countdown');
  });
});
