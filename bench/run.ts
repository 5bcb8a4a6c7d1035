// npm run bench [-- --quick] [-- --only=ceiling,ingest,read,realtime,channels,status,understanding,start,inbox,insights]
// PGlite by default; PostgreSQL when DATABASE_URL is set. Every run uses a database it creates
// and drops. Prints one table and writes bench/results.json. See docs/PERFORMANCE.md.
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import type { Platform } from '../src/platform/platform.ts';
import { scratchDatabase, openBenchPlatform, serverVersion, type Scratch } from './database.ts';
import { fig, formatTable, na, progress, writeResults, type Figure } from './report.ts';
import { measureCeiling, type Ceiling } from './ceiling.ts';
import { measureIngest } from './ingest.ts';
import { startBenchServer } from './server.ts';
import { measureRead } from './read.ts';
import { measureStatus } from './status.ts';
import { measureRealtime } from './realtime.ts';
import { measureChannels } from './channels.ts';
import { measureStart } from './start.ts';
import { measureMemory } from './memory.ts';
import { measureInbox } from './inbox.ts';
import { measureReasons } from './reasons.ts';
import { measureLabelling } from './labelling.ts';
import { measureInsights } from './insights.ts';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const only = argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const wants = (part: string) => !only || only.includes(part);
const serverUrl = process.env.DATABASE_URL || undefined;
const div = quick ? 10 : 1;

/** The whole run must fit in 15 minutes on a 2-core machine; the large inbox is the only size that adapts (see below). */
const BUDGET_S = 15 * 60;
const sizes = {
  ceilingSeconds: 5,
  ingest: [{ messages: 2000 / div, customers: 400 / div }, { messages: 20_000 / div, customers: 4000 / div }],
  /** Inbound requests in flight at once (a burst of webhooks); never two of one sender, see ingest.ts. */
  callers: 1000,
  readSeconds: quick ? 5 : 20,
  /** Each of the six status runs (static ceiling, snapshot, snapshot while updating; JSON and page). */
  statusSeconds: quick ? 2 : 5,
  realtime: { rate: 1000, seconds: quick ? 3 : 10 },
  /** Per channel kind (7 of them): signed webhooks in flight at once, seconds measured after a 0.5 s warm-up. */
  channels: { concurrency: 32, seconds: quick ? 2 : 5 },
  memoryMessages: 100_000 / div,
  memoryCapSeconds: quick ? 30 : 150,
  labelling: { messages: 20_000 / div, stored: 10_000 / div },
  /** The dashboards: conversations (with facts) in one workspace; the load stops at the cap and says so. */
  insights: { conversations: 1_000_000 / div, capSeconds: quick ? 60 : 180 },
  inbox: [{ conversations: 20_000 / div, messages: 100_000 / div }, { conversations: 200_000 / div, messages: 1_000_000 / div }],
};

/**
 * The large inbox is loaded last. If, at the load rate the small one reached, it would not finish
 * inside the run's budget (PGlite on a busy 2-core box), it is made smaller to fit, and the table
 * says so. Sizes stay multiples of 50,000 messages at 5 per conversation.
 */
function fitInbox(size: { conversations: number; messages: number }, rowsPerSecond: number, rowsPerMessage: number, elapsedS: number) {
  const projected = (m: number) => ((m * rowsPerMessage) / rowsPerSecond) * 1.25 + 30;
  const left = BUDGET_S - elapsedS - 30;
  if (quick || projected(size.messages) <= left) return { size, note: '' };
  let m = size.messages;
  while (m > 100_000 && projected(m) > left) m -= 50_000;
  return {
    size: { messages: m, conversations: m / 5 },
    note: `reduced from ${size.messages.toLocaleString('en-US')} messages: at ${Math.round(rowsPerSecond).toLocaleString('en-US')} rows/s the full load (~${Math.round(projected(size.messages))} s) would not fit the ${BUDGET_S / 60}-minute run`,
  };
}

const cleanups: (() => Promise<void>)[] = [];
async function cleanup() {
  while (cleanups.length) await cleanups.pop()!().catch((err) => progress(`cleanup failed: ${err}`));
}
process.on('SIGINT', () => { progress('interrupted: dropping the bench databases'); void cleanup().then(() => process.exit(130)); });

/** Runs one part; a failure becomes an n/a row with the reason instead of ending the run. */
async function part(figures: Figure[], name: string, unit: string, f: () => Promise<Figure[]>) {
  const t0 = performance.now();
  try {
    figures.push(...(await f()));
  } catch (err) {
    progress(`${name} failed: ${(err as Error).stack ?? err}`);
    figures.push(na(name, unit, String((err as Error).message ?? err).split('\n')[0].slice(0, 300)));
  }
  progress(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function main() {
  const t0 = performance.now();
  const figures: Figure[] = [];
  const scratch: Scratch = await scratchDatabase(serverUrl);
  cleanups.push(() => scratch.drop());
  progress(`bench database: ${scratch.kind} ${scratch.label}${quick ? ' (quick: 10× smaller sizes)' : ''}`);
  const app: Platform = await openBenchPlatform(scratch);
  cleanups.push(() => app.close());
  const version = await serverVersion(app);
  const db = scratch.kind;

  let ceiling: Ceiling | undefined;
  if (wants('ceiling')) await part(figures, 'ceiling', 'rows/s', async () => (ceiling = await measureCeiling(app, scratch.url, sizes.ceilingSeconds)).figures);
  if (wants('ingest')) await part(figures, 'ingest', 'msg/s', async () => {
    const base = ceiling ? (db === 'postgres' ? ceiling.eight : ceiling.one) : NaN;
    return measureIngest(app, sizes.ingest, sizes.callers, base, db === 'postgres' ? 'the 8-connection INSERT ceiling' : 'the 1-connection INSERT ceiling (PGlite)');
  });
  if (wants('read') || wants('realtime') || wants('channels') || wants('status')) {
    const server = await startBenchServer(app);
    cleanups.push(() => server.close());
    if (wants('read')) await part(figures, 'read', 'ms', () => measureRead(app, server.url, sizes.readSeconds));
    if (wants('realtime')) await part(figures, 'realtime', 'ms', () => measureRealtime(app, { url: scratch.url, server, ...sizes.realtime }));
    if (wants('channels')) await part(figures, 'channels', 'msg/s', () => measureChannels(app, server, sizes.channels));
    if (wants('status')) await part(figures, 'status', 'req/s', () => measureStatus(app, server, sizes.statusSeconds));
    await cleanups.pop()!();
  }
  if (wants('understanding')) await part(figures, 'understanding', 'msg/s', () => measureLabelling(app, sizes.labelling));
  if (wants('reasons')) await part(figures, 'reasons', 's', () => measureReasons());
  if (wants('start')) await part(figures, 'start', 'ms', async () => {
    const s = await measureStart(serverUrl);
    cleanups.push(() => s.scratch.drop());
    const mem = await measureMemory(s.scratch, s.demo, sizes.memoryMessages, sizes.memoryCapSeconds).catch((err) => {
      progress(`memory failed: ${err.stack ?? err}`);
      return [na('memory.rss.growth', 'MB', String(err.message).split('\n')[0].slice(0, 300))];
    });
    await cleanups.pop()!();
    return [...s.figures, ...mem];
  });
  if (wants('inbox')) {
    let fit = { rowsPerSecond: NaN, rowsPerMessage: NaN };
    for (const [i, planned] of sizes.inbox.entries()) {
      const { size, note } = i === 0 || !Number.isFinite(fit.rowsPerSecond) ? { size: planned, note: '' } : fitInbox(planned, fit.rowsPerSecond, fit.rowsPerMessage, (performance.now() - t0) / 1000);
      if (note) progress(`inbox: ${note}`);
      await part(figures, 'inbox', 'ms', async () => { const r = await measureInbox(app, size, note); fit = r; return r.figures; });
    }
  }
  if (wants('insights')) await part(figures, 'insights', 'ms', () => measureInsights(app, sizes.insights.conversations, sizes.insights.capSeconds));
  await cleanup();
  const total = (performance.now() - t0) / 1000;
  figures.push(fig('run.total', total, 's', `whole run${quick ? ' (--quick)' : ''}: create database, every figure above, drop database`));
  const header = `Candor bench — ${version} (${db === 'postgres' ? scratch.label : 'temp data dir'}), ${quick ? 'QUICK (10× smaller)' : 'full sizes'}, ` +
    `Node ${process.version}, ${cpus().length} cores, ${new Date().toISOString().slice(0, 16)}Z`;
  console.log(`\n${header}\n\n${formatTable(db, figures)}\n`);
  const out = fileURLToPath(new URL('./results.json', import.meta.url));
  writeResults(out, db, figures);
  progress(`wrote ${out}`);
}

main().then(() => process.exit(0), async (err) => {
  console.error(err);
  await cleanup();
  process.exit(1);
});
