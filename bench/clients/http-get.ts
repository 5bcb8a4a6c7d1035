// Load generator for the read figure, run in its own process by bench/read.ts.
// N keep-alive connections (raw-http.ts) GET one URL; each sends its next request as soon as the
// last answer arrived (closed loop). Latencies are kept after a warm-up.
import { RawConnection } from './raw-http.ts';

type Args = { url: string; token: string; concurrency: number; durationMs: number; warmupMs: number };
const args = JSON.parse(process.argv[2]) as Args;
const u = new URL(args.url);
const path = `${u.pathname}${u.search}`;
const headers = { Authorization: `Bearer ${args.token}`, Accept: 'application/json' };

async function main() {
  const probe = await RawConnection.open(args.url);
  const first = await probe.send('GET', path, headers);
  probe.close();
  if (first.status !== 200) throw new Error(`GET ${args.url} answered ${first.status}: ${first.body.toString().slice(0, 300)}`);
  JSON.parse(first.body.toString()); // a whole JSON document, not a truncated one
  const conns = await Promise.all(Array.from({ length: args.concurrency }, () => RawConnection.open(args.url)));
  const start = performance.now();
  const measureFrom = start + args.warmupMs;
  const end = measureFrom + args.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let measuredEnd = 0;
  const progress = setInterval(() => process.send!({ progress: `read: ${latencies.length} requests measured` }), 5000);
  await Promise.all(conns.map(async (c) => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const r = await c.send('GET', path, headers);
      const now = performance.now();
      if (t0 < measureFrom || now > end) continue; // sent during warm-up, or answered after the window
      if (r.status !== 200 || r.body.length !== first.body.length) errors++;
      latencies.push(now - t0);
      measuredEnd = Math.max(measuredEnd, now);
    }
  }));
  clearInterval(progress);
  for (const c of conns) c.close();
  process.send!({ result: { latencies, errors, seconds: args.durationMs / 1000, lastAt: measuredEnd - measureFrom, bytes: first.body.length, sockets: args.concurrency } }, () => process.exit(0));
}

main().catch((err) => process.send!({ error: String(err?.stack ?? err) }, () => process.exit(1)));
