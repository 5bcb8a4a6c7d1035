// One Candor node for the realtime figure on PostgreSQL (node A), run in its own process by
// bench/realtime.ts: the same platform and server `candor start` runs (createPlatform + startServer,
// no demo, no web build), instrumented to note, per message id, when the COMMIT of the transaction
// that wrote it was sent. Candor NOTIFYs inside the transaction, so other nodes hear at commit; the
// time the COMMIT left this process is the earliest moment the message could be visible, which
// makes "COMMIT sent → frame" an upper bound of commit → socket. Times are on the machine-wide
// monotonic clock (process.hrtime = CLOCK_MONOTONIC, the same in every process).
import pg from 'pg';
import { createPlatform } from '../../src/platform/platform.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { startServer } from '../../src/server.ts';

type Args = { url: string; port: number };
const args = JSON.parse(process.argv[2]) as Args;
process.env.CANDOR_RATE_PER_SECOND = '1e9';
process.env.CANDOR_RATE_BURST = '1e9';
const clock = () => Number(process.hrtime.bigint()) / 1e6;

const commitSent = new Map<string, number>();
const announced = new WeakMap<object, string[]>();
const messageIds = /messageId\W{1,12}([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/g;
const query = pg.Client.prototype.query as (...a: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown }).query = function (this: object, ...a: unknown[]) {
  const config = a[0] as string | { text?: string; values?: unknown[] };
  const text = typeof config === 'string' ? config : config?.text ?? '';
  if (text.includes('pg_notify')) {
    const values = typeof config === 'object' && config.values ? config.values : a[1];
    announced.set(this, [...String(values).matchAll(messageIds)].map((m) => m[1]));
  } else if (/^\s*commit\s*;?\s*$/i.test(text)) {
    const ids = announced.get(this);
    if (ids) { const t = clock(); for (const id of ids) commitSent.set(id, t); announced.delete(this); }
  }
  return query.apply(this, a);
};

async function main() {
  const app = await createPlatform({ open: { url: args.url, poolSize: 10 }, log: createLogger('warn') });
  const server = await startServer(app, { port: args.port, host: '127.0.0.1', secureCookies: false });
  process.on('message', async (m: { cmd: string }) => {
    if (m.cmd === 'report') process.send!({ committedAt: [...commitSent.entries()] });
    if (m.cmd === 'stop') {
      await server.close();
      await app.close();
      process.send!({ stopped: true }, () => process.exit(0));
    }
  });
  process.send!({ ready: `http://127.0.0.1:${args.port}` });
}

main().catch((err) => process.send!({ error: String(err?.stack ?? err) }, () => process.exit(1)));
