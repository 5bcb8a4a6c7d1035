import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Platform } from '../src/platform/platform.ts';
import { upsertServiceArea } from '../src/domains/billing/index.ts';
import { createIncident, postIncidentUpdate } from '../src/domains/status/index.ts';
import { defaultWebDir } from '../src/http/app.ts';
import { fig, percentile, progress, type Figure } from './report.ts';
import { benchWorkspace } from './workspace.ts';
import { runClient } from './proc.ts';
import type { BenchServer } from './server.ts';

type Result = { latencies: number[]; errors: number; seconds: number; bytes: number };
const H = 3_600_000;

/**
 * The public status page under a surge: requests per second for /status/{slug}/api/v2/summary.json
 * and /status/{slug} from 50 keep-alive clients in a child process on loopback, against a static
 * file of the same size served by the same server (its /assets static handler) as the ceiling, in
 * the same run; then the same while an incident is updated every second (each update rebuilds
 * the snapshot once; requests meanwhile wait for it or get the previous one).
 */
export async function measureStatus(app: Platform, server: BenchServer, seconds: number, concurrency = 50): Promise<Figure[]> {
  if (!existsSync(join(defaultWebDir, 'index.html'))) throw new Error('the web app is not built (npm run build:web): no static handler to compare with');
  const w = await benchWorkspace(app, 'status');
  const areas = [];
  for (let i = 0; i < 8; i++) areas.push(await upsertServiceArea({ ctx: w.ctx, input: { code: `area-${i}`, name: `Area ${i}`, region: 'Bench' } }));
  for (let i = 0; i < 9; i++) {
    const started = Date.now() - (80 - i * 9) * 24 * H;
    const inc = await createIncident({ ctx: w.ctx, input: { name: `Outage ${i}`, impact: i % 3 ? 'major' : 'critical', body: 'No service in the area.', areaIds: [areas[i % 8].id], notify: false, startedAt: new Date(started).toISOString() } });
    await postIncidentUpdate({ ctx: w.ctx, id: inc.id, input: { status: 'identified', body: 'A cable cut; engineers on site.', notify: false, at: new Date(started + H / 2).toISOString() } });
    await postIncidentUpdate({ ctx: w.ctx, id: inc.id, input: { status: 'resolved', body: 'Repaired.', notify: false, at: new Date(started + 3 * H).toISOString() } });
  }
  const live = await createIncident({ ctx: w.ctx, input: { name: 'Outage now', impact: 'critical', body: 'Down.', areaIds: [areas[0].id], notify: false } });
  const base = `${server.url}/status/${w.slug}`;
  const targets = [{ name: 'summary', path: '/api/v2/summary.json', ext: 'json' }, { name: 'page', path: '', ext: 'html' }];
  const dir = join(defaultWebDir, 'assets');
  mkdirSync(dir, { recursive: true });
  const run = (url: string) => runClient<Result>('http-public', { url, concurrency, durationMs: seconds * 1000, warmupMs: 1500 }, progress);
  const figures: Figure[] = [];
  try {
    for (const t of targets) {
      const body = await (await fetch(`${base}${t.path}`)).text();
      const file = `bench-status-${t.name}.${t.ext}`;
      writeFileSync(join(dir, file), body);
      progress(`status: ${t.name} (${Math.round(body.length / 1024)} kB): static ceiling, then the snapshot, ${concurrency} clients × ${seconds} s each`);
      const ceiling = await run(`${server.url}/assets/${file}`);
      const quiet = await run(`${base}${t.path}`);
      let n = 0;
      const timer = setInterval(() => {
        n++;
        void postIncidentUpdate({ ctx: w.ctx, id: live.id, input: { status: n % 2 ? 'monitoring' : 'identified', body: `Update ${n}: still working on it.`, notify: false } })
          .catch((err) => progress(`status: update failed: ${err}`));
      }, 1000);
      const busy = await run(`${base}${t.path}`).finally(() => clearInterval(timer));
      if (quiet.errors || busy.errors || ceiling.errors) throw new Error(`status ${t.name}: ${quiet.errors + busy.errors + ceiling.errors} responses were not 200`);
      const rps = (r: Result) => r.latencies.length / r.seconds;
      const what = `GET /status/{slug}${t.path} (${Math.round(body.length / 1024)} kB), ${concurrency} keep-alive clients in a child process, ${seconds} s`;
      figures.push(
        fig(`status.${t.name}.static`, rps(ceiling), 'req/s', `ceiling: the same bytes as a static file from the same server (/assets), same clients`),
        fig(`status.${t.name}.rps`, rps(quiet), 'req/s', `${what}; vs the static file`, rps(quiet) / rps(ceiling)),
        fig(`status.${t.name}.p99`, percentile(quiet.latencies, 99), 'ms', what),
        fig(`status.${t.name}.updating.rps`, rps(busy), 'req/s', `${what}, an incident updated every second (${n} updates); vs the static file`, rps(busy) / rps(ceiling)),
        fig(`status.${t.name}.updating.p99`, percentile(busy.latencies, 99), 'ms', `${what}, while updating`),
      );
    }
  } finally {
    for (const t of targets) rmSync(join(dir, `bench-status-${t.name}.${t.ext}`), { force: true });
  }
  return figures;
}
