import type { Platform } from '../src/platform/platform.ts';
import { receiveMessage } from '../src/domains/conversations/index.ts';
import { fig, percentile, progress, type Figure } from './report.ts';
import { benchWorkspace, benchApiKey, bodyText } from './workspace.ts';
import { runClient } from './proc.ts';

type Result = { latencies: number[]; errors: number; seconds: number; bytes: number; sockets: number };

/**
 * GET /api/v1/conversations/{id}/messages (a 50-message conversation, the default page of 50)
 * over real HTTP from 50 keep-alive clients, API-key authenticated. The clients run in a child
 * process so that the load generator does not share the server's event loop.
 */
export async function measureRead(app: Platform, baseUrl: string, seconds: number, concurrency = 50): Promise<Figure[]> {
  const w = await benchWorkspace(app, 'read');
  const token = await benchApiKey(w);
  let conversationId = '';
  for (let i = 0; i < 50; i++) {
    const r = await receiveMessage({ ctx: w.ctx, input: { channel: 'chat', from: { kind: 'email', value: 'reader@bench.test' }, bodyText: bodyText(i, 200), externalId: `read-${i}` } });
    conversationId = r.conversation!.id;
  }
  const url = `${baseUrl}/api/v1/conversations/${conversationId}/messages`;
  progress(`read: ${concurrency} keep-alive clients (child process) × ${seconds} s on GET ${url.replace(baseUrl, '')}`);
  const r = await runClient<Result>('http-get', { url, token, concurrency, durationMs: seconds * 1000, warmupMs: 2000 }, progress);
  if (r.errors) throw new Error(`read: ${r.errors} responses were not 200`);
  const what = `GET …/conversations/{id}/messages (50 messages, ${Math.round(r.bytes / 1024)} kB), ${concurrency} keep-alive clients in a child process, ${seconds} s after 2 s warm-up, API key`;
  return [
    fig('read.p50', percentile(r.latencies, 50), 'ms', what),
    fig('read.p99', percentile(r.latencies, 99), 'ms', what),
    fig('read.throughput', r.latencies.length / r.seconds, 'req/s', `${r.latencies.length} requests completed in the window; server = startServer in the bench process`),
  ];
}
