import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { createChannel, loadChannel, type ChannelRow } from '../src/domains/channels/index.ts';
import { receiveEmail } from '../src/channels/email/index.ts';
import { signHmacSha256 } from '../src/channels/shared/signatures.ts';
import { twilioSignature } from '../src/channels/shared/twilio.ts';

/*
 * Every inbound parser, fed malformed input: mutated real samples (bytes flipped, cut, repeated,
 * spliced with random text) and arbitrary JSON. Whatever arrives, the answer is never a 5xx or a
 * crash, and a refused item writes nothing but its quarantine row.
 */
let app: Platform;
let t: TestWorkspace;
let email: ChannelRow;
const chans: Record<string, { path: string }> = {};
const runs = Number(process.env.FUZZ_RUNS ?? 30);
// A fixed seed by default, so CI is repeatable; FUZZ_SEED=<n> (or FUZZ_SEED=random) explores further.
const seed = process.env.FUZZ_SEED === 'random' ? Date.now() : Number(process.env.FUZZ_SEED ?? 20261204);
const messageCount = async () => Number((await app.database.query<{ n: number }>('select count(*)::int as n from messages where workspace_id = $1', [t.ws.id]))[0].n);

/** A sample mutated: some bytes replaced, a cut, a repeat and a splice. */
const mutated = (sample: Buffer) => fc.record({
  flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
  cut: fc.option(fc.nat()), splice: fc.option(fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 64 }))), repeat: fc.boolean(),
}).map(({ flips, cut, splice, repeat }) => {
  let b = Buffer.from(sample);
  for (const [at, v] of flips) if (b.length) b[at % b.length] = v;
  if (cut !== null && b.length) b = b.subarray(0, cut % b.length);
  if (splice) { const at = splice[0] % (b.length + 1); b = Buffer.concat([b.subarray(0, at), Buffer.from(splice[1]), b.subarray(at)]); }
  if (repeat) b = Buffer.concat([b, b]);
  return b;
});

const sampleMime = Buffer.from([
  'From: "Ana Lima" <ana@example.test>', 'To: support@fuzz.example.test', 'Cc: it@example.test', 'Subject: =?ISO-8859-1?Q?R=E9siliation?= [#12]',
  'Message-ID: <fuzz-1@example.test>', 'In-Reply-To: <a@x>', 'References: <a@x> <b@y>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '',
  '--b1', 'Content-Type: text/plain', 'Content-Transfer-Encoding: quoted-printable', '', 'Caf=E9 ---------- Forwarded message ---------', 'From: x <x@y.test>', '',
  '--b1', 'Content-Type: message/rfc822', '', 'From: inner@example.test', 'Subject: inner', '', 'inner body',
  '--b1', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; x', '', 'Final-Recipient: rfc822; a@b', 'Action: failed', 'Status: 5.1.1', '',
  '--b1--', ''].join('\r\n'), 'latin1');

beforeAll(async () => {
  app = await testPlatform();
  t = await newWorkspace(app, 'Fuzz');
  const e = await createChannel({ ctx: t.adminCtx, input: { kind: 'email', name: 'fuzz', config: { address: 'support@fuzz.example.test' }, secrets: { signingKey: 'k' } } });
  email = await loadChannel(t.system, e.id);
  chans.telegram = { path: (await createChannel({ ctx: t.adminCtx, input: { kind: 'telegram', name: 'fz', config: { apiBaseUrl: 'http://127.0.0.1:1' }, secrets: { webhookSecret: 's', botToken: 'b' } } })).webhookPath };
  chans.whatsapp = { path: (await createChannel({ ctx: t.adminCtx, input: { kind: 'whatsapp', name: 'fz', config: { phoneNumberId: '1' }, secrets: { appSecret: 'app', verifyToken: 'v' } } })).webhookPath };
  chans.messenger = { path: (await createChannel({ ctx: t.adminCtx, input: { kind: 'messenger', name: 'fz', config: { pageId: '1' }, secrets: { appSecret: 'app', verifyToken: 'v' } } })).webhookPath };
  chans.sms = { path: (await createChannel({ ctx: t.adminCtx, input: { kind: 'sms', name: 'fz', config: { accountSid: 'AC1', fromNumber: '+15005550006' }, secrets: { authToken: 'tok' } } })).webhookPath };
  chans.social = { path: (await createChannel({ ctx: t.adminCtx, input: { kind: 'social', name: 'fz', config: {}, secrets: { signingKey: 'k' } } })).webhookPath };
});

describe('fuzzing the inbound parsers', () => {
  it('MIME: any mutation of a rich sample is accepted, dropped or quarantined; never a crash', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(mutated(sampleMime), fc.uint8Array({ maxLength: 400 }).map((u) => Buffer.from(u))), async (raw) => {
      const before = await messageCount();
      const r = await receiveEmail(t.system, email, raw);
      expect(['accepted', 'dropped', 'malformed']).toContain(r.status);
      if (r.status !== 'accepted' || r.duplicate) expect(await messageCount()).toBe(before);
      else expect(await messageCount()).toBe(before + 1);
    }), { numRuns: runs, seed });
  });

  const telegramSample = JSON.stringify({ update_id: 1, message: { message_id: 1, date: 1764750000, chat: { id: 42, type: 'private' }, from: { id: 42, is_bot: false, first_name: 'A' }, text: 'hi' } });
  const waSample = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '1' },
    contacts: [{ profile: { name: 'A' }, wa_id: '5511987654321' }], messages: [{ from: '551187654321', id: 'wamid.F', timestamp: '1764750000', type: 'text', text: { body: 'hi' } }],
    statuses: [{ id: 'wamid.unknown', status: 'read', timestamp: '1764750000', recipient_id: '1' }] } }] }] });
  const msSample = JSON.stringify({ object: 'page', entry: [{ id: '1', time: 1764750000000, messaging: [{ sender: { id: '99' }, recipient: { id: '1' }, timestamp: 1764750000000,
    message: { mid: 'm.F', text: 'hi', is_echo: false } }, { sender: { id: '1' }, recipient: { id: '99' }, timestamp: 1, delivery: { mids: ['m.unknown'], watermark: 1 } }] }] });
  const anyJson = fc.oneof(fc.json(), fc.jsonValue().map((v) => JSON.stringify(v)));
  const bodies = (sample: string) => fc.oneof(mutated(Buffer.from(sample)).map((b) => b.toString('latin1')), anyJson,
    fc.jsonValue().map((v) => { const o = JSON.parse(sample); const keys = Object.keys(o); o[keys[Number(JSON.stringify(v).length) % keys.length]] = v; return JSON.stringify(o); }));
  const signed: Record<string, (body: string) => Record<string, string>> = {
    telegram: () => ({ 'x-telegram-bot-api-secret-token': 's' }),
    whatsapp: (b) => ({ 'x-hub-signature-256': signHmacSha256('app', b) }),
    messenger: (b) => ({ 'x-hub-signature-256': signHmacSha256('app', b) }),
    social: (b) => ({ 'x-candor-signature': signHmacSha256('k', b) }),
  };
  for (const [kind, sample] of [['telegram', telegramSample], ['whatsapp', waSample], ['messenger', msSample], ['social', '{"id":"1","network":"x","type":"mention","author":{"handle":"@a"},"text":"hi"}']] as const) {
    it(`${kind}: signed malformed JSON is answered below 500, and a refusal writes no message`, async () => {
      await fc.assert(fc.asyncProperty(bodies(sample), async (body) => {
        const before = await messageCount();
        const r = await t.http.request(chans[kind].path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...signed[kind](body) } });
        expect(r.status, body).toBeLessThan(500);
        if (r.status >= 400) expect(await messageCount()).toBe(before);
      }), { numRuns: runs, seed });
    });
  }

  it('sms: signed malformed Twilio forms (NumMedia, MediaUrlN, status callbacks) are answered below 500', async () => {
    const field = fc.constantFrom('From', 'To', 'Body', 'MessageSid', 'SmsSid', 'AccountSid', 'NumMedia', 'MediaUrl0', 'MediaContentType0', 'MessageStatus', 'ErrorCode', 'NumSegments');
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(field, fc.oneof(fc.string(), fc.constantFrom('+31612345678', '3', '-1', 'NaN', 'delivered', 'http://127.0.0.1:1/x')))), fc.boolean(), async (pairs, toStatus) => {
      const params = new URLSearchParams(pairs);
      const url = `http://localhost${chans.sms.path}${toStatus ? '/status' : ''}`;
      const before = await messageCount();
      const r = await t.http.request(url, { method: 'POST', body: params.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature('tok', url, params) } });
      expect(r.status, params.toString()).toBeLessThan(500);
      if (r.status >= 400) expect(await messageCount()).toBe(before);
    }), { numRuns: runs, seed });
  });
});
