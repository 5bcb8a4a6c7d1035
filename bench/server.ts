import type { Platform } from '../src/platform/platform.ts';
import { startServer, type RunningServer } from '../src/server.ts';

export type BenchServer = { url: string; publishedAt: Map<string, number>; close(): Promise<void> };

/**
 * The real server (startServer: HTTP API, realtime gateway, job workers) on the bench platform, on
 * a free port. The per-key rate limiter reads CANDOR_RATE_* when the app is created: set them high
 * first so it never answers 429 to the load generators. Before the gateway subscribes to the bus,
 * a first subscriber notes when each message.created event is published (right after its COMMIT
 * returned), on the machine-wide monotonic clock: the start of the in-process realtime figure.
 */
export async function startBenchServer(app: Platform): Promise<BenchServer> {
  process.env.CANDOR_RATE_PER_SECOND = '1e9';
  process.env.CANDOR_RATE_BURST = '1e9';
  const publishedAt = new Map<string, number>();
  const unhook = app.bus.subscribe((e) => {
    if (e.type === 'message.created' && typeof e.data.messageId === 'string') publishedAt.set(e.data.messageId, Number(process.hrtime.bigint()) / 1e6);
  });
  const s: RunningServer = await startServer(app, { port: 0, host: '127.0.0.1', secureCookies: false });
  const port = (s.server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, publishedAt, close: async () => { unhook(); await s.close(); } };
}
