import { useApi } from '../../use-api.ts';
import { day, type Usage } from './portal-api.ts';
import { Await, Card, Meter } from './portal-kit.tsx';

/** Daily use this month as a bar chart, the month to date against the cap, and where the month is heading. */
export function UsagePage() {
  const r = useApi<Usage>('/me/usage');
  return (
    <section className="p-page">
      <h1>My usage</h1>
      <Await r={r}>{(u) => {
        const max = Math.max(1, ...u.days.map((d) => d.totalGb));
        return <>
          <Card title={`This month (${u.month})`}>
            <p className="p-big">{u.monthToDateGb} GB{u.capGb ? <span className="muted"> of {u.capGb} GB</span> : <span className="muted"> · unlimited</span>}</p>
            {u.capGb ? <Meter value={u.monthToDateGb} max={u.capGb} label="Data used of the cap" /> : null}
            <p>{u.summary}</p>
            <dl className="p-facts">
              <div><dt>Projected by the month's end</dt><dd>{u.projectedGb} GB{u.projectedOverCap ? ' (over the cap)' : ''}</dd></div>
              <div><dt>Days so far</dt><dd>{u.daysElapsed} of {u.daysInMonth}</dd></div>
              {u.previousMonthGb !== null && <div><dt>Last month</dt><dd>{u.previousMonthGb} GB</dd></div>}
            </dl>
          </Card>
          <Card title="Day by day">
            {u.days.length ? (
              <div className="p-chart" role="img" aria-label={`Daily use this month, up to ${max} GB a day`}>
                {u.days.map((d) => (
                  <div key={d.day} className="p-bar" title={`${day(d.day)}: ${d.totalGb} GB`}>
                    <div className="p-bar-fill" style={{ height: `${(d.totalGb / max) * 100}%` }} />
                    <span className="p-bar-label">{Number(d.day.slice(8))}</span>
                  </div>
                ))}
              </div>
            ) : <p className="muted">No usage recorded this month yet.</p>}
          </Card>
        </>;
      }}</Await>
    </section>
  );
}
