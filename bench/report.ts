import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** One printed figure. value null = could not be measured; note says why, or what was timed. */
export type Figure = { name: string; value: number | null; unit: string; ratio?: number; note: string };
export type DbKind = 'postgres' | 'pglite';

export const fig = (name: string, value: number | null, unit: string, note: string, ratio?: number): Figure =>
  ({ name, value, unit, note, ...(ratio === undefined || !Number.isFinite(ratio) ? {} : { ratio }) });

/** A figure that could not be measured: printed as n/a with the reason. Never a made-up number. */
export const na = (name: string, unit: string, reason: string): Figure => ({ name, value: null, unit, note: `n/a: ${reason}` });

/** Nearest-rank percentile of unsorted samples (ms). */
export function percentile(samples: ArrayLike<number>, p: number): number {
  if (!samples.length) return NaN;
  const s = Float64Array.from(samples).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** Progress lines go to stderr so the table on stdout stays clean. */
export const progress = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

function fmtValue(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return 'n/a';
  if (Math.abs(v) >= 100) return fmtInt(v);
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** The one table: name, value, unit, ratio (where there is one), and what was timed. */
export function formatTable(db: string, figures: Figure[]): string {
  const rows = figures.map((f) => [f.name, fmtValue(f.value), f.unit, f.ratio === undefined ? '' : `${f.ratio.toFixed(2)}×`, f.note]);
  const head = ['figure', 'value', 'unit', 'ratio', `what was timed  [db: ${db}]`];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const width = (i: number) => (i === 4 ? 0 : widths[i]);
  const line = (r: string[]) => r.map((c, i) => (i === 1 || i === 3 ? c.padStart(width(i)) : c.padEnd(width(i)))).join('  ').trimEnd();
  return [line(head), widths.slice(0, 4).map((w) => '-'.repeat(w)).join('  ') + '  ' + '-'.repeat(20), ...rows.map(line)].join('\n');
}

/** Writes bench/results.json: this run's figures replace the previous ones for the same db; the other db's stay. */
export function writeResults(path: string, db: DbKind, figures: Figure[]): void {
  let previous: Record<string, unknown>[] = [];
  if (existsSync(path)) {
    try { previous = (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>[]).filter((r) => r.db !== db); } catch { previous = []; }
  }
  const rows = figures.map((f) => ({ name: f.name, value: f.value, unit: f.unit, ...(f.ratio === undefined ? {} : { ratio: Number(f.ratio.toFixed(4)) }), db, note: f.note }));
  writeFileSync(path, JSON.stringify([...previous, ...rows], null, 2) + '\n');
}
