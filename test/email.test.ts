import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { testPlatform } from './support/platform.ts';
import { deliveryRunner } from './support/delivery.ts';
import { startRelay } from './support/smtp-relay.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { configureStorage } from '../src/platform/storage.ts';
import { createChannel } from '../src/domains/channels/index.ts';
import { getCustomer } from '../src/domains/customers/index.ts';
import { receiveMessages, postMessage, listMessages, getConversation, type MessageView } from '../src/domains/conversations/index.ts';
import { startServer } from '../src/server.ts';
import { startSmtpListener, ensureDemoEmailChannel, type SmtpListener } from '../src/channels/email/index.ts';
import { signHmacSha256 } from '../src/channels/shared/signatures.ts';

let app: Platform;
let a: TestWorkspace;
let b: TestWorkspace;
let listener: SmtpListener;
let relay: Awaited<ReturnType<typeof startRelay>>;
let dataDir: string;
const chA = { id: '', address: '', webhookPath: '' };
const chB = { id: '', address: '' };
const client = () => nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });
const uid = () => randomBytes(5).toString('hex');

/** Raw MIME from header lines and a body; bytes stay as given (for non-UTF-8 charsets). */
const mime = (headers: string[], body: Buffer | string) => Buffer.concat([Buffer.from(headers.join('\r\n') + '\r\n\r\n', 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1')]);
const sendRaw = (from: string, to: string | string[], raw: Buffer) => client().sendMail({ envelope: { from, to: Array.isArray(to) ? to : [to] }, raw });

async function messageByExternalId(t: TestWorkspace, externalId: string): Promise<MessageView | undefined> {
  const [row] = await app.database.query<{ conversation_id: string; id: string }>("select conversation_id, id from messages where workspace_id = $1 and channel = 'email' and external_id = $2", [t.ws.id, externalId]);
  if (!row) return undefined;
  return (await listMessages({ ctx: t.agentCtx, conversationId: row.conversation_id, input: { limit: 200 } })).data.find((m) => m.id === row.id);
}
const count = async (sql: string, params: unknown[]) => Number((await app.database.query<{ n: number }>(sql, params))[0].n);
const customersWithEmail = (t: TestWorkspace, email: string) => count("select count(*)::int as n from customer_identities where workspace_id = $1 and kind = 'email' and value = $2", [t.ws.id, email]);

beforeAll(async () => {
  app = await testPlatform();
  dataDir = mkdtempSync(join(tmpdir(), 'candor-email-'));
  configureStorage(app, { root: dataDir, maxFileBytes: 256 * 1024 });
  a = await newWorkspace(app, 'A');
  b = await newWorkspace(app, 'B');
  relay = await startRelay();
  chA.address = `support-${a.slug}@fibrelink.test`;
  chB.address = `help-${b.slug}@other.test`;
  const ca = await createChannel({ ctx: a.adminCtx, input: { kind: 'email', name: 'support', config: { address: chA.address, fromName: 'Fibrelink Support', smtpHost: '127.0.0.1', smtpPort: relay.port }, secrets: { signingKey: 'key-a' } } });
  Object.assign(chA, { id: ca.id, webhookPath: ca.webhookPath });
  chB.id = (await createChannel({ ctx: b.adminCtx, input: { kind: 'email', name: 'help', config: { address: chB.address } } })).id;
  listener = await startSmtpListener(app, { port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await listener?.close();
  await relay?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('SMTP listener', () => {
  it('takes a multipart/alternative mail with an attachment over a real SMTP conversation', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    const info = await client().sendMail({
      from: '"Ana Lima" <Ana.Lima@Example.test>', to: chA.address, subject: 'My router keeps dropping',
      text: 'Hello,\n\nthe router drops every evening.',
      html: '<p onclick="steal()">Hello,</p><p>the router <b>drops</b> every evening.</p><img src="cid:shot@ana"><script>alert(1)</script>',
      attachments: [
        { filename: 'invoice.pdf', content: pdf, contentType: 'application/octet-stream' },
        { filename: 'screen.png', content: png, contentType: 'image/png', cid: 'shot@ana' },
      ],
    });
    expect(info.accepted).toEqual([chA.address]);
    expect(info.response).toMatch(/^250 .*accepted/);
    const m = (await messageByExternalId(a, info.messageId))!;
    expect(m).toMatchObject({ direction: 'in', channel: 'email', channelId: chA.id, bodyText: 'Hello,\n\nthe router drops every evening.' });
    expect(m.bodyHtml).toContain('<b>drops</b>');
    expect(m.bodyHtml).not.toMatch(/script|onclick|alert|cid:/);
    expect(m.attachments).toHaveLength(2);
    const [file, image] = [m.attachments.find((x) => x.filename === 'invoice.pdf')!, m.attachments.find((x) => x.filename === 'screen.png')!];
    expect(file).toMatchObject({ contentType: 'application/pdf', size: pdf.length, url: `/api/v1/attachments/${file.id}` });
    expect(image).toMatchObject({ contentType: 'image/png', size: png.length });
    expect(m.bodyHtml).toContain(`<img src="/api/v1/attachments/${image.id}"`);
    const conv = await getConversation({ ctx: a.agentCtx, id: m.conversationId });
    expect(conv).toMatchObject({ subject: 'My router keeps dropping', channel: 'email', channelId: chA.id });
    const customer = await getCustomer({ ctx: a.agentCtx, id: m.customerId });
    expect(customer).toMatchObject({ name: 'Ana Lima', email: 'ana.lima@example.test' });

    // The attachment is served to this workspace only.
    const dl = await a.request(`/api/v1/attachments/${file.id}`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('application/pdf');
    expect(dl.headers.get('content-disposition')).toContain('attachment; filename="invoice.pdf"');
    expect(Buffer.from(await dl.arrayBuffer()).equals(pdf)).toBe(true);
    expect((await b.request(`/api/v1/attachments/${file.id}`)).status).toBe(404);
    expect((await a.http.request(`/api/v1/attachments/${file.id}`)).status).toBe(401);
    const [row] = await app.database.query<{ storage_key: string; sha256: string }>('select storage_key, sha256 from attachments where workspace_id = $1 and id = $2', [a.ws.id, file.id]);
    expect(row.storage_key).toBe(`attachments/${a.ws.id}/${row.sha256}`);
  });

  it('decodes ISO-8859-1, Windows-1252 and ISO-2022-JP mail', async () => {
    const cases = [
      { charset: 'ISO-8859-1', cte: 'quoted-printable', subject: '=?ISO-8859-1?Q?R=E9siliation_de_l=27abonnement?=', body: Buffer.from('Je voudrais r=E9silier. Caf=E9 cr=E8me =E0 volont=E9.\r\n', 'latin1'),
        wantSubject: "Résiliation de l'abonnement", wantText: 'Je voudrais résilier. Café crème à volonté.' },
      { charset: 'windows-1252', cte: '8bit', subject: '=?windows-1252?Q?Facture_=80?=', body: Buffer.from('Montant: 12 \x80 \x93trop\x94 cher\r\n', 'latin1'),
        wantSubject: 'Facture €', wantText: 'Montant: 12 € “trop” cher' },
      { charset: 'ISO-2022-JP', cte: '7bit', subject: '=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=', body: Buffer.from('\x1b$B$3$s$K$A$O\x1b(B\r\n', 'latin1'),
        wantSubject: 'こんにちは', wantText: 'こんにちは' },
    ];
    for (const c of cases) {
      const id = `<${uid()}@charset.test>`;
      const from = `charset-${uid()}@example.test`;
      await sendRaw(from, chA.address, mime([`From: ${from}`, `To: ${chA.address}`, `Subject: ${c.subject}`, `Message-ID: ${id}`, 'MIME-Version: 1.0',
        `Content-Type: text/plain; charset=${c.charset}`, `Content-Transfer-Encoding: ${c.cte}`], c.body));
      const m = (await messageByExternalId(a, id))!;
      expect(m.bodyText.trim()).toBe(c.wantText);
      expect((await getConversation({ ctx: a.agentCtx, id: m.conversationId })).subject).toBe(c.wantSubject);
    }
  });

  it('derives text from HTML-only mail and sanitises it before storage', async () => {
    const id = `<${uid()}@html.test>`;
    await sendRaw('html-only@example.test', chA.address, mime(['From: html-only@example.test', `To: ${chA.address}`, 'Subject: html', `Message-ID: ${id}`, 'Content-Type: text/html; charset=utf-8'],
      '<div><p onclick="x()" style="background:url(http://track.test/p)">Line one</p><a href="javascript:alert(1)">bad</a><a href="https://ok.test/">ok</a><iframe src="http://evil.test"></iframe><img src="http://pixel.test/p.gif" onerror="x()"><script>document.cookie</script></div>'));
    const m = (await messageByExternalId(a, id))!;
    expect(m.bodyText).toContain('Line one');
    expect(m.bodyText).not.toContain('document.cookie');
    expect(m.bodyHtml).not.toMatch(/onclick|onerror|style=|javascript:|iframe|script|document\.cookie/);
    expect(m.bodyHtml).toContain('<a href="https://ok.test/" target="_blank" rel="noopener noreferrer nofollow">ok</a>');
    expect(m.bodyHtml).not.toContain('pixel.test');
    expect(m.bodyHtml).toContain('[remote image not loaded]');
  });

  it('answers 550 to an unknown recipient and stores nothing', async () => {
    const err = await client().sendMail({ from: 'someone@example.test', to: `nobody-${uid()}@fibrelink.test`, subject: 'x', text: 'x' }).catch((e) => e);
    expect(err.responseCode).toBe(550);
    expect(err.response).toMatch(/no such mailbox/);
    expect(await customersWithEmail(a, 'someone@example.test')).toBe(0);
  });

  it('stores a mail delivered twice (same Message-ID) once', async () => {
    const id = `<${uid()}@dup.test>`;
    const raw = mime(['From: twice@example.test', `To: ${chA.address}`, 'Subject: twice', `Message-ID: ${id}`], 'once please');
    await sendRaw('twice@example.test', chA.address, raw);
    await sendRaw('twice@example.test', chA.address, raw);
    expect(await count("select count(*)::int as n from messages where workspace_id = $1 and external_id = $2", [a.ws.id, id])).toBe(1);
  });

  it('keeps unreadable mail in quarantine and still answers 250', async () => {
    const raw = Buffer.from(`this is not a mail message ${uid()}\r\n`);
    const info = await sendRaw('garbage@example.test', chA.address, raw);
    expect(info.response).toMatch(/^250 .*malformed/);
    const q = await (await a.request('/api/v1/quarantine')).json();
    expect(q.data.find((x: any) => x.payload.includes(raw.toString().trim()))).toMatchObject({ channelId: chA.id, kind: 'email', reason: 'not a MIME message: no headers' });
  });

  it('keeps a mail to workspace A in A, and a mail to A and B once in each', async () => {
    const from = `both-${uid()}@example.test`;
    const id = `<${uid()}@iso.test>`;
    await sendRaw(from, chA.address, mime([`From: ${from}`, `To: ${chA.address}`, 'Subject: only A', `Message-ID: ${id}`], 'for A'));
    expect(await messageByExternalId(a, id)).toBeDefined();
    expect(await messageByExternalId(b, id)).toBeUndefined();
    expect(await customersWithEmail(b, from)).toBe(0);
    const id2 = `<${uid()}@iso.test>`;
    const info = await sendRaw(from, [chA.address, chB.address], mime([`From: ${from}`, `To: ${chA.address}, ${chB.address}`, 'Subject: both', `Message-ID: ${id2}`], 'for both'));
    expect(info.accepted).toHaveLength(2);
    const [ma, mb] = [(await messageByExternalId(a, id2))!, (await messageByExternalId(b, id2))!];
    expect(ma.customerId).not.toBe(mb.customerId);
    expect(await customersWithEmail(b, from)).toBe(1);
    const convsB = await (await b.request('/api/v1/conversations?channel=email')).json();
    expect(convsB.data.map((c: any) => c.id)).toEqual([mb.conversationId]);
  });

  it('refuses a file over the size limit but keeps the message, saying so', async () => {
    const id = `<${uid()}@big.test>`;
    await client().sendMail({ from: 'big@example.test', to: chA.address, subject: 'big', text: 'see attached', messageId: id,
      attachments: [{ filename: 'huge.bin', content: randomBytes(300 * 1024) }, { filename: 'small.txt', content: 'ok' }] });
    const m = (await messageByExternalId(a, id))!;
    expect(m.attachments.map((x) => x.filename)).toEqual(['small.txt']);
    expect(m.bodyText).toMatch(/huge\.bin \(0\.3 MB\) was not kept: files over 0\.3 MB are refused/);
  });
});

describe('auto-replies, bounces and loops', () => {
  const robots: [string, string[], string, string?][] = [
    ['Auto-Submitted', ['Auto-Submitted: auto-replied'], 'Auto-Submitted: auto-replied'],
    ['Precedence: bulk', ['Precedence: bulk'], 'Precedence: bulk'],
    ['Precedence: list', ['Precedence: list'], 'Precedence: list'],
    ['X-Autoreply', ['X-Autoreply: yes'], 'x-autoreply: yes'],
    ['X-Autorespond', ['X-Autorespond: on vacation'], 'x-autorespond: on vacation'],
    ['a postmaster sender', [], 'sender postmaster@example.test', 'postmaster@example.test'],
  ];
  for (const [what, headers, reason, sender] of robots) {
    it(`drops mail marked ${what}: 250, no conversation, kept in quarantine`, async () => {
      const from = sender ?? `robot-${uid()}@example.test`;
      const id = `<${uid()}@robot.test>`;
      const info = await sendRaw(from, chA.address, mime([`From: ${from}`, `To: ${chA.address}`, 'Subject: Out of office', `Message-ID: ${id}`, ...headers], 'I am away'));
      expect(info.response).toMatch(/^250 .*dropped/);
      expect(await messageByExternalId(a, id)).toBeUndefined();
      expect(await customersWithEmail(a, from)).toBe(0);
      const [q] = await app.database.query<{ reason: string }>('select reason from inbound_quarantine where workspace_id = $1 and payload like $2', [a.ws.id, `%${id}%`]);
      expect(q.reason).toBe(`auto-reply: ${reason}`);
    });
  }

  it('drops a delivery status notification (multipart/report from MAILER-DAEMON, empty envelope sender)', async () => {
    const id = `<${uid()}@dsn.test>`;
    const boundary = 'dsn-boundary';
    const raw = mime(['From: Mail Delivery System <MAILER-DAEMON@mx.example.test>', `To: ${chA.address}`, 'Subject: Undelivered Mail Returned to Sender', `Message-ID: ${id}`,
      'MIME-Version: 1.0', `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`], [
      `--${boundary}`, 'Content-Type: text/plain', '', 'Your message could not be delivered.', '',
      `--${boundary}`, 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.example.test', '', 'Final-Recipient: rfc822; gone@example.test', 'Action: failed', 'Status: 5.1.1', '',
      `--${boundary}--`, ''].join('\r\n'));
    const info = await sendRaw('', chA.address, raw);
    expect(info.response).toMatch(/^250 .*dropped/);
    expect(await messageByExternalId(a, id)).toBeUndefined();
    expect(await customersWithEmail(a, 'mailer-daemon@mx.example.test')).toBe(0);
    const [q] = await app.database.query<{ reason: string }>('select reason from inbound_quarantine where workspace_id = $1 and payload like $2', [a.ws.id, `%${id}%`]);
    expect(q.reason).toBe('delivery report: names no message we sent');
  });

  it('takes mail marked Auto-Submitted: no like any other', async () => {
    const id = `<${uid()}@human.test>`;
    await sendRaw('human@example.test', chA.address, mime(['From: human@example.test', `To: ${chA.address}`, 'Subject: hi', `Message-ID: ${id}`, 'Auto-Submitted: no'], 'a person wrote this'));
    expect(await messageByExternalId(a, id)).toBeDefined();
  });
});

describe('threading', () => {
  /** A customer with two open conversations: the email one (older) and a chat one (newer, so the default target). */
  async function twoConversations(from: string) {
    const first = `<${uid()}@thread.test>`;
    await sendRaw(from, chA.address, mime([`From: ${from}`, `To: ${chA.address}`, 'Subject: Slow speeds', `Message-ID: ${first}`], 'speeds are slow'));
    const m1 = (await messageByExternalId(a, first))!;
    const [chat] = await receiveMessages({ ctx: a.system, input: [{ channel: 'chat', from: { kind: 'email', value: from }, bodyText: 'a new matter on chat', newConversation: true }] });
    expect(chat.conversation!.id).not.toBe(m1.conversationId);
    return { first, emailConv: m1.conversationId, chatConv: chat.conversation!.id };
  }

  it('threads a reply by In-Reply-To, and by References alone, into its conversation', async () => {
    const from = `threader-${uid()}@example.test`;
    const t = await twoConversations(from);
    const reply = `<${uid()}@thread.test>`;
    await sendRaw(from, chA.address, mime([`From: ${from}`, `To: ${chA.address}`, 'Subject: Re: Slow speeds', `Message-ID: ${reply}`, `In-Reply-To: ${t.first}`, `References: ${t.first}`], 'still slow'));
    expect((await messageByExternalId(a, reply))!.conversationId).toBe(t.emailConv);
    const fresh = `<${uid()}@thread.test>`;
    await receiveMessages({ ctx: a.system, input: [{ channel: 'chat', from: { kind: 'email', value: from }, bodyText: 'chat again', conversationId: t.chatConv }] });
    await sendRaw(from, chA.address, mime([`From: ${from}`, `To: ${chA.address}`, 'Subject: other', `Message-ID: ${fresh}`], 'no thread headers'));
    const freshConv = (await messageByExternalId(a, fresh))!.conversationId; // a new subject without reply headers is a new matter
    expect([t.chatConv, t.emailConv]).not.toContain(freshConv);
    const refsOnly = `<${uid()}@thread.test>`;
    await sendRaw(from, chA.address, mime([`From: ${from}`, `To: ${chA.address}`, 'Subject: Re: Slow speeds', `Message-ID: ${refsOnly}`, `References: <unknown@elsewhere.test> ${t.first}\r\n ${reply}`], 'and again'));
    expect((await messageByExternalId(a, refsOnly))!.conversationId).toBe(t.emailConv);
  });

  it('threads by the reply token in the address, for the same customer only', async () => {
    const from = `token-${uid()}@example.test`;
    const t = await twoConversations(from);
    const { number } = await getConversation({ ctx: a.agentCtx, id: t.emailConv });
    const tokenAddress = chA.address.replace('@', `+c-${number}@`);
    const id = `<${uid()}@token.test>`;
    const info = await sendRaw(from, tokenAddress, mime([`From: ${from}`, `To: ${tokenAddress}`, 'Subject: about that', `Message-ID: ${id}`], 'by token'));
    expect(info.accepted).toEqual([tokenAddress]);
    expect((await messageByExternalId(a, id))!.conversationId).toBe(t.emailConv);
    const stranger = `stranger-${uid()}@example.test`;
    const id2 = `<${uid()}@token.test>`;
    await sendRaw(stranger, tokenAddress, mime([`From: ${stranger}`, `To: ${tokenAddress}`, 'Subject: sneaky', `Message-ID: ${id2}`], 'let me in'));
    const m2 = (await messageByExternalId(a, id2))!;
    expect(m2.conversationId).not.toBe(t.emailConv);
    expect((await getConversation({ ctx: a.agentCtx, id: m2.conversationId })).customerId).toBe(m2.customerId);
  });
});

describe('MIME webhook', () => {
  const post = (body: Buffer | string, signature?: string) => a.http.request(`${chA.webhookPath}/mime`, {
    method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers: { 'content-type': 'message/rfc822', ...(signature ? { 'x-candor-signature': signature } : {}) },
  });

  it('accepts a signed raw message once, however often it is delivered', async () => {
    const id = `<${uid()}@hook.test>`;
    const raw = mime(['From: Hook Person <hook@example.test>', `To: ${chA.address}`, 'Subject: via provider', `Message-ID: ${id}`, 'Content-Type: text/plain; charset=utf-8'], 'from the provider');
    const r = await post(raw, signHmacSha256('key-a', raw));
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'accepted', duplicate: false });
    expect((await messageByExternalId(a, id))!.bodyText.trim()).toBe('from the provider');
    const again = await post(raw, signHmacSha256('key-a', raw));
    expect(await again.json()).toMatchObject({ status: 'accepted', duplicate: true });
    expect(await count('select count(*)::int as n from messages where workspace_id = $1 and external_id = $2', [a.ws.id, id])).toBe(1);
  });

  it('answers 401 to a bad or missing signature and stores nothing', async () => {
    const id = `<${uid()}@hook.test>`;
    const raw = mime(['From: intruder@example.test', `To: ${chA.address}`, 'Subject: trust me', `Message-ID: ${id}`], 'hi');
    expect((await post(raw, signHmacSha256('wrong-key', raw))).status).toBe(401);
    expect((await post(raw)).status).toBe(401);
    expect((await post(raw, signHmacSha256('key-a', raw.toString() + 'x'))).status).toBe(401);
    expect(await messageByExternalId(a, id)).toBeUndefined();
    expect(await customersWithEmail(a, 'intruder@example.test')).toBe(0);
    expect(await count('select count(*)::int as n from inbound_quarantine where workspace_id = $1 and payload like $2', [a.ws.id, `%${id}%`])).toBe(0);
  });

  it('answers 400 to a malformed message and keeps it in quarantine', async () => {
    const raw = `Subject: no sender ${uid()}\r\n\r\nwho sent this?`;
    const r = await post(raw, signHmacSha256('key-a', raw));
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('kept in quarantine') });
    const q = await (await a.request('/api/v1/quarantine')).json();
    expect(q.data.find((x: any) => x.payload === raw)).toMatchObject({ channelId: chA.id, reason: 'no usable sender address (From, Reply-To, Sender or Return-Path)' });
    expect((await b.request('/api/v1/quarantine')).status).toBe(200);
    expect((await (await b.request('/api/v1/quarantine')).json()).data.find((x: any) => x.payload === raw)).toBeUndefined();
  });
});

describe('outbound email', () => {
  it('sends the agent\'s reply through the relay, threaded, with quoted history, and threads the answer back', async () => {
    const from = `outbound-${uid()}@example.test`;
    const first = `<${uid()}@customer.test>`;
    await client().sendMail({ from: { name: 'Rui Costa', address: from }, to: chA.address, subject: 'No internet since Monday', text: 'Nothing works <since> Monday.', messageId: first,
      attachments: [{ filename: 'photo.png', content: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64') }] });
    const inbound = (await messageByExternalId(a, first))!;
    const conv = await getConversation({ ctx: a.agentCtx, id: inbound.conversationId });
    const out = await postMessage({ ctx: a.agentCtx, conversationId: conv.id, input: { bodyText: 'Sorry about that, Rui.\n\nWe reset your line: <b>try now</b>.', attachments: [inbound.attachments[0]] } });
    const runner = deliveryRunner(app);
    await runner.drain();

    const sent = (await listMessages({ ctx: a.agentCtx, conversationId: conv.id, input: {} })).data.find((m) => m.id === out.id)!;
    expect(sent).toMatchObject({ deliveryStatus: 'sent', channel: 'email', channelId: chA.id });
    const mail = relay.mails.find((m) => m.parsed.messageId === sent.externalId)!;
    expect(mail).toBeDefined();
    expect(mail.from).toBe(chA.address);
    expect(mail.to).toEqual([from]);
    const p = mail.parsed;
    expect(p.from!.value[0]).toMatchObject({ address: chA.address, name: 'Fibrelink Support' });
    expect((p.to as any).value[0]).toMatchObject({ address: from, name: 'Rui Costa' });
    expect((p.replyTo as any).value[0].address).toBe(chA.address.replace('@', `+c-${conv.number}@`));
    expect(p.subject).toBe(`Re: No internet since Monday [#${conv.number}]`);
    expect(p.messageId).toBe(`<${out.id}@fibrelink.test>`);
    expect(p.inReplyTo).toBe(first);
    expect([p.references].flat()).toEqual([first]);
    expect(p.text).toContain('Sorry about that, Rui.');
    expect(p.text).toMatch(/wrote:\n> Nothing works <since> Monday\./);
    expect(p.html).toContain('<p style="margin:0 0 1em 0">We reset your line: &lt;b&gt;try now&lt;/b&gt;.</p>');
    expect(p.html).toMatch(/<blockquote[^>]*>\s*<p[^>]*>Nothing works &lt;since&gt; Monday\.<\/p>\s*<\/blockquote>/);
    expect(p.html).toContain('Rui Costa &lt;' + from + '&gt; wrote:');
    expect(p.attachments.map((x) => [x.filename, x.contentType])).toEqual([['photo.png', 'image/png']]);

    // The customer answers the reply: it threads back by In-Reply-To, without a token.
    const answer = `<${uid()}@customer.test>`;
    await sendRaw(from, chA.address, mime([`From: ${from}`, `To: ${chA.address}`, `Subject: ${p.subject}`, `Message-ID: ${answer}`, `In-Reply-To: ${p.messageId}`, `References: ${first} ${p.messageId}`], 'Works now, thanks!'));
    expect((await messageByExternalId(a, answer))!.conversationId).toBe(conv.id);

    // A second reply names the whole thread.
    const out2 = await postMessage({ ctx: a.agentCtx, conversationId: conv.id, input: { bodyText: 'Glad to hear it.' } });
    await runner.drain();
    const p2 = relay.mails.find((m) => m.parsed.messageId === `<${out2.id}@fibrelink.test>`)!.parsed;
    expect(p2.inReplyTo).toBe(answer);
    expect(p2.references).toEqual([first, p.messageId, answer]);
    expect(p2.subject).toBe(`Re: No internet since Monday [#${conv.number}]`);
    const html2 = String(p2.html);
    expect(html2.indexOf('Works now, thanks!')).toBeLessThan(html2.indexOf('We reset your line'));
  });

  it('fails a reply visibly when the channel has no relay', async () => {
    const id = `<${uid()}@norelay.test>`;
    await sendRaw('norelay@example.test', chB.address, mime(['From: norelay@example.test', `To: ${chB.address}`, 'Subject: hello B', `Message-ID: ${id}`], 'hi B'));
    const m = (await messageByExternalId(b, id))!;
    const out = await postMessage({ ctx: b.agentCtx, conversationId: m.conversationId, input: { bodyText: 'answer' } });
    const runner = deliveryRunner(app);
    await runner.drain();
    const sent = (await listMessages({ ctx: b.agentCtx, conversationId: m.conversationId, input: {} })).data.find((x) => x.id === out.id)!;
    expect(sent).toMatchObject({ deliveryStatus: 'failed', deliveryError: expect.stringContaining('no SMTP relay') });
  });
});

describe('candor start', () => {
  it('opens the SMTP listener with the server when given a port, and close() stops it', async () => {
    const server = await startServer(app, { port: 0, host: '127.0.0.1', secureCookies: false, smtpPort: 0 }, { senders: new Map() });
    const port = server.smtpPort!;
    expect(port).toBeGreaterThan(0);
    const id = `<${uid()}@start.test>`;
    const info = await nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true }).sendMail({ envelope: { from: 'start@example.test', to: [chA.address] },
      raw: mime(['From: start@example.test', `To: ${chA.address}`, 'Subject: via start', `Message-ID: ${id}`], 'hello') });
    expect(info.accepted).toEqual([chA.address]);
    expect(await messageByExternalId(a, id)).toBeDefined();
    await server.close();
    const refused = await nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true, connectionTimeout: 2000 }).sendMail({ from: 'x@example.test', to: chA.address, text: 'x' }).catch((e) => e);
    expect(refused.code).toMatch(/ECONNECTION|ESOCKET/);
  });
});

describe('demo mailbox', () => {
  it('ensureDemoEmailChannel gives a workspace support@fibrelink.test once, and mail to it lands there', async () => {
    expect(await ensureDemoEmailChannel(app, `missing-${uid()}`)).toBeNull();
    const made = await ensureDemoEmailChannel(app, b.slug);
    expect(made).toMatchObject({ created: true });
    expect(await ensureDemoEmailChannel(app, b.slug)).toEqual({ created: false, channelId: made!.channelId });
    const id = `<${uid()}@demo.test>`;
    await sendRaw('fan@example.test', 'support@fibrelink.test', mime(['From: fan@example.test', 'To: support@fibrelink.test', 'Subject: demo', `Message-ID: ${id}`], 'hello demo'));
    expect((await messageByExternalId(b, id))!.channelId).toBe(made!.channelId);
    expect(await messageByExternalId(a, id)).toBeUndefined();
  });
});
