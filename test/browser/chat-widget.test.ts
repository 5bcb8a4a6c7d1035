import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { testPlatform } from '../support/platform.ts';
import { newWorkspace, type TestWorkspace } from '../support/workspace.ts';
import { createChannel } from '../../src/domains/channels/index.ts';
import { userHashOf } from '../../src/channels/chat/index.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { openBrowser, screenshot, type Browser } from './browser.ts';

// The web chat widget on a business's own page (another origin): open, write, get the agent's reply live.

let app: Platform;
let t: TestWorkspace;
let server: RunningServer | undefined;
let site: Server | undefined;
let siteUrl: string;
let browser: Browser | undefined;
let page: Page;
const userId = 'cust-4711';
const question = 'My fibre box shows a red LOS light.';
const answer = 'Thanks! We see a cut in your street; a crew is on the way.';

const platform = testPlatform();

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (site ? site.close(() => r()) : r()));
  await server?.close();
});

beforeAll(async () => {
  app = await platform;
  t = await newWorkspace(app, 'Fibrelink');
  const ch = await createChannel({ ctx: t.adminCtx, input: { kind: 'chat', name: 'site', config: { title: 'Fibrelink support', greeting: 'Hi! How can we help?' }, secrets: { identitySecret: 'site-secret' } } });
  server = await startServer(app, { port: 0, host: '127.0.0.1', secureCookies: false });
  // The business's page, on its own origin, signs the signed-in customer's id as its server would.
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fibrelink — my account</title>
<style>* { font-size: 40px !important; color: red !important; } div, button { display: none !important; } body { margin: 0 }</style></head>
<body><h1>My account</h1>
<script src="${server.url}/widget.js" data-workspace="${t.ws.id}" data-channel="${ch.id}" data-user-id="${userId}"
  data-user-hash="${userHashOf('site-secret', userId)}" data-name="Jan de Vries" async></script></body></html>`;
  site = createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end(html); });
  await new Promise<void>((r) => site!.listen(0, '127.0.0.1', () => r()));
  siteUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}/`;
  browser = await openBrowser();
  page = browser.page;
});

const conversationOf = async () => (await app.database.query<{ id: string }>(
  "select m.conversation_id as id from messages m join customer_identities i on i.workspace_id = m.workspace_id and i.customer_id = m.customer_id where m.workspace_id = $1 and i.kind = 'portal' and i.value = $2 limit 1",
  [t.ws.id, `ext:${userId}`]))[0]?.id;

describe('web chat widget', () => {
  it('opens from the launcher, sends a message, and shows the agent reply live', async () => {
    await page.goto(siteUrl);
    const launcher = page.getByRole('button', { name: 'Open chat' });
    await launcher.click();
    const dialog = page.getByRole('dialog', { name: 'Fibrelink support' });
    await dialog.waitFor();
    await dialog.getByText('Hi! How can we help?').waitFor();
    const input = dialog.getByRole('textbox', { name: 'Message' });
    expect(await input.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await input.fill(question);
    await input.press('Enter');
    await dialog.getByRole('log').getByText(question).waitFor();

    let conversationId: string | undefined;
    for (let i = 0; i < 100 && !conversationId; i++) { conversationId = await conversationOf(); if (!conversationId) await new Promise((r) => setTimeout(r, 100)); }
    expect(conversationId).toBeTruthy();
    const r = await t.request(`/api/v1/conversations/${conversationId}/messages`, { method: 'POST', json: { bodyText: answer } });
    expect(r.status).toBe(201);
    const reply = await r.json();
    await dialog.getByRole('log').getByText(answer).waitFor();
    await screenshot(page, 'chat-widget-reply');

    // The panel was open and the page visible: the reply went from delivered to read.
    let status = '';
    for (let i = 0; i < 100 && status !== 'read'; i++) {
      status = (await app.database.query<{ s: string }>('select delivery_status as s from messages where workspace_id = $1 and id = $2', [t.ws.id, reply.id]))[0].s;
      if (status !== 'read') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('read');
  });

  it('closes on Escape and gives focus back to the launcher', async () => {
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    const launcher = page.getByRole('button', { name: 'Open chat' });
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await launcher.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
  });

  it('shows the history again after a reload', async () => {
    await page.reload();
    await page.getByRole('button', { name: 'Open chat' }).click();
    const log = page.getByRole('dialog').getByRole('log');
    await log.getByText(answer).waitFor();
    expect(await log.getByText(question).count()).toBe(1);
  });
});
