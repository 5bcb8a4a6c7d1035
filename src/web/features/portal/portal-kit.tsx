import type { ReactNode } from 'react';
import type { Loaded } from '../../use-api.ts';

/** Shows a loading line or the error of a useApi result, else its content. */
export function Await<T>({ r, children, label = 'Loading…' }: { r: Loaded<T>; children: (data: T) => ReactNode; label?: string }) {
  if (r.error) return <p className="alert alert-error" role="alert">{r.error} <button className="button button-small" onClick={r.reload}>Retry</button></p>;
  if (r.data === undefined) return <p className="muted" role="status">{label}</p>;
  return <>{children(r.data)}</>;
}

export function Card({ title, children, action, tone, testId }: { title: string; children: ReactNode; action?: ReactNode; tone?: 'ok' | 'warn' | 'bad'; testId?: string }) {
  return (
    <section className={`p-card${tone ? ` p-card-${tone}` : ''}`} data-testid={testId}>
      <div className="p-card-head"><h2>{title}</h2>{action}</div>
      {children}
    </section>
  );
}

const stateWords: Record<string, [string, 'ok' | 'warn' | 'bad']> = {
  operational: ['Working normally', 'ok'], degraded: ['Slower than usual', 'warn'], maintenance: ['Maintenance', 'warn'], outage: ['Outage', 'bad'], no_service: ['No service', 'bad'],
};
export const stateTone = (s: string) => stateWords[s]?.[1] ?? 'warn';
export function StateBadge({ state }: { state: string }) {
  const [label, tone] = stateWords[state] ?? [state, 'warn'];
  return <span className={`p-badge p-badge-${tone}`}>{label}</span>;
}

/** A bar from 0 to max, with the value's share filled (over 100% shows as full and marked). */
export function Meter({ value, max, label }: { value: number; max: number; label: string }) {
  const pct = max > 0 ? Math.min(100, (value / max) * 100) : 0;
  return (
    <div className="p-meter" role="meter" aria-valuemin={0} aria-valuemax={max} aria-valuenow={value} aria-label={label}>
      <div className={`p-meter-fill${value > max ? ' p-meter-over' : ''}`} style={{ width: `${pct}%` }} />
    </div>
  );
}

export function Check({ ok, title, children }: { ok: boolean; title: string; children: ReactNode }) {
  return (
    <li className={`p-check p-check-${ok ? 'ok' : 'bad'}`}>
      <span className="p-check-mark" aria-hidden="true">{ok ? '✓' : '!'}</span>
      <div><strong>{title}</strong><div>{children}</div></div>
    </li>
  );
}
