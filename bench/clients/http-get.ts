// Load generator for the read figure, run in its own process by bench/read.ts.
// N keep-alive HTTP/1.1 connections GET one URL. The client speaks HTTP on raw sockets (one write
// per request, responses framed by Content-Length), like wrk: Node's http client costs as much CPU
// per request as the server being measured, on the same two cores. Each connection sends its
// next request as soon as the last answer arrived (closed loop).
import net from 'node:net';

type Args = { url: string; token: string; concurrency: number; durationMs: number; warmupMs: number };
const args = JSON.parse(process.argv[2]) as Args;
const u = new URL(args.url);
const request = Buffer.from(`GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nAuthorization: Bearer ${args.token}\r\nAccept: application/json\r\n\r\n`);

type Answer = { status: number; bytes: number; body?: string };

/** One keep-alive connection: send() resolves with the next complete response. */
function connection(keepBody: boolean): Promise<{ send(): Promise<Answer>; close(): void }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(u.port || 80), u.hostname);
    socket.setNoDelay(true);
    let chunks: Buffer[] = [];
    let received = 0;
    let head: { status: number; headerBytes: number; length: number } | null = null;
    let waiting: ((a: Answer) => void) | null = null;
    let failed: ((e: Error) => void) | null = null;
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      received += d.length;
      if (!head) {
        const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        chunks = [all];
        const end = all.indexOf('\r\n\r\n');
        if (end < 0) return;
        const text = all.toString('latin1', 0, end);
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(text);
        if (!length) { failed?.(new Error(`response without Content-Length: ${text.slice(0, 200)}`)); return; }
        head = { status: Number(text.slice(9, 12)), headerBytes: end + 4, length: Number(length[1]) };
      }
      if (received < head.headerBytes + head.length) return;
      if (received > head.headerBytes + head.length) { failed?.(new Error('more bytes than one response')); return; }
      const a: Answer = { status: head.status, bytes: head.length };
      if (keepBody) a.body = Buffer.concat(chunks).toString('utf8', head.headerBytes);
      chunks = []; received = 0; head = null;
      const w = waiting; waiting = null; w?.(a);
    });
    socket.on('error', (e) => { if (failed) failed(e); else reject(e); });
    socket.on('close', () => failed?.(new Error('connection closed by the server')));
    socket.once('connect', () => resolve({
      send: () => new Promise<Answer>((res, rej) => { waiting = res; failed = rej; socket.write(request); }),
      close: () => { failed = null; socket.destroy(); },
    }));
  });
}

async function main() {
  const probe = await connection(true);
  const first = await probe.send();
  probe.close();
  if (first.status !== 200) throw new Error(`GET ${args.url} answered ${first.status}: ${first.body?.slice(0, 300)}`);
  JSON.parse(first.body!); // a whole JSON document, not a truncated one
  const conns = await Promise.all(Array.from({ length: args.concurrency }, () => connection(false)));
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
      const a = await c.send();
      const now = performance.now();
      if (t0 < measureFrom || now > end) continue; // sent during warm-up, or answered after the window
      if (a.status !== 200 || a.bytes !== first.bytes) errors++;
      latencies.push(now - t0);
      measuredEnd = Math.max(measuredEnd, now);
    }
  }));
  clearInterval(progress);
  for (const c of conns) c.close();
  process.send!({ result: { latencies, errors, seconds: args.durationMs / 1000, lastAt: measuredEnd - measureFrom, bytes: first.bytes, sockets: args.concurrency } }, () => process.exit(0));
}

main().catch((err) => process.send!({ error: String(err?.stack ?? err) }, () => process.exit(1)));
