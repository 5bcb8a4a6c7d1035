import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { testPlatform } from '../support/platform.ts';
import { newWorkspace, type TestWorkspace } from '../support/workspace.ts';
import { createChannel } from '../../src/domains/channels/index.ts';
import { receiveMessage } from '../../src/domains/conversations/index.ts';
import { rememberContactEmail } from '../../src/domains/customers/index.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { buildWebIfStale, openBrowser, screenshot, type Browser } from './browser.ts';

// Under the Content-Security-Policy Candor sends: the web app, the widget's demo page and the API
// docs run with no violation; and an email only claimed in chat shows as unverified to the agent.

let app: Platform;
let t: TestWorkspace;
let server: RunningServer | undefined;
let browser: Browser | undefined;
let base: string;
let page: Page;
let chatId: string;
const violations: string[] = [];
const platform = testPlatform();

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeAll(async () => {
  buildWebIfStale();
  app = await platform;
  t = await newWorkspace(app, 'Fibrelink');
  chatId = (await createChannel({ ctx: t.adminCtx, input: { kind: 'chat', name: 'site', config: { title: 'Fibrelink support' } } })).id;
  server = await startServer(app, { port: 0, host: '127.0.0.1', secureCookies: false });
  base = server.url.replace('localhost', '127.0.0.1');
  browser = await openBrowser();
  page = browser.page;
  // Every violation the browser reports, from any page of this context, before its own scripts run.
  await browser.context.exposeFunction('reportCspViolation', (v: string) => { violations.push(v); });
  await browser.context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { reportCspViolation(v: string): void }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
});

describe('Content-Security-Policy in a real browser', () => {
  it('the web app signs in and shows the inbox and a conversation with no violation', async () => {
    const r = await receiveMessage({ ctx: t.system, input: { channel: 'chat', channelId: chatId, from: { kind: 'portal', value: `anon:${'a'.repeat(64)}`, name: 'Anna Visitor' }, subject: 'Is my area on fibre?', bodyText: 'Is my street on fibre yet?' } });
    await rememberContactEmail(t.system, r.message.customerId, 'jan@example.test');
    const response = await page.goto(`${base}/login`);
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByLabel('Email').fill(`agent@${t.slug}.test`);
    await page.getByLabel('Password').fill('pw-agent');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/agent`);
    await page.getByTestId('conversation-row').filter({ hasText: 'Is my area on fibre?' }).click();
    await page.getByTestId('message-in').filter({ hasText: 'Is my street on fibre yet?' }).waitFor();
    // The claimed address is marked as such beside the customer.
    const panel = page.getByRole('complementary');
    await panel.getByText('jan@example.test').waitFor();
    const badges = panel.locator('.badge-unverified');
    expect(await badges.count()).toBe(2);
    expect(await badges.first().getAttribute('title')).toMatch(/chat widget/);
    await screenshot(page, 'claimed-email-unverified');
    expect(violations).toEqual([]);
  });

  it('the widget demo page loads the widget, styled (a constructed sheet, no inline style), with no violation', async () => {
    await page.goto(`${base}/widget-demo?workspace=${t.ws.id}&channel=${chatId}`);
    const launcher = page.locator('candor-chat').locator('button.launcher');
    await launcher.waitFor();
    expect(await launcher.evaluate((el) => getComputedStyle(el).borderRadius)).toBe('50%');
    await launcher.click();
    await page.locator('candor-chat').getByRole('dialog').waitFor();
    expect(violations).toEqual([]);
  });

  it('the API docs render under their policy with no violation', async () => {
    await page.goto(`${base}/api/v1/docs`);
    await page.getByText('Candor API').first().waitFor();
    await page.locator('.opblock').first().waitFor();
    expect(violations).toEqual([]);
  });

  it('is a policy that bites: an inline script injected into the app is refused and reported', async () => {
    await page.goto(`${base}/login`);
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true';
      document.body.append(s);
    });
    await page.waitForFunction(() => true);
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(violations.join('\n')).toMatch(/script-src/);
    violations.length = 0;
  });
});
