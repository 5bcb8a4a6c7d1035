import { randomBytes } from 'node:crypto';
import type { Platform } from '../src/platform/platform.ts';
import { createChannel } from '../src/domains/channels/index.ts';
import { fig, na, percentile, progress, type Figure } from './report.ts';
import { benchWorkspace, benchApiKey } from './workspace.ts';
import { runClient } from './proc.ts';
import type { BenchServer } from './server.ts';
import type { ChannelClientArgs, ChannelClientResult, ChannelKindUnderTest } from './clients/channels.ts';

const WARMUP_MS = 500;
/** A handful of senders per phase: the first message of each opens a thread, the rest join it. */
const SENDERS = 8;

type Spec = { format: string; subpath: string; config: (slug: string) => Record<string, string>; secrets: () => Record<string, string> };
const secret = () => randomBytes(16).toString('hex');

/** How each channel is configured (as its test configures it) and what its webhook takes. */
const specs: Record<ChannelKindUnderTest, Spec> = {
  email: { format: 'raw MIME (message/rfc822), X-Candor-Signature', subpath: '/mime',
    config: (slug) => ({ address: `support-${slug}@fibrelink.test`, fromName: 'Fibrelink Support' }), secrets: () => ({ signingKey: secret() }) },
  whatsapp: { format: "Meta's WhatsApp text sample, X-Hub-Signature-256", subpath: '',
    config: () => ({ phoneNumberId: '106540352242922', graphVersion: 'v21.0' }), secrets: () => ({ appSecret: secret(), accessToken: 'EAAG-bench', verifyToken: secret() }) },
  messenger: { format: "Meta's Messenger text event, X-Hub-Signature-256", subpath: '',
    config: () => ({ pageId: '682498302938465', graphVersion: 'v21.0' }), secrets: () => ({ appSecret: secret(), accessToken: 'EAAB-bench', verifyToken: secret() }) },
  telegram: { format: "Telegram's sample Update, X-Telegram-Bot-Api-Secret-Token", subpath: '',
    config: () => ({}), secrets: () => ({ botToken: '123456:ABC-bench', webhookSecret: `Candor_${secret()}` }) },
  sms: { format: "Twilio's incoming-message form, X-Twilio-Signature", subpath: '',
    config: () => ({ accountSid: 'AC' + 'a1b2c3d4'.repeat(4), fromNumber: '+15017122661' }), secrets: () => ({ authToken: secret() }) },
  voice: { format: 'generic JSON call record, X-Candor-Signature', subpath: '',
    config: () => ({}), secrets: () => ({ authToken: secret(), signingKey: secret() }) },
  social: { format: 'generic social mention (connector contract), X-Candor-Signature', subpath: '',
    config: () => ({ replyUrl: 'http://127.0.0.1:9/replies', network: 'x' }), secrets: () => ({ signingKey: secret() }) },
};
export const channelKinds = Object.keys(specs) as ChannelKindUnderTest[];

const count = async (app: Platform, sql: string, id: string) => Number((await app.database.query<{ n: number }>(sql, [id]))[0].n);

/** One channel kind: a fresh workspace and channel, the load from a child process, then the checks. */
async function measureKind(app: Platform, server: BenchServer, kind: ChannelKindUnderTest, opts: { seconds: number; concurrency: number }): Promise<Figure[]> {
  const spec = specs[kind];
  const w = await benchWorkspace(app, `ch-${kind}`);
  const token = await benchApiKey(w);
  const config = spec.config(w.slug);
  const secrets = spec.secrets();
  const ch = await createChannel({ ctx: w.ctx, input: { kind, name: `bench ${kind}`, config, secrets } });
  const path = `${ch.webhookPath}${spec.subpath}`;
  progress(`channels ${kind}: ${opts.concurrency} signed webhooks in flight (child process) for ${WARMUP_MS / 1000} + ${opts.seconds} s, agent socket on inbox`);
  const args: ChannelClientArgs = {
    kind, serverUrl: server.url, path, token, secrets, config, concurrency: opts.concurrency, warmupMs: WARMUP_MS, durationMs: opts.seconds * 1000, senders: SENDERS,
  };
  const r = await runClient<ChannelClientResult>('channels', args, progress);
  const total = r.samples.length + r.httpErrors;
  if (r.httpErrors) throw new Error(`${r.httpErrors} of ${total} webhook answers were not 2xx, first: ${r.firstError}`);

  const stored = await count(app, 'select count(*)::int as n from messages where workspace_id = $1', w.id);
  if (stored !== r.samples.length) throw new Error(`${r.samples.length} answers were 2xx but ${stored} messages are stored`);
  const onSocket = new Set(r.frameMessageIds);
  const ids = (await app.database.query<{ id: string }>('select id from messages where workspace_id = $1', [w.id])).map((x) => x.id);
  const notOnSocket = ids.filter((id) => !onSocket.has(id)).length;
  const unmatched = r.samples.filter((x) => x[3] === null).length;
  if (notOnSocket || unmatched) throw new Error(`${notOnSocket} stored messages had no message.created frame on the agent socket (${unmatched} requests not matched) within 5 s of the last answer`);
  const threads = await count(app, 'select count(*)::int as n from conversations where workspace_id = $1', w.id);

  const measured = r.samples.filter((x) => !x[4]) as [number, number, number, number, 0][];
  if (!measured.length) throw new Error('no request was answered inside the measured window');
  const lat = measured.map((x) => x[3] - x[1]);
  const ack = measured.map((x) => x[2] - x[1]);
  const first = Math.min(...measured.map((x) => x[1]));
  const last = Math.max(...measured.map((x) => x[3]));
  const rate = measured.length / ((last - first) / 1000);
  const what = `${spec.format} (${r.bytes} B) → POST /hooks/{ws}/{channel}${spec.subpath} over keep-alive HTTP from a child process, ${opts.concurrency} in flight, ` +
    `${opts.seconds} s after ${WARMUP_MS / 1000} s warm-up; ${measured.length} messages from ${SENDERS} senders (warm-up: ${SENDERS} others; ${threads} threads in all, the rest joined)`;
  return [
    fig(`channel.${kind}.rate`, rate, 'msg/s', `${what}; = messages ÷ (first sent → last message.created frame on the agent socket); all ${stored} 2xx answers stored and on the socket`),
    fig(`channel.${kind}.p50`, percentile(lat, 50), 'ms', `request sent → its message.created frame on an agent socket (API key, inbox; same process and clock as the sender); HTTP answer p50 ${percentile(ack, 50).toFixed(1)} ms`),
    fig(`channel.${kind}.p99`, percentile(lat, 99), 'ms', `as above, 99th percentile; HTTP answer p99 ${percentile(ack, 99).toFixed(1)} ms`),
  ];
}

/**
 * Per channel kind, inbound messages end to end: a provider's signed webhook over real HTTP →
 * committed → message.created delivered to a subscribed agent socket on the same server. Each kind
 * gets its own workspace and channel (createChannel, with secrets); a failed kind becomes n/a rows
 * with the reason and the others still run.
 */
export async function measureChannels(app: Platform, server: BenchServer, opts: { seconds: number; concurrency: number }): Promise<Figure[]> {
  const out: Figure[] = [];
  for (const kind of channelKinds) {
    try {
      out.push(...(await measureKind(app, server, kind, opts)));
    } catch (err) {
      const reason = String((err as Error).message ?? err).split('\n')[0].slice(0, 300);
      progress(`channels ${kind} failed: ${(err as Error).stack ?? err}`);
      out.push(na(`channel.${kind}.rate`, 'msg/s', reason), na(`channel.${kind}.p50`, 'ms', reason), na(`channel.${kind}.p99`, 'ms', reason));
    }
  }
  return out;
}
