import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { and, desc, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { testPlatform } from '../support/platform.ts';
import { newWorkspace, type TestWorkspace } from '../support/workspace.ts';
import { portalFixture } from '../support/portal.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { outboxMessages, subscriptions } from '../../src/db/schema/index.ts';
import { createCustomerSession } from '../../src/domains/portal/index.ts';
import { buildWebIfStale, openBrowser, screenshot, screenshotDir, type Browser } from './browser.ts';

// The customer portal's key journeys in chromium: sign in by code, diagnosis ending in each of
// its three outcomes, a plan change with its preview, cancellation. Screenshots for docs/.

let app: Platform;
let t: TestWorkspace;
let fx: Awaited<ReturnType<typeof portalFixture>>;
let server: RunningServer | undefined;
let browser: Browser | undefined;
let base: string;
let page: Page;
// Screenshots go to test-results/ (docs/screenshots come from the demo: scripts/portal-screenshots.mjs).
const shots = screenshotDir;
const platform = testPlatform();

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeAll(async () => {
  buildWebIfStale();
  app = await platform;
  t = await newWorkspace(app, 'Fibrelink');
  fx = await portalFixture(t, 'b');
  server = await startServer(app, { port: 0, host: '127.0.0.1', secureCookies: false });
  base = server.url.replace('localhost', '127.0.0.1');
  browser = await openBrowser();
  page = browser.page;
  mkdirSync(shots, { recursive: true });
});

/** Signs in as a customer by putting a fresh portal session in the browser (the code journey is tested once, below). */
async function signInAs(key: string) {
  const s = await createCustomerSession(app, t.ws.id, fx.people[key].id);
  await browser!.context.clearCookies();
  await browser!.context.addCookies([{ name: 'candor_portal', value: s.token, url: base, httpOnly: true, sameSite: 'Lax' }]);
}

describe('customer portal', () => {
  it('signs in with a one-time code from the outbox and shows home on one screen', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/portal?w=${t.slug}`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email or mobile number').fill(fx.people.bram.email);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
    const [m] = await app.db.select().from(outboxMessages).where(and(eq(outboxMessages.workspaceId, t.ws.id), eq(outboxMessages.to, fx.people.bram.email))).orderBy(desc(outboxMessages.id)).limit(1);
    const code = /code is (\d{6})/.exec(m.bodyText)![1];
    await page.getByLabel('6-digit code').fill(code);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('home-plan').waitFor();
    await page.getByTestId('home-service').getByText('Outage').waitFor();
    await page.getByTestId('home-service').getByText(/Fibre cut in North/).first().waitFor();
    await page.getByTestId('home-usage').waitFor();
    await page.getByTestId('home-bill').waitFor();
    expect(await page.getByTestId('portal-customer').textContent()).toContain('bram');
  });

  it('home at a phone\'s width (screenshot)', async () => {
    await signInAs('anna');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/portal`);
    await page.getByTestId('home-bill').getByText(/Last bill/).waitFor();
    await page.getByTestId('home-usage').getByText(/GB/).first().waitFor();
    await page.screenshot({ path: join(shots, 'portal-home-mobile.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/portal`);
    await page.getByTestId('home-bill').getByText(/Last bill/).waitFor();
    await page.getByTestId('home-usage').getByText(/GB/).first().waitFor();
    await page.screenshot({ path: join(shots, 'portal-home.png'), fullPage: true });
  });

  it('explains the bill: why it differs from last month, line by line', async () => {
    await page.goto(`${base}/portal/billing`);
    const why = page.getByTestId('bill-why').first();
    await why.waitFor();
    const text = await why.textContent();
    expect(text).toMatch(/changed plan during the month/);
    expect(text).toMatch(/credit/);
    expect(text).toMatch(/fee/);
    await page.getByText(/charged to the day/).first().waitFor();
    await page.screenshot({ path: join(shots, 'portal-bill.png'), fullPage: true });
  });

  it('diagnosis ending resolved (Wi-Fi congestion: the steps fix it)', async () => {
    await page.goto(`${base}/portal/diagnosis`);
    await page.getByRole('button', { name: 'It is slow' }).click();
    await page.getByTestId('diagnosis-verdict').getByText('Your Wi-Fi is congested').waitFor();
    await page.getByText(/5 GHz network/).waitFor();
    await page.getByRole('button', { name: 'It works now' }).click();
    await page.getByTestId('diagnosis-ended').getByRole('heading', { name: 'Glad it works' }).waitFor();
  });

  it('diagnosis ending subscribed to the known incident (fibre cut in the area)', async () => {
    await signInAs('bram');
    await page.goto(`${base}/portal/diagnosis`);
    await page.getByRole('button', { name: 'My internet is down' }).click();
    await page.getByTestId('diagnosis-verdict').getByText(/Known outage: Fibre cut in North/).waitFor();
    await page.getByTestId('diagnosis-checks').getByText(/receives no light/).waitFor();
    await page.screenshot({ path: join(shots, 'portal-diagnosis.png'), fullPage: true });
    await page.getByRole('button', { name: 'Tell me when it is fixed' }).click();
    await page.getByTestId('diagnosis-ended').getByRole('heading', { name: 'You will hear from us' }).waitFor();
    await page.goto(`${base}/portal/service`);
    await page.getByText('Following').waitFor();
  });

  it('diagnosis ending in a request that holds the whole diagnosis', async () => {
    await signInAs('cees');
    await page.goto(`${base}/portal/diagnosis`);
    await page.getByRole('button', { name: 'It keeps dropping' }).click();
    await page.getByTestId('diagnosis-verdict').getByText('Weak fibre signal').waitFor();
    await page.getByLabel(/Anything to add/).fill('The cable runs behind the cupboard.');
    await page.getByRole('button', { name: 'Still not working: contact us' }).click();
    await page.getByTestId('diagnosis-ended').getByRole('heading', { name: 'Request sent' }).waitFor();
    await page.getByRole('link', { name: /Open request #/ }).click();
    await page.getByText(/optical power/).waitFor();
    await page.getByText(/behind the cupboard/).waitFor();
    await screenshot(page, 'portal-request');
  });

  it('changes plan after seeing the price to the day', async () => {
    await signInAs('dirk');
    await page.goto(`${base}/portal/plan`);
    await page.getByTestId('plan-F1000-b').getByRole('button', { name: /Upgrade/ }).click();
    const quote = page.getByTestId('plan-quote');
    await quote.waitFor();
    expect(await quote.textContent()).toMatch(/€65\.00/);
    expect(await quote.textContent()).toMatch(/remaining \d+ of \d+ days/);
    await screenshot(page, 'portal-plan-quote');
    await quote.getByRole('button', { name: 'Confirm the change' }).click();
    await page.getByTestId('plan-changed').waitFor();
    await page.getByTestId('plan-F1000-b').getByText('Your plan').waitFor();
    const [sub] = await app.db.select().from(subscriptions).where(and(eq(subscriptions.workspaceId, t.ws.id), eq(subscriptions.id, fx.people.dirk.subscriptionId)));
    expect(sub.planId).toBe(fx.plans.f1000.id);
  });

  it('cancels in two clicks, with one honest offer on the way', async () => {
    await signInAs('anna');
    await page.goto(`${base}/portal/plan`);
    await page.getByRole('link', { name: 'Cancel my subscription' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByTestId('cancel-quote').getByText(/Basic 50 is €35\.00 a month/).waitFor();
    await page.getByRole('button', { name: 'Cancel my subscription' }).click();
    await page.getByTestId('cancelled').waitFor();
    const [sub] = await app.db.select().from(subscriptions).where(and(eq(subscriptions.workspaceId, t.ws.id), eq(subscriptions.id, fx.people.anna.subscriptionId)));
    expect(sub.status).toBe('cancelled');
  });
});
