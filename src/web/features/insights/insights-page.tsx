import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api.ts';
import { useApi } from '../../use-api.ts';
import { fmtCount, fmtMoney, fmtScore, fmtSeconds, fmtShare, metricUrl, useInsightsLive, useMetrics, type GroupBy, type MetricResult, type MetricRow, type Now, type Period } from './insights-data.ts';
import { TimeChart } from './time-chart.tsx';
import { Scorecards } from './scorecards.tsx';

const DAY = 86_400_000;
const periods = [{ days: 7, label: 'Last 7 days' }, { days: 30, label: 'Last 30 days' }, { days: 90, label: 'Last 90 days' }];
const groupBys: { value: GroupBy; label: string }[] = [
  { value: 'channel', label: 'Channel' }, { value: 'team', label: 'Team' }, { value: 'agent', label: 'Agent' }, { value: 'area', label: 'Service area' }, { value: 'reason', label: 'Contact reason' },
];

/** The supervisor's dashboards: live now-panel, period figures by dimension, outcomes with revenue, scorecards. */
export function InsightsPage() {
  const [days, setDays] = useState(30);
  const [groupBy, setGroupBy] = useState<GroupBy>('channel');
  // The period ends at the next hour boundary so live refetches keep the same window.
  const period = useMemo<Period>(() => {
    const to = Math.ceil(Date.now() / 3_600_000) * 3_600_000;
    return { from: new Date(to - days * DAY).toISOString(), to: new Date(to).toISOString() };
  }, [days]);
  return (
    <div className="page page-wide insights" data-testid="insights-page">
      <div className="insights-head">
        <h1>Insights</h1>
        <label>Period{' '}
          <select value={days} onChange={(e) => setDays(Number(e.target.value))} aria-label="Period">
            {periods.map((p) => <option key={p.days} value={p.days}>{p.label}</option>)}
          </select>
        </label>
      </div>
      <NowPanel />
      <Trend period={period} />
      <section className="card" aria-labelledby="figures-title">
        <div className="card-head">
          <h2 id="figures-title">Service figures</h2>
          <label>By{' '}
            <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as GroupBy)} aria-label="Group figures by">
              {groupBys.map((g) => <option key={g.value} value={g.value}>{g.label}</option>)}
            </select>
          </label>
        </div>
        <Figures period={period} groupBy={groupBy} />
      </section>
      <Outcomes period={period} />
      <Scorecards period={period} />
    </div>
  );
}

function NowPanel() {
  const now = useApi<Now>('/insights/now');
  useInsightsLive(now.reload, 150);
  // Presence and the oldest wait change without an event: read them again every 20 s.
  useEffect(() => { const t = setInterval(now.reload, 20_000); return () => clearInterval(t); }, [now.reload]);
  const d = now.data;
  const tiles: [string, string, string][] = d ? [
    ['open', 'Open', fmtCount(d.open)], ['waiting', 'Waiting on us', fmtCount(d.waiting)], ['oldest', 'Oldest wait', fmtSeconds(d.oldestWaitingSeconds)],
    ['agents', 'Agents online', fmtCount(d.agentsOnline)], ['breaches', 'SLA due within 1 h', fmtCount(d.breachesNextHour)],
  ] : [];
  return (
    <section className="card now-panel" aria-labelledby="now-title">
      <h2 id="now-title">Now <span className="live-note muted">live</span></h2>
      {now.error && <p className="alert alert-error" role="alert">{now.error}</p>}
      <div className="tiles">
        {tiles.map(([id, label, value]) => (
          <div key={id} className={`tile${id === 'breaches' && d!.breachesNextHour > 0 ? ' tile-warn' : ''}`}>
            <div className="tile-value" data-testid={`now-${id}`}>{value}</div>
            <div className="tile-label">{label}</div>
          </div>
        ))}
      </div>
    </section>
  );
}

/** "?" next to a figure: its definition, one click away. */
export function Definition({ name, text }: { name: string; text?: string }) {
  if (!text) return null;
  return (
    <details className="definition">
      <summary aria-label={`Definition of ${name}`} title={`Definition of ${name}`}>?</summary>
      <p>{text}</p>
    </details>
  );
}

export function Csv({ metric, period, groupBy }: { metric: string; period: Period; groupBy?: GroupBy | null }) {
  return <a className="csv-link" href={metricUrl(metric, period, groupBy, 'csv')} download title={`Download ${metric} as CSV`}>CSV</a>;
}

function Trend({ period }: { period: Period }) {
  const { data } = useMetrics(['sentiment_trend'], period, null);
  // Every day of the period, zero where nobody wrote (one point per day, so the axis is the period).
  const byDay = new Map((data.sentiment_trend?.rows ?? []).map((r) => [String(r.day), r]));
  const days: string[] = [];
  for (let d = Date.parse(period.from.slice(0, 10)); d < Date.parse(period.to); d += DAY) days.push(new Date(d).toISOString().slice(0, 10));
  const rows = days.map((day) => ({ day, contacts: Number(byDay.get(day)?.contacts ?? 0), meanSentiment: (byDay.get(day)?.meanSentiment ?? null) as number | null }));
  return (
    <section className="card" aria-labelledby="trend-title">
      <div className="card-head">
        <h2 id="trend-title">Contacts and sentiment per day <Definition name="sentiment trend" text={data.sentiment_trend?.definition} /></h2>
        <Csv metric="sentiment_trend" period={period} />
      </div>
      <TimeChart title="Contacts and mean sentiment per day" days={data.sentiment_trend ? days : []} series={[
        { label: 'Contacts', color: '#2f6fde', values: rows.map((r) => r.contacts) },
        { label: 'Mean sentiment', color: '#d9822b', scale: 's', values: rows.map((r) => r.meanSentiment), format: (v) => v.toFixed(2) },
      ]} />
    </section>
  );
}

type Column = { metric: string; title: string; cell(r: MetricRow | undefined): string };
const figureColumns: Column[] = [
  { metric: 'contacts', title: 'Contacts', cell: (r) => fmtCount(r?.contacts) },
  { metric: 'first_response_time', title: 'First response (median / p90)', cell: (r) => r ? `${fmtSeconds(r.medianSeconds as number)} / ${fmtSeconds(r.p90Seconds as number)}` : '–' },
  { metric: 'resolution_time', title: 'Resolution (median / p90)', cell: (r) => r ? `${fmtSeconds(r.medianSeconds as number)} / ${fmtSeconds(r.p90Seconds as number)}` : '–' },
  { metric: 'sla_attainment', title: 'SLA attainment', cell: (r) => fmtShare(r?.attainment) },
  { metric: 'repeat_contact_rate', title: 'Repeat contacts', cell: (r) => fmtShare(r?.rate) },
  { metric: 'first_contact_resolution', title: 'First-contact resolution', cell: (r) => fmtShare(r?.rate) },
  { metric: 'csat', title: 'CSAT', cell: (r) => fmtScore(r?.value) },
  { metric: 'nps', title: 'NPS', cell: (r) => fmtScore(r?.value, 0) },
  { metric: 'ces', title: 'CES', cell: (r) => fmtScore(r?.value) },
  { metric: 'contacts_per_1000_customers', title: 'Per 1,000 customers', cell: (r) => fmtCount(r?.per1000) },
];

/** Rows of several metrics joined on their group key. */
export function joinRows(data: Record<string, MetricResult>, metrics: string[]) {
  const keys = new Map<string, string>();
  for (const m of metrics) for (const r of data[m]?.rows ?? []) keys.set(r.key ?? '', r.label ?? 'None');
  const by = (m: string, k: string) => data[m]?.rows.find((r) => (r.key ?? '') === k);
  return [...keys].map(([key, label]) => ({ key, label, get: (m: string) => by(m, key) }));
}

function Figures({ period, groupBy }: { period: Period; groupBy: GroupBy }) {
  const metrics = figureColumns.map((c) => c.metric);
  const { data, error } = useMetrics(metrics, period, groupBy);
  const rows = joinRows(data, metrics).sort((a, b) => Number(b.get('contacts')?.contacts ?? 0) - Number(a.get('contacts')?.contacts ?? 0));
  const surveysMissing = data.csat && !data.csat.available;
  return (
    <>
      {error && <p className="alert alert-error" role="alert">{error}</p>}
      <div className="table-scroll">
        <table className="table figures" data-testid="figures-table">
          <thead><tr><th>{groupBys.find((g) => g.value === groupBy)?.label}</th>
            {figureColumns.map((c) => <th key={c.metric}>{c.title} <Definition name={c.title} text={data[c.metric]?.definition} /> <Csv metric={c.metric} period={period} groupBy={groupBy} /></th>)}
          </tr></thead>
          <tbody>
            {rows.map((r) => <tr key={r.key}><th>{r.label}</th>{figureColumns.map((c) => <td key={c.metric}>{c.cell(r.get(c.metric))}</td>)}</tr>)}
            {!rows.length && <tr><td colSpan={figureColumns.length + 1} className="muted">No conversations in this period.</td></tr>}
          </tbody>
        </table>
      </div>
      {surveysMissing && <p className="muted small">CSAT, NPS and CES fill in once surveys are sent (their answers are read from survey responses).</p>}
      <Deflection period={period} />
    </>
  );
}

function Deflection({ period }: { period: Period }) {
  const { data } = useMetrics(['deflection', 'rising_reasons'], period, null, 10_000);
  const d = data.deflection;
  const rising = (data.rising_reasons?.rows ?? []).filter((r) => r.key).slice(0, 5);
  return (
    <div className="figure-row">
      <div>
        <h3>Self-service deflection <Definition name="deflection" text={d?.definition} /></h3>
        <p>{d && !d.available ? <span className="muted">Measured once the portal records self-service journeys.</span> : fmtShare(d?.rows[0]?.rate)}</p>
      </div>
      <div>
        <h3>Top rising contact reasons <Definition name="rising reasons" text={data.rising_reasons?.definition} /> <Csv metric="rising_reasons" period={period} /></h3>
        <ol className="rising" data-testid="rising-reasons">
          {rising.map((r) => <li key={r.key}>{r.label} <span className={Number(r.rise) > 0 ? 'up' : 'muted'}>{Number(r.rise) > 0 ? `+${r.rise}` : String(r.rise)}</span> <span className="muted">({r.contacts})</span></li>)}
        </ol>
      </div>
    </div>
  );
}

function Outcomes({ period }: { period: Period }) {
  const [groupBy, setGroupBy] = useState<GroupBy>('reason');
  const { data } = useMetrics(['outcomes'], period, groupBy, 10_000);
  const o = data.outcomes;
  const rows = [...(o?.rows ?? [])].sort((a, b) => Number(b.revenueLostCents ?? 0) + Number(b.revenueAtRiskCents ?? 0) - Number(a.revenueLostCents ?? 0) - Number(a.revenueAtRiskCents ?? 0));
  const total = (k: string) => rows.reduce((s, r) => s + Number(r[k] ?? 0), 0);
  return (
    <section className="card" aria-labelledby="outcomes-title">
      <div className="card-head">
        <h2 id="outcomes-title">Outcomes: did they stay? <Definition name="outcomes" text={o?.definition} /></h2>
        <label>By{' '}
          <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as GroupBy)} aria-label="Group outcomes by">
            {groupBys.filter((g) => g.value !== 'agent').map((g) => <option key={g.value} value={g.value}>{g.label}</option>)}
          </select>
        </label>
        <Csv metric="outcomes" period={period} groupBy={groupBy} />
      </div>
      <p className="outcome-totals">Revenue lost <strong data-testid="revenue-lost">{fmtMoney(total('revenueLostCents'))}</strong>/month · at risk <strong>{fmtMoney(total('revenueAtRiskCents'))}</strong>/month · {fmtCount(total('customers'))} customers contacted</p>
      <table className="table">
        <thead><tr><th>{groupBys.find((g) => g.value === groupBy)?.label}</th><th>Customers</th><th>Stayed</th><th>Churn</th><th>Returned</th><th>Told someone</th><th>Revenue lost /mo</th><th>At risk /mo</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key ?? ''}><th>{r.label ?? 'None'}</th><td>{fmtCount(r.customers)}</td><td>{fmtShare(r.stayRate)}</td><td>{fmtShare(r.churnRate)}</td>
              <td>{fmtShare(r.returnRate)}</td><td className="muted">–</td><td>{fmtMoney(r.revenueLostCents)}</td><td>{fmtMoney(r.revenueAtRiskCents)}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export async function saveInsightsSettings(body: object) {
  return api('/insights/settings', { method: 'PUT', body });
}
