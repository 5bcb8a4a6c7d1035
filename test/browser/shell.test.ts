import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { testPlatform } from '../support/platform.ts';
import { newWorkspace, type TestWorkspace } from '../support/workspace.ts';
import { receiveMessage } from '../../src/domains/conversations/index.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { buildWebIfStale, openBrowser, screenshot, type Browser } from './browser.ts';

// The web shell's key journeys against the real server: sign-in, the inbox, a reply, admin.

let app: Platform;
let t: TestWorkspace;
let server: RunningServer | undefined;
let browser: Browser | undefined;
let base: string;
let page: Page;
let conversationNumber: number;
const customerText = 'My fibre box shows a red LOS light and nothing works since this morning.';

// Asked for while the file is collected, so the platform's own afterAll is registered before ours
// below, and ours (after-hooks run in reverse) stops the browser and the server before the database closes.
const platform = testPlatform();

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeAll(async () => {
  buildWebIfStale();
  app = await platform;
  t = await newWorkspace(app, 'Fibrelink');
  const received = await receiveMessage({
    ctx: t.system,
    input: { channel: 'email', from: { kind: 'email', value: 'jan@example.test', name: 'Jan de Vries' }, subject: 'No internet since this morning', bodyText: customerText },
  });
  conversationNumber = received.conversation!.number;
  server = await startServer(app, { port: 0, host: '127.0.0.1', secureCookies: false });
  base = server.url.replace('localhost', '127.0.0.1');
  browser = await openBrowser();
  page = browser.page;
});

async function signIn(email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('web shell', () => {
  it('sends a visitor who is not signed in to the sign-in page', async () => {
    await page.goto(`${base}/`);
    await page.waitForURL(`${base}/login`);
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
  });

  it('deep links also go to sign-in', async () => {
    await page.goto(`${base}/admin`);
    await page.waitForURL(`${base}/login`);
  });

  it('says so when the password is wrong', async () => {
    await signIn(`agent@${t.slug}.test`, 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Email or password is incorrect');
    expect(new URL(page.url()).pathname).toBe('/login');
    await screenshot(page, 'login-error');
  });

  it('signs in and shows the shell: workspace, agent, the four areas', async () => {
    await signIn(`agent@${t.slug}.test`, 'pw-agent');
    await page.waitForURL(`${base}/agent`);
    await page.getByTestId('workspace-name').waitFor();
    expect(await page.getByTestId('workspace-name').textContent()).toBe(t.ws.name);
    expect(await page.getByTestId('signed-in-agent').textContent()).toContain(`agent ${t.slug}`);
    const nav = page.getByRole('navigation', { name: 'Areas' });
    for (const label of ['Agent', 'Portal', 'Status', 'Admin']) await nav.getByRole('link', { name: label }).waitFor();
    expect(await nav.getByRole('link', { name: 'Agent' }).getAttribute('aria-current')).toBe('page');
  });

  it('lists the open conversation in the inbox', async () => {
    const row = page.getByTestId('conversation-row').filter({ hasText: 'No internet since this morning' });
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain(`#${conversationNumber}`);
    expect(text).toContain('Email');
    expect(text).toContain('Open');
    await row.getByText('Jan de Vries').waitFor(); // the customer's name, fetched beside the list
  });

  it("opens the conversation with the customer's message, and a reply appears", async () => {
    await page.getByTestId('conversation-row').filter({ hasText: 'No internet since this morning' }).click();
    await page.waitForURL(/\/agent\/[0-9a-f-]{36}$/);
    await page.getByTestId('message-in').filter({ hasText: customerText }).waitFor();
    await page.getByRole('heading', { name: 'Jan de Vries' }).waitFor(); // the customer panel

    const reply = 'Sorry to hear that, Jan. I have reset your line from our side; please restart the box.';
    await page.getByLabel('Reply to Jan de Vries').fill(reply);
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByTestId('message-out').filter({ hasText: reply }).waitFor();
    expect(await page.getByLabel('Reply to Jan de Vries').inputValue()).toBe('');

    await page.locator('label.reply-mode', { hasText: 'Note' }).click();
    expect(await page.getByRole('radio', { name: 'Note' }).isChecked()).toBe(true);
    await page.getByLabel(/Internal note/).fill('Checked the OLT: port was flapping.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByTestId('message-note').filter({ hasText: 'port was flapping' }).waitFor();
    await screenshot(page, 'conversation');
  });

  it('changes the status with the dropdown', async () => {
    const select = page.getByTestId('status-select');
    await select.selectOption('pending');
    await page.waitForFunction(() => (document.querySelector('[data-testid="status-select"]') as HTMLSelectElement | null)?.disabled === false);
    expect(await select.inputValue()).toBe('pending');
    const conv = await (await t.request('/api/v1/conversations?status=pending')).json();
    expect(conv.data.map((c: { number: number }) => c.number)).toContain(conversationNumber);
    await select.selectOption('open');
    await page.getByTestId('conversation-row').filter({ hasText: 'No internet since this morning' }).waitFor();
  });

  it('shows a new inbound message without a reload (realtime)', async () => {
    await receiveMessage({
      ctx: t.system,
      input: { channel: 'whatsapp', from: { kind: 'whatsapp', value: '+31612345678', name: 'Priya Sharma' }, subject: 'Router keeps rebooting', bodyText: 'It restarts every ten minutes.' },
    });
    await page.getByTestId('conversation-row').filter({ hasText: 'Router keeps rebooting' }).waitFor();
    await screenshot(page, 'inbox');
  });

  it('shows the admin area with the agents, and keeps admin-only parts closed', async () => {
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Admin' }).click();
    await page.waitForURL(`${base}/admin`);
    const agents = page.getByTestId('agents-table');
    await agents.waitFor();
    for (const role of ['admin', 'supervisor', 'agent']) await agents.getByText(`${role}@${t.slug}.test`).waitFor();
    await page.getByText('UTC').first().waitFor();
    await page.getByText('Only workspace admins can see API keys.').waitFor();
    await screenshot(page, 'admin');
  });

  it('shows the incidents screen, and links to the customer portal (its own sign-in, outside the shell)', async () => {
    const nav = page.getByRole('navigation', { name: 'Areas' });
    await nav.getByRole('link', { name: 'Status' }).click();
    await page.getByRole('heading', { name: 'Incidents and status', exact: true }).waitFor();
    await nav.getByRole('link', { name: 'Portal' }).click();
    await page.getByLabel('Email or mobile number').waitFor();
    expect(await page.getByRole('navigation', { name: 'Areas' }).count()).toBe(0);
    await page.goBack();
    await page.getByRole('heading', { name: 'Incidents and status', exact: true }).waitFor();
  });

  it('signs out back to the sign-in page, and stays out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/login`);
    await page.goto(`${base}/agent`);
    await page.waitForURL(`${base}/login`);
  });
});
