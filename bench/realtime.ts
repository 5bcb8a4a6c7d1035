import { existsSync } from 'node:fs';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Platform } from '../src/platform/platform.ts';
import { fig, na, percentile, progress, type Figure } from './report.ts';
import { benchWorkspace, benchApiKey } from './workspace.ts';
import { freePort, root, runClient, spawnCandor, waitReady, type CandorProcess } from './proc.ts';
import type { BenchServer } from './server.ts';

type Sample = [id: string, sentAt: number, ackAt: number, seenAt: number | null];
type Result = { sent: number; offered: number; capped: number; sendSeconds: number; committedRate: number; httpErrors: number; firstError: string; samples: Sample[] };

const MAX_IN_FLIGHT = 256;
const WARMUP_MS = 1000;

/** Node A on PostgreSQL: bench/clients/candor-node.ts in a child process; reports when it sent each message's COMMIT. */
function forkNodeA(url: string, port: number) {
  const child: ChildProcess = fork(fileURLToPath(new URL('./clients/candor-node.ts', import.meta.url)), [JSON.stringify({ url, port })],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T>(key: string) => new Promise<T>((resolve, reject) => {
    const on = (m: Record<string, unknown>) => {
      if (m.error) { child.off('message', on); reject(new Error(String(m.error))); }
      if (key in m) { child.off('message', on); resolve(m[key] as T); }
    };
    child.on('message', on);
    child.once('exit', (code) => reject(new Error(`node A exited with ${code}`)));
  });
  const ready = next<string>('ready');
  return {
    ready,
    committedAt: async () => { const p = next<[string, number][]>('committedAt'); child.send({ cmd: 'report' }); return new Map(await p); },
    stop: async () => { if (child.exitCode !== null) return; const p = next('stopped').catch(() => {}); child.send({ cmd: 'stop' }); await p; },
  };
}

/**
 * Commit → websocket latency at a fixed offered rate. PostgreSQL: node A (createPlatform +
 * startServer in a child process, which notes when it sent each message's COMMIT) takes the
 * inbound HTTP posts; node B, a real `node bin/candor.mjs start`, serves the socket; every event
 * crosses LISTEN/NOTIFY. PGlite has one process: the server in the bench process notes when the
 * events are published after COMMIT returned (bench/server.ts); the client (a child process) listens on the same
 * node — labelled so. The client also times A's HTTP response → frame (the figure the issue asked
 * for; NOTIFY inside the transaction often beats A's own response) and request → frame.
 */
export async function measureRealtime(app: Platform, opts: { url?: string; server: BenchServer; rate: number; seconds: number }): Promise<Figure[]> {
  if (!existsSync(`${root}/src/realtime/gateway.ts`)) return [na('realtime.p99', 'ms', 'src/realtime/gateway.ts is not there yet')];
  const w = await benchWorkspace(app, 'realtime');
  const token = await benchApiKey(w);
  let nodeA: ReturnType<typeof forkNodeA> | undefined;
  let nodeB: CandorProcess | undefined;
  try {
    let sendUrl = opts.server.url;
    let socketUrl = opts.server.url;
    let where = 'single PGlite process: commit (bus publish right after COMMIT, in the server) → websocket frame in the client process';
    if (opts.url) {
      progress('realtime: starting node A (platform + server, child process) and node B (`node bin/candor.mjs start`) on the bench database');
      nodeA = forkNodeA(opts.url, await freePort());
      nodeB = spawnCandor(await freePort(), { DATABASE_URL: opts.url, CANDOR_NO_DEMO: '1' });
      [sendUrl] = await Promise.all([nodeA.ready, waitReady(nodeB)]);
      socketUrl = nodeB.url;
      where = 'COMMIT sent by process A (NOTIFY is in the transaction) → frame on a websocket of process B (`candor start`), one PostgreSQL';
    }
    progress(`realtime: offering ${opts.rate} inbound messages/s for ${opts.seconds} s, socket subscribed to inbox`);
    const r = await runClient<Result>('realtime', {
      sendUrl, socketUrl, token, rate: opts.rate, durationMs: opts.seconds * 1000, maxInFlight: MAX_IN_FLIGHT, runId: w.slug, senders: 200,
    }, progress);
    if (r.httpErrors) throw new Error(`realtime: ${r.httpErrors} inbound posts failed, first: ${r.firstError}`);
    const committedAt = nodeA ? await nodeA.committedAt() : opts.server.publishedAt;
    const t0 = Math.min(...r.samples.map((x) => x[1]));
    const counted = r.samples.filter((x) => x[1] - t0 >= WARMUP_MS);
    const missing = r.samples.filter((x) => x[3] === null).length;
    const arrived = counted.filter((x) => x[3] !== null) as [string, number, number, number][];
    const lat = arrived.map((x) => x[3] - (committedAt.get(x[0]) ?? NaN)).filter(Number.isFinite);
    const fromResponse = arrived.map((x) => x[3] - x[2]);
    const early = fromResponse.filter((d) => d < 0).length;
    const load = `offered ${opts.rate}/s for ${opts.seconds} s, sent ${r.sent}${r.capped ? ` (hit ${MAX_IN_FLIGHT} unanswered: the server is slower than offered)` : ''}, committed ${Math.round(r.committedRate)}/s`;
    return [
      fig('realtime.p50', percentile(lat, 50), 'ms', `${where}; ${load}; ${lat.length} messages after ${WARMUP_MS / 1000} s warm-up; ${missing} never arrived`),
      fig('realtime.p99', percentile(lat, 99), 'ms', 'as above, 99th percentile'),
      ...(opts.url ? [fig('realtime.p99.from-response', percentile(fromResponse, 99), 'ms',
        `A's HTTP response reaching the client → B's frame (p50 ${percentile(fromResponse, 50).toFixed(1)} ms; ${early} of ${fromResponse.length} frames came first: negative)`)] : []),
      fig('realtime.p99.from-send', percentile(arrived.map((x) => x[3] - x[1]), 99), 'ms', `request sent → frame: includes the ingest under this load (its p99 ${percentile(counted.map((x) => x[2] - x[1]), 99).toFixed(0)} ms)`),
      ...(missing ? [fig('realtime.missing', missing, 'events', 'committed messages whose event never reached the socket within 5 s')] : []),
    ];
  } finally {
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
  }
}
