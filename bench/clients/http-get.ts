// Load generator for the read figure, run in its own process by bench/read.ts.
// N keep-alive clients GET one URL back to back; latencies are kept after a warm-up.
import http from 'node:http';

type Args = { url: string; token: string; concurrency: number; durationMs: number; warmupMs: number };
const args = JSON.parse(process.argv[2]) as Args;
const agent = new http.Agent({ keepAlive: true, maxSockets: args.concurrency, maxFreeSockets: args.concurrency });
const headers = { authorization: `Bearer ${args.token}`, accept: 'application/json' };

function get(): Promise<{ ms: number; status: number; bytes: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(args.url, { agent, headers }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => { bytes += c.length; });
      res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function main() {
  const first = await get();
  if (first.status !== 200) throw new Error(`GET ${args.url} answered ${first.status}`);
  const start = performance.now();
  const measureFrom = start + args.warmupMs;
  const end = measureFrom + args.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  let measuredEnd = 0;
  const progress = setInterval(() => process.send!({ progress: `read: ${latencies.length} requests measured` }), 5000);
  await Promise.all(Array.from({ length: args.concurrency }, async () => {
    while (performance.now() < end) {
      const r = await get();
      const now = performance.now();
      if (now - r.ms < measureFrom || now > end) continue; // started during warm-up, or finished after the window
      if (r.status !== 200) errors++;
      latencies.push(r.ms);
      bytes = r.bytes;
      measuredEnd = Math.max(measuredEnd, now);
    }
  }));
  clearInterval(progress);
  agent.destroy();
  process.send!({ result: { latencies, errors, seconds: args.durationMs / 1000, lastAt: measuredEnd - measureFrom, bytes, sockets: args.concurrency } }, () => process.exit(0));
}

main().catch((err) => process.send!({ error: String(err?.stack ?? err) }, () => process.exit(1)));
