// Load generator and agent socket for the channel figures, run in its own process by bench/channels.ts.
// Opens an agent websocket (RealtimeClient, API key, subscribed to `inbox`), then keeps
// `concurrency` signed provider webhooks in flight over keep-alive HTTP for warm-up + duration.
// Each request is built as the channel's test builds a valid signed sample (test/<kind>.test.ts):
// same payload shape, headers and signature algorithm, a unique provider message id, one of a
// handful of senders. Its body text starts with `#b<n>#`, which the message.created frame carries
// in `preview`: per request it records when it was sent, when the HTTP answer came and when the
// frame arrived, in ms on process.hrtime (one clock: sender and socket are this process).
import { createHmac, randomBytes } from 'node:crypto';
import { RealtimeClient } from '../../src/realtime/client.ts';
import { RawPool } from './raw-http.ts';

export type ChannelKindUnderTest = 'email' | 'whatsapp' | 'messenger' | 'telegram' | 'sms' | 'voice' | 'social';
export type ChannelClientArgs = {
  kind: ChannelKindUnderTest; serverUrl: string; path: string; token: string; secrets: Record<string, string>; config: Record<string, string>;
  concurrency: number; warmupMs: number; durationMs: number; senders: number;
};
/** n, sent, HTTP answer, frame (null: never arrived), 1 = warm-up request. Only 2xx answers are samples. */
export type ChannelSample = [n: number, sentAt: number, ackAt: number, seenAt: number | null, warm: 0 | 1];
export type ChannelClientResult = {
  samples: ChannelSample[]; httpErrors: number; firstError: string; frameMessageIds: string[]; bytes: number; drainedMs: number;
};

const args = JSON.parse(process.argv[2]) as ChannelClientArgs;
const pool = new RawPool(args.serverUrl, args.concurrency);
const clock = () => Number(process.hrtime.bigint()) / 1e6;

type Req = { headers: Record<string, string>; body: string | Buffer };
const sha256Sig = (key: string, body: string | Buffer) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
/** Twilio's X-Twilio-Signature: base64(HMAC-SHA1(authToken, url + each POST parameter name and value, sorted by name)). */
function twilioSignature(authToken: string, url: string, params: URLSearchParams): string {
  let data = url;
  for (const [k, v] of [...params].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))) data += k + v;
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}
const words = ['my', 'fibre', 'connection', 'dropped', 'again', 'router', 'lights', 'blinking', 'since', 'this', 'morning', 'please', 'help', 'invoice', 'speed', 'slow'];
const text = (n: number) => {
  let s = `#b${n}#`;
  for (let i = 0; s.length < 120; i++) s += ' ' + words[(n * 7 + i * 13) % words.length];
  return s;
};
const hex = (len: number) => randomBytes(Math.ceil(len / 2)).toString('hex').slice(0, len);
const nowS = () => Math.floor(Date.now() / 1000);
const json = (o: unknown) => JSON.stringify(o);

/** Request n from sender s, per provider: as test/<kind>.test.ts signs a valid sample. */
const build: Record<ChannelKindUnderTest, (n: number, s: number) => Req> = {
  // test/email.test.ts "MIME webhook": raw MIME, content-type message/rfc822, X-Candor-Signature over the body.
  email: (n, s) => {
    const from = `customer${s}@example.test`;
    const raw = Buffer.from([`From: Customer ${s} <${from}>`, `To: ${args.config.address}`, `Subject: Line problem ${s}`, `Message-ID: <bench-${n}.${hex(10)}@mail.example.test>`,
      `Date: ${new Date().toUTCString()}`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', text(n), ''].join('\r\n'));
    return { headers: { 'content-type': 'message/rfc822', 'x-candor-signature': sha256Sig(args.secrets.signingKey, raw) }, body: raw };
  },
  // test/whatsapp.test.ts textSample, X-Hub-Signature-256 with the App Secret.
  whatsapp: (n, s) => {
    const body = json({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ value: {
      messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: args.config.phoneNumberId },
      contacts: [{ profile: { name: `Customer ${s}` }, wa_id: `1650555${1000 + s}` }],
      messages: [{ from: `1650555${1000 + s}`, id: `wamid.HBgL${randomBytes(18).toString('base64').replace(/[+/=]/g, 'A')}`, timestamp: String(nowS()), type: 'text', text: { body: text(n) } }],
    }, field: 'messages' }] }] });
    return { headers: { 'content-type': 'application/json', 'user-agent': 'facebookexternalua', 'x-hub-signature-256': sha256Sig(args.secrets.appSecret, body) }, body };
  },
  // test/messenger.test.ts pageEvent(textEvent), X-Hub-Signature-256 with the App Secret.
  messenger: (n, s) => {
    const body = json({ object: 'page', entry: [{ id: args.config.pageId, time: Date.now(), messaging: [{
      sender: { id: String(24000000000000 + s) }, recipient: { id: args.config.pageId }, timestamp: Date.now(),
      message: { mid: `m_${randomBytes(24).toString('base64url')}`, text: text(n) },
    }] }] });
    return { headers: { 'content-type': 'application/json', 'x-hub-signature-256': sha256Sig(args.secrets.appSecret, body) }, body };
  },
  // test/telegram.test.ts sampleUpdate, X-Telegram-Bot-Api-Secret-Token.
  telegram: (n, s) => {
    const user = 700000000 + s;
    const body = json({ update_id: 10000 + n, message: {
      date: nowS(), chat: { last_name: 'Lastname', id: user, type: 'private', first_name: `Customer${s}`, username: `customer${s}` },
      message_id: n + 1, from: { last_name: 'Lastname', id: user, first_name: `Customer${s}`, username: `customer${s}` }, text: text(n),
    } });
    return { headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': args.secrets.webhookSecret }, body };
  },
  // test/sms.test.ts incoming(): Twilio's form, X-Twilio-Signature over the URL called and the parameters.
  sms: (n, s) => {
    const sid = 'SM' + hex(32);
    const form = new URLSearchParams({
      ToCountry: 'US', ToState: 'CA', SmsMessageSid: sid, NumMedia: '0', ToCity: 'SAN FRANCISCO', FromZip: '94105', SmsSid: sid,
      FromState: 'CA', SmsStatus: 'received', FromCity: 'SAN FRANCISCO', Body: text(n), FromCountry: 'US',
      To: args.config.fromNumber, ToZip: '94105', NumSegments: '1', MessageSid: sid, AccountSid: args.config.accountSid, From: `+1415555${1000 + s}`, ApiVersion: '2010-04-01',
    });
    return { headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': twilioSignature(args.secrets.authToken, `${args.serverUrl}${args.path}`, form) }, body: form.toString() };
  },
  // test/voice.test.ts callRecord(): Candor's generic call record, X-Candor-Signature.
  voice: (n, s) => {
    const end = Date.now();
    const body = json({ callId: `pbx-bench-${n}-${hex(8)}`, from: `+3161234${5000 + s}`, to: '+31201234567', startedAt: new Date(end - 185_000).toISOString(), endedAt: new Date(end).toISOString(),
      durationSeconds: 185, ivrPath: ['Billing', 'Payment problem'], transcript: text(n), recordingUrl: `https://pbx.example/recordings/${n}.mp3` });
    return { headers: { 'content-type': 'application/json', 'X-Candor-Signature': sha256Sig(args.secrets.signingKey, body) }, body };
  },
  // test/social.test.ts sampleMention: the connector contract's signed JSON, X-Candor-Signature.
  social: (n, s) => {
    const id = String(1790000000000000000n + BigInt(n));
    const body = json({ network: 'x', id, type: 'mention', author: { handle: `fibrefan${s}`, name: `Fibre Fan ${s}` },
      text: text(n), url: `https://x.com/fibrefan${s}/status/${id}`, createdAt: new Date().toISOString() });
    return { headers: { 'content-type': 'application/json', 'X-Candor-Signature': sha256Sig(args.secrets.signingKey, body) }, body };
  },
};

const seen = new Map<number, number>();
const frameMessageIds: string[] = [];

async function main() {
  const client = await RealtimeClient.connect(args.serverUrl, { token: args.token });
  client.ws.on('message', (data) => {
    const at = clock();
    const f = JSON.parse(data.toString());
    if (f.type !== 'event' || f.event?.type !== 'message.created') return;
    frameMessageIds.push(String(f.event.data.messageId));
    const m = /#b(\d+)#/.exec(String(f.event.data.preview ?? ''));
    if (m && !seen.has(Number(m[1]))) seen.set(Number(m[1]), at);
  });
  const sub = await client.subscribe('inbox');
  if (sub.type !== 'subscribed') throw new Error(`subscribe inbox answered ${sub.type}: ${sub.code} ${sub.message}`);

  const url = `${args.serverUrl}${args.path}`;
  const sent: { n: number; sentAt: number; ackAt: number; warm: 0 | 1 }[] = [];
  let httpErrors = 0;
  let firstError = '';
  let bytes = 0;
  let next = 0;
  const t0 = performance.now();
  const warmEnd = t0 + args.warmupMs;
  const end = warmEnd + args.durationMs;
  const target = new URL(url);
  const post = (n: number, warm: 0 | 1) => {
    // Warm-up and measured requests come from different senders: the measured window opens its own threads.
    const s = (n % args.senders) + (warm ? args.senders : 0);
    const r = build[args.kind](n, s);
    const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
    bytes = body.length;
    const sentAt = clock();
    return pool.send('POST', target.pathname + target.search, r.headers, body).then((res) => {
      if (res.status >= 200 && res.status < 300) sent.push({ n, sentAt, ackAt: clock(), warm });
      else { httpErrors++; firstError ||= `${res.status} ${res.body.toString().slice(0, 300)}`; }
    }, (err) => { httpErrors++; firstError ||= String(err); });
  };
  const progress = setInterval(() => process.send!({ progress: `channels ${args.kind}: ${sent.length} answered 2xx, ${seen.size} frames` }), 5000);
  await Promise.all(Array.from({ length: args.concurrency }, async () => {
    for (let now = performance.now(); now < end; now = performance.now()) await post(next++, now < warmEnd ? 1 : 0);
  }));
  clearInterval(progress);
  const drained = clock();
  while (sent.some((x) => !seen.has(x.n)) && clock() - drained < 5000) await new Promise((r) => setTimeout(r, 20));
  const drainedMs = clock() - drained;
  await client.close();
  pool.close();
  const samples: ChannelSample[] = sent.map((x) => [x.n, x.sentAt, x.ackAt, seen.get(x.n) ?? null, x.warm]);
  const result: ChannelClientResult = { samples, httpErrors, firstError, frameMessageIds, bytes, drainedMs };
  process.send!({ result }, () => process.exit(0));
}

main().catch((err) => process.send!({ error: String(err?.stack ?? err) }, () => process.exit(1)));
