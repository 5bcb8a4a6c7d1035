import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type Series = { label: string; color: string; values: (number | null)[]; scale?: string; format?: (v: number) => string };

/** A small uPlot line chart over days (x: UTC midnights in seconds). Redraws when the data changes, resizes with its box. */
export function TimeChart({ days, series, height = 220, title }: { days: string[]; series: Series[]; height?: number; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || !days.length) return;
    const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const scales = [...new Set(series.map((s) => s.scale ?? 'y'))];
    const plot = new uPlot({
      width: el.clientWidth || 600, height,
      scales: { x: { time: true } },
      axes: [{}, ...scales.map((s, i) => ({ scale: s, side: i === 0 ? 3 : 1, grid: { show: i === 0 } }))],
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, scale: s.scale ?? 'y', spanGaps: true, value: (_u: uPlot, v: number | null) => (v === null ? '–' : s.format ? s.format(v) : String(v)) }))],
    }, [xs, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height }));
    ro.observe(el);
    return () => { ro.disconnect(); plot.destroy(); };
  }, [JSON.stringify(days), JSON.stringify(series.map((s) => s.values)), height]);
  return (
    <figure className="insights-chart" aria-label={title}>
      {days.length ? <div ref={box} /> : <p className="muted">No data in this period.</p>}
    </figure>
  );
}
