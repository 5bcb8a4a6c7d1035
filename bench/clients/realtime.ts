// Load generator and listener for the realtime figure, run in its own process by bench/realtime.ts.
// Subscribes a websocket to `inbox` on node B and posts inbound messages to node A on a fixed
// schedule (`rate`/s, not waiting for answers, at most `maxInFlight` unanswered). Per message id it
// records when the request left, when A's HTTP response arrived (the commit is done) and when B's
// socket frame for that message arrived, in ms on the machine-wide monotonic clock (process.hrtime
// is CLOCK_MONOTONIC, shared by every process on the machine), so they compare with the servers'.
import { WebSocket } from 'ws';
import { RawPool } from './raw-http.ts';

type Args = { sendUrl: string; socketUrl: string; token: string; rate: number; durationMs: number; maxInFlight: number; runId: string; senders: number };
const args = JSON.parse(process.argv[2]) as Args;
const pool = new RawPool(args.sendUrl, args.maxInFlight);
const headers = { Authorization: `Bearer ${args.token}`, 'Content-Type': 'application/json' };
const clock = () => Number(process.hrtime.bigint()) / 1e6;

const acked = new Map<string, { sentAt: number; ackAt: number }>();
const seen = new Map<string, number>();
let httpErrors = 0;
let firstError = '';
let inflight = 0;

function post(i: number): Promise<void> {
  const body = JSON.stringify({
    channel: 'chat', from: { kind: 'email', value: `rt${i % args.senders}.${args.runId}@bench.test` },
    bodyText: `realtime probe ${i}: is my line back up yet? the router light is still orange`, externalId: `${args.runId}-${i}`,
  });
  const sentAt = clock();
  inflight++;
  return pool.send('POST', '/api/v1/messages/inbound', headers, body).then((res) => {
    const ackAt = clock();
    if (res.status === 201) acked.set(JSON.parse(res.body.toString()).message.id, { sentAt, ackAt });
    else { httpErrors++; firstError ||= `${res.status} ${res.body.toString().slice(0, 300)}`; }
  }, (err) => { httpErrors++; firstError ||= String(err); }).finally(() => { inflight--; });
}

async function main() {
  const ws = new WebSocket(`${args.socketUrl.replace(/^http/, 'ws')}/api/v1/realtime`, { headers: { authorization: `Bearer ${args.token}` }, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_q, r) => reject(new Error(`upgrade answered ${r.statusCode}`)));
  });
  const subscribed = new Promise<void>((resolve, reject) => {
    ws.on('message', (data) => {
      const at = clock();
      const f = JSON.parse(data.toString());
      if (f.type === 'subscribed') resolve();
      else if (f.type === 'error') reject(new Error(`subscribe failed: ${f.code} ${f.message}`));
      else if (f.type === 'event' && f.event?.type === 'message.created' && !seen.has(f.event.data.messageId)) seen.set(f.event.data.messageId, at);
    });
  });
  ws.send(JSON.stringify({ type: 'subscribe', topic: 'inbox', id: 1 }));
  await subscribed;

  const inflightAll: Promise<void>[] = [];
  const t0 = performance.now();
  let sent = 0;
  let capped = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = performance.now() - t0;
      if (elapsed >= args.durationMs) return resolve();
      const due = Math.floor((elapsed / 1000) * args.rate);
      while (sent < due && inflight < args.maxInFlight) inflightAll.push(post(sent++));
      if (sent < due) capped++;
      setTimeout(tick, 1);
    };
    tick();
  });
  const sendSeconds = (performance.now() - t0) / 1000;
  const firstSent = Math.min(...[...acked.values()].map((a) => a.sentAt));
  await Promise.all(inflightAll);
  const lastAck = Math.max(...[...acked.values()].map((a) => a.ackAt));
  const drained = performance.now();
  while ([...acked.keys()].some((id) => !seen.has(id)) && performance.now() - drained < 5000) await new Promise((r) => setTimeout(r, 20));
  ws.close();
  pool.close();
  const samples = [...acked.entries()].map(([id, a]) => [id, a.sentAt, a.ackAt, seen.get(id) ?? null]);
  process.send!({ result: { sent, offered: Math.round((args.rate * args.durationMs) / 1000), capped, sendSeconds, committedRate: acked.size / ((lastAck - firstSent) / 1000), httpErrors, firstError, samples } },
    () => process.exit(0));
}

main().catch((err) => process.send!({ error: String(err?.stack ?? err) }, () => process.exit(1)));
