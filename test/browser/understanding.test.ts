import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { testPlatform } from '../support/platform.ts';
import { newWorkspace, type TestWorkspace } from '../support/workspace.ts';
import { taxonomy } from '../support/reasons.ts';
import { receiveMessage } from '../../src/domains/conversations/index.ts';
import { retrainReasonModel, seedReasonTaxonomy } from '../../src/domains/understanding/index.ts';
import { withTransaction } from '../../src/platform/ctx.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { buildWebIfStale, openBrowser, screenshot, signInStaff, type Browser } from './browser.ts';

// An agent sees why the customer writes, with the words that decided it, and corrects it in one click;
// an admin sees the model's versions and their figures.

let app: Platform;
let t: TestWorkspace;
let server: RunningServer | undefined;
let browser: Browser | undefined;
let base: string;
let page: Page;
let conversationId: string;
const platform = testPlatform();

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeAll(async () => {
  buildWebIfStale();
  app = await platform;
  t = await newWorkspace(app, 'Fibrelink');
  await withTransaction(t.system, (tx) => seedReasonTaxonomy(tx, taxonomy));
  await retrainReasonModel({ ctx: t.system });
  server = await startServer(app, { port: 0, host: '127.0.0.1', secureCookies: false });
  base = server.url.replace('localhost', '127.0.0.1');
  const r = await receiveMessage({ ctx: t.system, input: {
    channel: 'email', from: { kind: 'email', value: 'jan@example.test', name: 'Jan de Vries' }, subject: 'No internet',
    bodyText: 'Our internet is completely down since this morning, no connection at all and the light on the box is red. Not happy at all.' } });
  conversationId = r.conversation!.id;
  browser = await openBrowser();
  page = browser.page;
}, 60_000);

const signIn = (role: 'agent' | 'admin') => signInStaff(page, base, t.slug, role);

describe('contact reasons in the agent app', () => {
  it('shows the reason the labeller found, its confidence and evidence, and the message mood and language', async () => {
    await signIn('agent');
    await page.goto(`${base}/agent/${conversationId}`);
    const name = page.getByTestId('reason-name');
    await expect.poll(async () => (await name.textContent()) ?? '', { timeout: 10_000 }).toBe('Outage');
    const bar = page.getByTestId('reason-bar');
    expect(await bar.textContent()).toMatch(/\d+% sure/);
    expect(await bar.locator('.reason-evidence mark').count()).toBeGreaterThan(0);
    const labels = page.getByTestId('message-labels').first();
    expect(await labels.getAttribute('class')).toBe('message-labels');
    expect(await labels.locator('.sentiment-negative').count()).toBe(1);
    expect(await labels.locator('.lang').textContent()).toBe('en');
    await screenshot(page, 'reason-bar');
  });

  it('corrects the reason in one click; it is the agent\'s from then on', async () => {
    await page.getByTestId('reason-correct').selectOption('billing_query');
    await expect.poll(async () => (await page.getByTestId('reason-name').textContent()) ?? '').toBe('Billing query');
    expect(await page.getByTestId('reason-bar').textContent()).toContain('confirmed by an agent');
    await page.reload();
    await expect.poll(async () => (await page.getByTestId('reason-name').textContent()) ?? '').toBe('Billing query');
  });

  it('shows admins every model version with its held-back figures', async () => {
    await page.context().clearCookies();
    await signIn('admin');
    await page.goto(`${base}/admin`);
    const table = page.getByTestId('models-table');
    await table.waitFor();
    const row = table.locator('tbody tr').first();
    expect(await row.textContent()).toMatch(/v\d+\s*live\s*\d+%/);
    await page.getByTestId('reasons-admin').scrollIntoViewIfNeeded();
    await screenshot(page, 'reasons-admin');
  });
});
