// Load generator for the status figures, run in its own process by bench/status.ts: N keep-alive
// connections GET one public URL (no credentials, as a visitor or a widget would), closed loop;
// latencies kept after a warm-up. Any 200 counts (the body changes while an incident is updated).
import { RawConnection } from './raw-http.ts';

type Args = { url: string; concurrency: number; durationMs: number; warmupMs: number };
const args = JSON.parse(process.argv[2]) as Args;
const u = new URL(args.url);
const path = `${u.pathname}${u.search}`;
const headers = { Accept: '*/*' };

async function main() {
  const probe = await RawConnection.open(args.url);
  const first = await probe.send('GET', path, headers);
  probe.close();
  if (first.status !== 200) throw new Error(`GET ${args.url} answered ${first.status}: ${first.body.toString().slice(0, 300)}`);
  const conns = await Promise.all(Array.from({ length: args.concurrency }, () => RawConnection.open(args.url)));
  const start = performance.now();
  const measureFrom = start + args.warmupMs;
  const end = measureFrom + args.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(conns.map(async (c) => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const r = await c.send('GET', path, headers);
      const now = performance.now();
      if (t0 < measureFrom || now > end) continue;
      if (r.status !== 200) errors++;
      latencies.push(now - t0);
    }
  }));
  for (const c of conns) c.close();
  process.send!({ result: { latencies, errors, seconds: args.durationMs / 1000, bytes: first.body.length } }, () => process.exit(0));
}

main().catch((err) => process.send!({ error: String(err?.stack ?? err) }, () => process.exit(1)));
