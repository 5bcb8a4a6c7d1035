import { useEffect, useState } from 'react';
import { api } from '../../api.ts';
import { useInsightsLive } from './insights-data.ts';

export type SlaClock = { conversationId: string; firstResponseDueAt: string | null; nextResponseDueAt: string | null; resolutionDueAt: string | null; breached: boolean };

/** The running SLA clocks of these conversations, refetched when the facts change. */
export function useSlaClocks(ids: string[] | undefined): Map<string, SlaClock> {
  const [clocks, setClocks] = useState(new Map<string, SlaClock>());
  const [gen, setGen] = useState(0);
  const key = (ids ?? []).slice(0, 200).join(',');
  useEffect(() => {
    if (!key) return;
    const ctrl = new AbortController();
    api<{ data: SlaClock[] }>(`/insights/sla-clocks?ids=${key}`, { signal: ctrl.signal })
      .then((r) => setClocks(new Map(r.data.map((c) => [c.conversationId, c])))).catch(() => { /* countdowns are a hint: the inbox works without them */ });
    return () => ctrl.abort();
  }, [key, gen]);
  useInsightsLive(() => setGen((g) => g + 1), 1000);
  return clocks;
}

/** Ticks every `ms`, re-rendering the caller. */
function useTick(ms: number) {
  const [, set] = useState(0);
  useEffect(() => { const t = setInterval(() => set((n) => n + 1), ms); return () => clearInterval(t); }, [ms]);
}

const labels = { firstResponseDueAt: 'First response', nextResponseDueAt: 'Next response', resolutionDueAt: 'Resolution' } as const;

/** The nearest SLA due instant as a countdown ("reply in 42 min"), red once breached. */
export function SlaCountdown({ clock }: { clock: SlaClock | undefined }) {
  useTick(15_000);
  if (!clock) return null;
  const next = (Object.keys(labels) as (keyof typeof labels)[]).filter((k) => clock[k]).map((k) => ({ k, at: Date.parse(clock[k]!) })).sort((a, b) => a.at - b.at)[0];
  if (!next && !clock.breached) return null;
  if (!next) return <span className="sla-clock sla-clock-breached" data-testid="sla-clock" title="An SLA target was missed">SLA breached</span>;
  const left = next.at - Date.now();
  const mins = Math.round(Math.abs(left) / 60_000);
  const text = mins >= 120 ? `${Math.round(mins / 60)} h` : `${mins} min`;
  const cls = left < 0 ? 'sla-clock-breached' : left < 3_600_000 ? 'sla-clock-soon' : '';
  return (
    <span className={`sla-clock ${cls}`} data-testid="sla-clock" title={`${labels[next.k]} due ${new Date(next.at).toLocaleString()} (business hours)`}>
      {labels[next.k]} {left < 0 ? `overdue ${text}` : `in ${text}`}
    </span>
  );
}
