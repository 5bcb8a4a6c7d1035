import { useEffect, useRef, useState } from 'react';
import { api } from '../../api.ts';
import { useLiveTopic } from '../../realtime.ts';

export type MetricRow = { key: string | null; label: string | null; [k: string]: number | string | null };
export type MetricResult = { metric: string; definition: string; from: string; to: string; groupBy: string | null; available: boolean; rows: MetricRow[] };
export type Now = { open: number; waiting: number; oldestWaitingSeconds: number; agentsOnline: number; breachesNextHour: number; at: string };
export type GroupBy = 'channel' | 'team' | 'agent' | 'area' | 'reason';
export type Period = { from: string; to: string };

export const metricUrl = (metric: string, p: Period, groupBy?: GroupBy | null, format?: 'csv') =>
  `/api/v1/insights/${metric}?from=${encodeURIComponent(p.from)}&to=${encodeURIComponent(p.to)}${groupBy ? `&groupBy=${groupBy}` : ''}${format ? `&format=${format}` : ''}`;

/** Calls `reload` when the facts behind the figures change (the `insights` topic), at most every `ms`. */
export function useInsightsLive(reload: () => void, ms = 250) {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useLiveTopic('insights', () => {
    if (timer.current) return;
    timer.current = setTimeout(() => { timer.current = undefined; reload(); }, ms);
  });
  useEffect(() => () => clearTimeout(timer.current), []);
}

/** Several metrics for one period and grouping, fetched together and refetched live. */
export function useMetrics(metrics: string[], period: Period, groupBy: GroupBy | null, liveMs = 2000) {
  const [data, setData] = useState<Record<string, MetricResult>>({});
  const [error, setError] = useState<string | null>(null);
  const [gen, setGen] = useState(0);
  useEffect(() => {
    const ctrl = new AbortController();
    Promise.all(metrics.map((m) => api<MetricResult>(metricUrl(m, period, groupBy).replace('/api/v1', ''), { signal: ctrl.signal })))
      .then((rs) => { if (!ctrl.signal.aborted) { setData(Object.fromEntries(rs.map((r) => [r.metric, r]))); setError(null); } })
      .catch((err) => { if (!ctrl.signal.aborted) setError(String(err.message ?? err)); });
    return () => ctrl.abort();
  }, [metrics.join(','), period.from, period.to, groupBy, gen]);
  useInsightsLive(() => setGen((g) => g + 1), liveMs);
  return { data, error };
}

export const fmtSeconds = (s: number | null | undefined) => {
  if (s === null || s === undefined) return '–';
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86_400) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86_400).toFixed(1)} d`;
};
export const fmtShare = (v: unknown) => (v === null || v === undefined ? '–' : `${(Number(v) * 100).toFixed(1)}%`);
export const fmtScore = (v: unknown, digits = 1) => (v === null || v === undefined ? '–' : Number(v).toFixed(digits));
export const fmtMoney = (cents: unknown) => (cents === null || cents === undefined ? '–' : `€${(Number(cents) / 100).toLocaleString('en', { maximumFractionDigits: 0 })}`);
export const fmtCount = (v: unknown) => (v === null || v === undefined ? '–' : Number(v).toLocaleString('en', { maximumFractionDigits: 1 }));
