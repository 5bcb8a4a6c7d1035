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
import { createAgent } from '../src/domains/workspaces/index.ts';
import { getCustomer } from '../src/domains/customers/index.ts';
import { postMessage, listMessages, getConversation, type MessageView } from '../src/domains/conversations/index.ts';
import { startSmtpListener, type SmtpListener } from '../src/channels/email/index.ts';
import { normaliseSubject } from '../src/channels/email/subject.ts';

/*
 * Real client layouts, over the real SMTP listener: Outlook's References without In-Reply-To,
 * Gmail's and Apple Mail's forwarded blocks, Thunderbird's reply-all, web-form relays, RFC 3464
 * delivery reports as Postfix writes them, RFC 2369/2919 list headers, and undeclared charsets.
 */
let app: Platform;
let a: TestWorkspace;
let listener: SmtpListener;
let relay: Awaited<ReturnType<typeof startRelay>>;
let dataDir: string;
const ch = { id: '', address: '', domain: '' };
const uid = () => randomBytes(5).toString('hex');
const client = () => nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });
const mime = (headers: string[], body: Buffer | string) => Buffer.concat([Buffer.from(headers.join('\r\n') + '\r\n\r\n', 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1')]);
const sendRaw = (from: string, to: string | string[], raw: Buffer) => client().sendMail({ envelope: { from, to: Array.isArray(to) ? to : [to] }, raw });

async function byExternalId(externalId: string): Promise<MessageView | undefined> {
  const [row] = await app.database.query<{ conversation_id: string; id: string }>("select conversation_id, id from messages where workspace_id = $1 and channel = 'email' and external_id = $2", [a.ws.id, externalId]);
  if (!row) return undefined;
  return (await listMessages({ ctx: a.agentCtx, conversationId: row.conversation_id, input: { limit: 200 } })).data.find((m) => m.id === row.id);
}
const quarantineReason = async (needle: string) =>
  (await app.database.query<{ reason: string }>('select reason from inbound_quarantine where workspace_id = $1 and payload like $2', [a.ws.id, `%${needle}%`]))[0]?.reason;
const countMessages = async (externalId: string) => Number((await app.database.query<{ n: number }>('select count(*)::int as n from messages where workspace_id = $1 and external_id = $2', [a.ws.id, externalId]))[0].n);

/** A customer's first mail: its Message-ID, message and conversation. */
async function firstMail(from: string, subject: string, extra: string[] = []) {
  const id = `<${uid()}@mail.example.test>`;
  await sendRaw(from, ch.address, mime([`From: ${from}`, `To: ${ch.address}`, `Subject: ${subject}`, `Message-ID: ${id}`, 'Date: Thu, 03 Dec 2026 09:00:00 +0000', ...extra], 'Hello, my line is down.'));
  const m = (await byExternalId(id))!;
  expect(m).toBeDefined();
  return { id, m, conv: await getConversation({ ctx: a.agentCtx, id: m.conversationId }) };
}

/** An agent's reply, delivered through the test relay: the mail as the customer received it. */
async function agentReply(conversationId: string, text = 'We are on it.') {
  const out = await postMessage({ ctx: a.agentCtx, conversationId, input: { bodyText: text } });
  await deliveryRunner(app).drain();
  const sent = (await listMessages({ ctx: a.agentCtx, conversationId, input: { limit: 200 } })).data.find((x) => x.id === out.id)!;
  return { sent, mail: relay.mails.find((x) => x.parsed.messageId === sent.externalId)! };
}

beforeAll(async () => {
  app = await testPlatform();
  dataDir = mkdtempSync(join(tmpdir(), 'candor-email-h-'));
  configureStorage(app, { root: dataDir, maxFileBytes: 256 * 1024 });
  a = await newWorkspace(app, 'Hardening');
  relay = await startRelay();
  ch.domain = `${a.slug}.fibrelink.test`;
  ch.address = `support@${ch.domain}`;
  ch.id = (await createChannel({ ctx: a.adminCtx, input: { kind: 'email', name: 'support', config: {
    address: ch.address, fromName: 'Support', smtpHost: '127.0.0.1', smtpPort: relay.port, relaySenders: ['forms@wufoo.example.test', '@typeform.example.test'], subjectWindowHours: 48,
  } } })).id;
  await createAgent({ ctx: a.system, input: { email: `mia@${ch.domain}`, name: 'Mia Agent', role: 'agent', password: 'pw-mia-agent' } });
  listener = await startSmtpListener(app, { port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await listener?.close();
  await relay?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('subject normaliser', () => {
  it('strips every client prefix, repeated, counted and bracketed, and the [#n] token', () => {
    const cases: [string, string][] = [
      ['Re: Re: Fwd: Invoice 2026-11', 'Invoice 2026-11'], ['AW: WG: Rechnung', 'Rechnung'], ['SV: VS: Faktura', 'Faktura'], ['TR: RE: Facture', 'Facture'],
      ['Antw: Vraag over mijn abonnement', 'Vraag over mijn abonnement'], ['RIF: domanda', 'domanda'], ['Odp: pytanie', 'pytanie'], ['回复：账单问题', '账单问题'],
      ['Re[2]: slow line', 'slow line'], ['RE(3): slow line', 'slow line'], ['[EXTERNAL] RE: AW: Slow line [#123]', 'Slow line'], ['Re: [#42] hello', 'hello'],
      ['Fwd:   spaced   out', 'spaced out'], ['Research results', 'Research results'], ['[Support] router', '[Support] router'], ['', ''],
    ];
    for (const [input, want] of cases) expect(normaliseSubject(input), input).toBe(want);
  });
});

describe('email threading', () => {
  it('threads by any stored Message-ID in References (Outlook: no In-Reply-To, ours in the middle)', async () => {
    const from = `refs-${uid()}@example.test`;
    const t = await firstMail(from, 'Router keeps rebooting');
    const { mail } = await agentReply(t.conv.id);
    const reply = `<${uid()}@outlook.example.test>`;
    await sendRaw(from, ch.address, mime([`From: ${from}`, `To: ${ch.address}`, 'Subject: totally different subject', `Message-ID: ${reply}`,
      `References: <older@elsewhere.test>\r\n ${mail.parsed.messageId}\r\n <unknown@x.test>`, 'Thread-Topic: Router keeps rebooting'], 'still rebooting'));
    expect((await byExternalId(reply))!.conversationId).toBe(t.conv.id);
  });

  it("threads by Candor's own Message-ID even before the send was recorded", async () => {
    const from = `own-${uid()}@example.test`;
    const t = await firstMail(from, 'Billing question');
    const out = await postMessage({ ctx: a.agentCtx, conversationId: t.conv.id, input: { bodyText: 'not delivered yet' } }); // queued: no external id stored
    const reply = `<${uid()}@mail.example.test>`;
    await sendRaw(from, ch.address, mime([`From: ${from}`, `To: ${ch.address}`, 'Subject: x', `Message-ID: ${reply}`, `In-Reply-To: <${out.id}@${ch.domain}>`], 'answer'));
    expect((await byExternalId(reply))!.conversationId).toBe(t.conv.id);
  });

  it('threads by the [#n] subject token for a participant, never for a stranger', async () => {
    const from = `token-${uid()}@example.test`;
    const t = await firstMail(from, 'Cannot log in');
    const own = `<${uid()}@mail.example.test>`;
    await sendRaw(from, ch.address, mime([`From: ${from}`, `To: ${ch.address}`, `Subject: Re: Cannot log in [#${t.conv.number}]`, `Message-ID: ${own}`], 'by subject token'));
    expect((await byExternalId(own))!.conversationId).toBe(t.conv.id);
    const stranger = `stranger-${uid()}@example.test`;
    await firstMail(stranger, 'hello'); // a known sender, but not of that conversation
    const sneaky = `<${uid()}@mail.example.test>`;
    await sendRaw(stranger, ch.address, mime([`From: ${stranger}`, `To: ${ch.address}`, `Subject: Re: Cannot log in [#${t.conv.number}]`, `Message-ID: ${sneaky}`], 'let me in'));
    const m = (await byExternalId(sneaky))!;
    expect(m.conversationId).not.toBe(t.conv.id);
    expect((await getConversation({ ctx: a.agentCtx, id: t.conv.id })).customerId).toBe(t.m.customerId);
  });

  it('threads by the reply-address token in Cc (no envelope token), participants only', async () => {
    const from = `cc-token-${uid()}@example.test`;
    const t = await firstMail(from, 'Moving house');
    const token = ch.address.replace('@', `+c-${t.conv.number}@`);
    const id = `<${uid()}@mail.example.test>`;
    await sendRaw(from, ch.address, mime([`From: ${from}`, `To: someone@example.test`, `Cc: ${token}`, 'Subject: new address', `Message-ID: ${id}`], 'by Cc token'));
    expect((await byExternalId(id))!.conversationId).toBe(t.conv.id);
    const stranger = `cc-stranger-${uid()}@example.test`;
    const id2 = `<${uid()}@mail.example.test>`;
    await sendRaw(stranger, ch.address, mime([`From: ${stranger}`, `To: ${ch.address}`, `Delivered-To: ${token}`, 'Subject: new address', `Message-ID: ${id2}`], 'let me in'));
    expect((await byExternalId(id2))!.conversationId).not.toBe(t.conv.id);
  });

  it('a new subject without reply headers is a new conversation; the same subject within the window joins', async () => {
    const from = `subject-${uid()}@example.test`;
    const t = await firstMail(from, 'Invoice November');
    const other = `<${uid()}@mail.example.test>`;
    await sendRaw(from, ch.address, mime([`From: ${from}`, `To: ${ch.address}`, 'Subject: Speed problem', `Message-ID: ${other}`], 'a new matter'));
    const mo = (await byExternalId(other))!;
    expect(mo.conversationId).not.toBe(t.conv.id);
    expect((await getConversation({ ctx: a.agentCtx, id: mo.conversationId })).subject).toBe('Speed problem');
    const again = `<${uid()}@mail.example.test>`;
    await sendRaw(from, ch.address, mime([`From: ${from}`, `To: ${ch.address}`, 'Subject: AW: Re: invoice november', `Message-ID: ${again}`], 'forgot to attach'));
    expect((await byExternalId(again))!.conversationId).toBe(t.conv.id);
  });

  it("reply-all: the customer's colleague in Cc gets the agent's reply and joins; the customer stays", async () => {
    const from = `boss-${uid()}@acme.example.test`;
    const colleague = `it-${uid()}@acme.example.test`;
    const t = await firstMail(from, 'Office line down', [`Cc: Colleague <${colleague}>`]);
    expect(t.m.meta).toMatchObject({ from, to: [ch.address], cc: [colleague] });
    const { mail } = await agentReply(t.conv.id, 'Can you restart the router?');
    expect(mail.to.sort()).toEqual([colleague, from].sort());
    expect((mail.parsed.cc as any).value.map((x: any) => x.address)).toEqual([colleague]);
    const reply = `<${uid()}@acme.example.test>`;
    await sendRaw(colleague, ch.address, mime([`From: ${colleague}`, `To: ${ch.address}`, `Cc: ${from}`, `Subject: ${mail.parsed.subject}`, `Message-ID: ${reply}`,
      `In-Reply-To: ${mail.parsed.messageId}`, `References: ${t.id} ${mail.parsed.messageId}`], 'Restarted, no change.'));
    const m = (await byExternalId(reply))!;
    expect(m.conversationId).toBe(t.conv.id);
    expect(m.customerId).toBe(t.m.customerId);
    expect(m.authorId).not.toBe(t.m.customerId);
    expect((await getCustomer({ ctx: a.agentCtx, id: m.authorId! })).email).toBe(colleague);
    expect((await getConversation({ ctx: a.agentCtx, id: t.conv.id })).customerId).toBe(t.m.customerId);
    // Now a participant, the colleague may use the subject token too.
    const later = `<${uid()}@acme.example.test>`;
    await sendRaw(colleague, ch.address, mime([`From: ${colleague}`, `To: ${ch.address}`, `Subject: one more thing [#${t.conv.number}]`, `Message-ID: ${later}`], 'PS'));
    expect((await byExternalId(later))!.conversationId).toBe(t.conv.id);
  });

  it("an agent's inline forward (Gmail, Outlook, Apple Mail) belongs to the original sender, not to an address in the body", async () => {
    const layouts = (who: string) => [
      `FYI\r\n\r\n---------- Forwarded message ---------\r\nFrom: Ana Lima <${who}>\r\nDate: Wed, 2 Dec 2026 at 10:00\r\nSubject: Refund please\r\nTo: <mia@${ch.domain}>\r\n\r\nPlease refund me. My neighbour bob@neighbour.example.test has the same issue.\r\n`,
      `Can you take this?\r\n\r\n-----Original Message-----\r\nFrom: Ana Lima [mailto:${who}]\r\nSent: Wednesday, December 2, 2026 10:00 AM\r\nTo: Mia Agent\r\nSubject: Refund please\r\n\r\nPlease refund me. Contact bob@neighbour.example.test too.\r\n`,
      `\r\n\r\nBegin forwarded message:\r\n\r\nFrom: Ana Lima <${who}>\r\nSubject: Refund please\r\nDate: 2 December 2026 at 10:00:00 CET\r\nTo: mia@${ch.domain}\r\n\r\nPlease refund me.\r\n`,
    ];
    for (const [n, body] of layouts('x').entries()) {
      const original = `ana-${n}-${uid()}@example.test`;
      const id = `<${uid()}@${ch.domain}>`;
      await sendRaw(`mia@${ch.domain}`, ch.address, mime([`From: Mia Agent <mia@${ch.domain}>`, `To: ${ch.address}`, 'Subject: Fwd: Refund please', `Message-ID: ${id}`],
        layouts(original)[n]));
      const m = (await byExternalId(id))!;
      const customer = await getCustomer({ ctx: a.agentCtx, id: m.customerId });
      expect(customer.email, `layout ${n}`).toBe(original);
      expect(m.meta).toMatchObject({ forwardedBy: `mia@${ch.domain}` });
      expect((await getConversation({ ctx: a.agentCtx, id: m.conversationId })).subject).toBe('Refund please');
      void body;
    }
  });

  it("an agent's forward as an attached message/rfc822 belongs to the attached mail's sender", async () => {
    const original = `attached-${uid()}@example.test`;
    const id = `<${uid()}@${ch.domain}>`;
    const inner = [`From: "Rui Costa" <${original}>`, `To: mia@${ch.domain}`, 'Subject: My bill is wrong', 'Message-ID: <inner@example.test>', '', 'I was charged twice.'].join('\r\n');
    await sendRaw(`mia@${ch.domain}`, ch.address, mime([`From: mia@${ch.domain}`, `To: ${ch.address}`, 'Subject: Fw: My bill is wrong', `Message-ID: ${id}`, 'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="fwd"'], ['--fwd', 'Content-Type: text/plain', '', 'See attached, from a customer.', '--fwd', 'Content-Type: message/rfc822', '', inner, '--fwd--', ''].join('\r\n')));
    const m = (await byExternalId(id))!;
    const customer = await getCustomer({ ctx: a.agentCtx, id: m.customerId });
    expect(customer).toMatchObject({ email: original, name: 'Rui Costa' });
  });
});

describe('email identity and noise', () => {
  it('web-form relays: the customer is the Reply-To, two people are two customers', async () => {
    const people = [`p1-${uid()}@example.test`, `p2-${uid()}@example.test`];
    const ids: string[] = [];
    for (const [n, person] of people.entries()) {
      const id = `<${uid()}@wufoo.example.test>`; ids.push(id);
      await sendRaw('forms@wufoo.example.test', ch.address, mime(['From: Wufoo Forms <forms@wufoo.example.test>', `Reply-To: Person ${n} <${person}>`, `To: ${ch.address}`, 'Subject: Contact form', `Message-ID: ${id}`], `Name: Person ${n}\r\nMessage: help`));
    }
    const [m1, m2] = [(await byExternalId(ids[0]))!, (await byExternalId(ids[1]))!];
    expect(m1.customerId).not.toBe(m2.customerId);
    expect((await getCustomer({ ctx: a.agentCtx, id: m1.customerId })).email).toBe(people[0]);
    expect((await getCustomer({ ctx: a.agentCtx, id: m2.customerId })).email).toBe(people[1]);
    // A relay listed as a domain, and a no-reply sender of the mailbox's own domain.
    for (const relayFrom of ['notifications@forms.typeform.example.test', `no-reply@${ch.domain}`]) {
      const person = `p-${uid()}@example.test`;
      const id = `<${uid()}@relay.example.test>`;
      await sendRaw(relayFrom, ch.address, mime([`From: ${relayFrom}`, `Reply-To: ${person}`, `To: ${ch.address}`, 'Subject: Website contact', `Message-ID: ${id}`], 'from the site'));
      expect((await getCustomer({ ctx: a.agentCtx, id: (await byExternalId(id))!.customerId })).email, relayFrom).toBe(person);
    }
  });

  it('without a usable From: Reply-To, then Sender, then Return-Path; none at all is quarantined for admins', async () => {
    const cases: [string[], string][] = [
      [['From: undisclosed-recipients:;', 'Reply-To: r1@example.test'], 'r1@example.test'],
      [['From: "Broken" <not an address>', 'Sender: s1@example.test'], 's1@example.test'],
      [['Return-Path: <rp1@example.test>'], 'rp1@example.test'],
    ];
    for (const [headers, want] of cases) {
      const id = `<${uid()}@fallback.test>`;
      await sendRaw('mta@relay.example.test', ch.address, mime([...headers, `To: ${ch.address}`, 'Subject: who am i', `Message-ID: ${id}`], 'body'));
      const m = (await byExternalId(id))!;
      expect((await getCustomer({ ctx: a.agentCtx, id: m.customerId })).email).toBe(want);
    }
    const id = `<${uid()}@fallback.test>`;
    const info = await sendRaw('', ch.address, mime(['From: nobody', `To: ${ch.address}`, 'Subject: who am i', `Message-ID: ${id}`], 'body'));
    expect(info.response).toMatch(/malformed/);
    const admin = await (await a.request('/api/v1/quarantine', { cookie: await a.sessionCookie('admin') })).json();
    expect(admin.data.find((x: any) => x.payload.includes(id))).toMatchObject({ reason: 'no usable sender address (From, Reply-To, Sender or Return-Path)' });
    expect((await a.request('/api/v1/quarantine', { cookie: await a.sessionCookie('agent') })).status).toBe(403);
  });

  it('mailing-list, bulk and no-reply mail is kept but opens no conversation', async () => {
    const cases: [string, string[], RegExp][] = [
      [`list-${uid()}@lists.example.test`, ['List-Id: Fibre users <fibre-users.lists.example.test>', 'List-Unsubscribe: <mailto:leave@lists.example.test>', 'List-Post: <mailto:fibre-users@lists.example.test>'], /mailing list/],
      [`news-${uid()}@shop.example.test`, ['List-Unsubscribe: <https://shop.example.test/u>', 'Precedence: bulk'], /Precedence: bulk/],
      [`noreply@shop-${uid()}.example.test`, [], /no-reply sender/],
      [`no-reply.billing@bank-${uid()}.example.test`, [], /no-reply sender/],
      [`MAILER-DAEMON@mx-${uid()}.example.test`, [], /sender mailer-daemon/],
    ];
    for (const [from, headers, reason] of cases) {
      const id = `<${uid()}@noise.test>`;
      const info = await sendRaw(from, ch.address, mime([`From: ${from}`, `To: ${ch.address}`, 'Subject: Our newsletter', `Message-ID: ${id}`, ...headers], 'news'));
      expect(info.response).toMatch(/dropped/);
      expect(await countMessages(id)).toBe(0);
      expect(await quarantineReason(id)).toMatch(reason);
    }
  });

  it('a DSN naming a mail we sent fails that message with the recipient and reason; one naming nothing changes nothing', async () => {
    const from = `bounce-${uid()}@gone.example.test`;
    const t = await firstMail(from, 'Please call me');
    const { sent } = await agentReply(t.conv.id, 'We tried to call.');
    expect(sent.deliveryStatus).toBe('sent');
    const dsn = (origId: string) => {
      const b = `${uid()}/mx.example.test`;
      return mime(['From: MAILER-DAEMON@mx.example.test (Mail Delivery System)', `To: ${ch.address}`, 'Subject: Undelivered Mail Returned to Sender', `Message-ID: <${uid()}@mx.example.test>`,
        'Auto-Submitted: auto-replied', 'MIME-Version: 1.0', `Content-Type: multipart/report; report-type=delivery-status; boundary="${b}"`], [
        `--${b}`, 'Content-Description: Notification', 'Content-Type: text/plain; charset=us-ascii', '', 'This is the mail system at host mx.example.test.', '', "I'm sorry to have to inform you that your message could not be delivered.", '',
        `--${b}`, 'Content-Description: Delivery report', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.example.test', 'X-Postfix-Queue-ID: 4ABC', 'Arrival-Date: Thu,  3 Dec 2026 10:00:00 +0000', '',
        `Final-Recipient: rfc822; ${from}`, `Original-Recipient: rfc822;${from}`, 'Action: failed', 'Status: 5.1.1', 'Remote-MTA: dns; gone.example.test', 'Diagnostic-Code: smtp; 550 5.1.1 <' + from + '>: Recipient address rejected: User unknown', '',
        `--${b}`, 'Content-Description: Undelivered Message Headers', 'Content-Type: text/rfc822-headers', '', `From: Support <${ch.address}>`, `To: ${from}`, `Message-ID: ${origId}`, 'Subject: Re: Please call me', '',
        `--${b}--`, ''].join('\r\n'));
    };
    const info = await sendRaw('', ch.address, dsn(sent.externalId!));
    expect(info.response).toMatch(/dropped/);
    const after = (await listMessages({ ctx: a.agentCtx, conversationId: t.conv.id, input: {} })).data.find((m) => m.id === sent.id)!;
    expect(after.deliveryStatus).toBe('failed');
    expect(after.deliveryError).toContain(`delivery to ${from} failed (5.1.1)`);
    expect(after.deliveryError).toContain('User unknown');
    expect(await countMessages(`<${sent.id}@${ch.domain}>`)).toBe(1);
    // A DSN for a mail we never sent: quarantined, nothing else changes.
    const before = (await listMessages({ ctx: a.agentCtx, conversationId: t.conv.id, input: {} })).data.length;
    const stray = `<${uid()}@elsewhere.test>`;
    await sendRaw('', ch.address, dsn(stray));
    expect(await quarantineReason(stray)).toBe('delivery report: names no message we sent');
    expect((await listMessages({ ctx: a.agentCtx, conversationId: t.conv.id, input: {} })).data.length).toBe(before);
    // A DSN naming an inbound message changes nothing either.
    await sendRaw('', ch.address, dsn(t.id));
    expect((await byExternalId(t.id))!.deliveryStatus).toBe('received');
  });
});

describe('email charsets', () => {
  it('decodes parts with no, or a wrong, charset declaration instead of storing mojibake', async () => {
    const cases: [string, string[], Buffer, string][] = [
      ['windows-1252, undeclared', ['Content-Type: text/plain', 'Content-Transfer-Encoding: 8bit'], Buffer.from('Montant: 12 \x80 \x93trop\x94 cher, je veux r\xe9silier', 'latin1'), 'Montant: 12 € “trop” cher, je veux résilier'],
      ['latin-1 declared as us-ascii', ['Content-Type: text/plain; charset=us-ascii'], Buffer.from('Grüße aus München, die Störung dauert an', 'latin1'), 'Grüße aus München, die Störung dauert an'],
      ['UTF-8, undeclared', [], Buffer.from('Olá, não consigo ligar à internet', 'utf8'), 'Olá, não consigo ligar à internet'],
      ['UTF-8 declared as ISO-8859-1', ['Content-Type: text/plain; charset=iso-8859-1'], Buffer.from('Ça ne marche pas — “encore”', 'utf8'), 'Ça ne marche pas — “encore”'],
      ['ISO-2022-JP, undeclared', ['Content-Type: text/plain'], Buffer.from('\x1b$B$3$s$K$A$O\x1b(B', 'latin1'), 'こんにちは'],
      ['quoted-printable windows-1252, undeclared', ['Content-Type: text/plain', 'Content-Transfer-Encoding: quoted-printable'], Buffer.from('Caf=E9 cr=E8me =80 5', 'latin1'), 'Café crème € 5'],
      ['windows-1251 Cyrillic, undeclared', ['Content-Type: text/plain'], Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0x2c, 0x20, 0xf3, 0x20, 0xec, 0xe5, 0xed, 0xff, 0x20, 0xed, 0xe5, 0x20, 0xf0, 0xe0, 0xe1, 0xee, 0xf2, 0xe0, 0xe5, 0xf2, 0x20, 0xe8, 0xed, 0xf2, 0xe5, 0xf0, 0xed, 0xe5, 0xf2]), 'Привет, у меня не работает интернет'],
    ];
    for (const [what, headers, body, want] of cases) {
      const id = `<${uid()}@charset.test>`;
      const from = `cs-${uid()}@example.test`;
      await sendRaw(from, ch.address, mime([`From: ${from}`, `To: ${ch.address}`, 'Subject: charset', `Message-ID: ${id}`, 'MIME-Version: 1.0', ...headers], body));
      const m = (await byExternalId(id))!;
      expect(m.bodyText.trim(), what).toBe(want);
      expect(m.bodyText).not.toContain('\uFFFD');
    }
  });
});
