import { renderToStaticMarkup } from 'react-dom/server';
import type { StatusPageData, PageComponent, PageIncident } from '../../../domains/status/page-data.ts';
import { pageStatus } from '../../../domains/status/statuspage-v2.ts';
import { Markdown } from './markdown.tsx';
import { publicPageCss } from './public-page-css.ts';

// The public status page: rendered on the server, once per change (src/domains/status/snapshot.ts),
// as plain HTML that needs no script and no sign-in. Mobile first: one column, bars that shrink.

const stateWords: Record<string, string> = {
  operational: 'Operational', degraded_performance: 'Degraded performance', partial_outage: 'Partial outage', major_outage: 'Major outage', under_maintenance: 'Under maintenance',
};
const updateWords: Record<string, string> = {
  investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved', postmortem: 'Postmortem',
  scheduled: 'Scheduled', in_progress: 'In progress', verifying: 'Verifying', completed: 'Completed',
};
const channelWords: Record<string, string> = { email: 'Email', chat: 'Web chat', whatsapp: 'WhatsApp', telegram: 'Telegram', sms: 'SMS', messenger: 'Messenger', voice: 'Phone', social: 'Social', portal: 'Portal', api: 'API' };

const pct = (u: number | null, digits = 2) => (u === null ? '—' : `${(Math.floor(u * 10 ** (digits + 2)) / 10 ** digits).toFixed(digits)}%`);
const mins = (m: number | null) => (m === null ? '—' : m < 60 ? `${m} min` : m < 48 * 60 ? `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min` : `${Math.round(m / 60 / 24)} days`);

function when(d: Date | number, tz: string) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(d);
}
const month = (m: string) => new Date(`${m}-15T00:00:00Z`).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

function barClass(b: PageComponent['bars'][number]) {
  if (b.uptime === null) return 'bar nodata';
  if (b.worst === 'under_maintenance' && b.uptime >= 0.9999) return 'bar maint';
  if (b.uptime >= 0.9999) return 'bar ok';
  return b.uptime >= 0.99 ? 'bar minor' : b.uptime >= 0.95 ? 'bar partial' : 'bar major';
}

function Bars({ c }: { c: PageComponent }) {
  return (
    <div className="bars" role="img" aria-label={`${c.name}: ${pct(c.uptime90)} uptime over 90 days`}>
      {c.bars.map((b) => <span key={b.day} className={barClass(b)} title={`${b.day}: ${b.uptime === null ? 'no data' : `${pct(b.uptime)} up${b.downMinutes ? `, ${mins(b.downMinutes)} down` : ''}`}`} />)}
    </div>
  );
}

function Updates({ i, tz }: { i: PageIncident; tz: string }) {
  return (
    <ol className="updates">
      {i.updates.map((u) => (
        <li key={u.id}><strong>{updateWords[u.status] ?? u.status}</strong> — {u.body} <time dateTime={u.displayAt.toISOString()}>{when(u.displayAt, tz)}</time></li>
      ))}
    </ol>
  );
}

function IncidentCard({ i, d, names }: { i: PageIncident; d: StatusPageData; names: Map<string, string> }) {
  const areas = [...new Set(i.componentIds.map((c) => names.get(c)).filter(Boolean))];
  return (
    <article className={`incident impact-${i.impact}`} id={`incident-${i.id}`} data-testid="incident">
      <h3>{i.name}</h3>
      <p className="meta">{areas.join(', ')} · {i.kind === 'maintenance' && i.scheduledFor ? `${when(i.scheduledFor, d.workspace.timezone)} – ${when(i.scheduledUntil!, d.workspace.timezone)}` : `since ${when(i.startedAt, d.workspace.timezone)}`}</p>
      <Updates i={i} tz={d.workspace.timezone} />
    </article>
  );
}

export function PublicStatusPage({ d, urls }: { d: StatusPageData; urls: { page: string; api: string } }) {
  const status = pageStatus(d);
  const tz = d.workspace.timezone;
  const names = new Map(d.components.map((c) => [c.id, c.name]));
  const groups = d.components.filter((c) => c.children.length);
  const open = d.incidents.filter((i) => !i.resolvedAt);
  const maintNow = d.maintenances.filter((m) => m.effective === 'in_progress' || m.effective === 'verifying');
  const upcoming = d.maintenances.filter((m) => m.effective === 'scheduled');
  const history = [...d.incidents.filter((i) => i.resolvedAt), ...d.maintenances.filter((m) => m.effective === 'completed')]
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  const target = d.settings.slaTargetPercent / 100;
  const leaves = d.components.filter((c) => c.groupId);
  const currentMonth = leaves[0]?.months.at(-1)?.month;
  return (
    <div className="wrap">
      <header className="head">
        <p className="brand">{d.workspace.name}</p>
        <h1>Service status</h1>
        <div className={`banner banner-${status.indicator}`} data-testid="overall-status" role="status">{status.description}</div>
      </header>

      {open.length > 0 && <section aria-labelledby="now"><h2 id="now">Happening now</h2>{open.map((i) => <IncidentCard key={i.id} i={i} d={d} names={names} />)}</section>}
      {maintNow.length > 0 && <section aria-labelledby="maint-now"><h2 id="maint-now">Maintenance under way</h2>{maintNow.map((i) => <IncidentCard key={i.id} i={i} d={d} names={names} />)}</section>}

      <section aria-labelledby="components">
        <h2 id="components">Services by area</h2>
        <p className="hint">Each bar is one day (last 90 days, {tz}); hover or tap for the figure. Maintenance {d.settings.maintenanceExcluded ? 'is left out of' : 'counts against'} uptime.</p>
        {groups.map((g) => (
          <div className="group" key={g.id} data-testid="component-group">
            <h3>{g.name} <span className={`pill pill-${g.status}`}>{stateWords[g.status]}</span></h3>
            {g.children.map((id) => d.components.find((c) => c.id === id)!).map((c) => (
              <div className="component" key={c.id} data-testid="component">
                <div className="row"><span className="name">{c.name}</span><span className={`pill pill-${c.status}`} data-testid="component-status">{stateWords[c.status]}</span></div>
                <Bars c={c} />
                <div className="row small"><span>90 days ago</span><span>{pct(c.uptime90)} uptime</span><span>today</span></div>
              </div>
            ))}
          </div>
        ))}
      </section>

      {currentMonth && (
        <section aria-labelledby="sla">
          <h2 id="sla">Uptime against our {d.settings.slaTargetPercent}% target</h2>
          <div className="scroll"><table data-testid="sla-table">
            <thead><tr><th>Area</th>{leaves[0].months.map((m) => <th key={m.month}>{month(m.month)}</th>)}</tr></thead>
            <tbody>{leaves.map((c) => (
              <tr key={c.id}><td>{groups.length > 1 ? `${c.service} · ` : ''}{c.name}</td>{c.months.map((m) => (
                <td key={m.month} className={m.uptime === null ? '' : m.uptime >= target ? 'met' : 'missed'}>{pct(m.uptime, 3)}</td>))}</tr>))}</tbody>
          </table></div>
        </section>
      )}

      <section aria-labelledby="reliability">
        <h2 id="reliability">How fast we respond to incidents</h2>
        <div className="scroll"><table data-testid="reliability-table">
          <thead><tr><th>Month</th><th>Incidents</th><th>Time to acknowledge</th><th>Time to resolve</th></tr></thead>
          <tbody>{d.reliability.map((r) => <tr key={r.month}><td>{month(r.month)}</td><td>{r.incidents}</td><td>{mins(r.mttaMinutes)}</td><td>{mins(r.mttrMinutes)}</td></tr>)}</tbody>
        </table></div>
        <p className="hint">Means over the incidents that began in each month: from the start to our first finding, and to the fix.</p>
      </section>

      <section aria-labelledby="desk">
        <h2 id="desk">Our support desk, last 30 days</h2>
        <div className="scroll"><table data-testid="desk-table">
          <thead><tr><th>Channel</th><th>Conversations</th><th>First answer (median)</th><th>Resolved in (median)</th></tr></thead>
          <tbody>{d.desk.map((r) => <tr key={r.channel}><td>{channelWords[r.channel] ?? r.channel}</td><td>{r.conversations.toLocaleString('en-GB')}</td><td>{mins(r.firstResponseMedianMin)}</td><td>{mins(r.resolutionMedianMin)}</td></tr>)}</tbody>
        </table></div>
      </section>

      {upcoming.length > 0 && <section aria-labelledby="upcoming"><h2 id="upcoming">Planned maintenance</h2>{upcoming.map((i) => <IncidentCard key={i.id} i={i} d={d} names={names} />)}</section>}

      {d.roadmap.length > 0 && (
        <section aria-labelledby="roadmap">
          <h2 id="roadmap">Network upgrades</h2>
          <ul className="roadmap" data-testid="roadmap">{d.roadmap.map((u) => (
            <li key={u.id}><span className={`tag tag-${u.status}`}>{u.status === 'in_progress' ? 'In progress' : u.status === 'done' ? 'Done' : 'Planned'}</span> <strong>{u.area}</strong>: {u.title}
              {(u.doneAt ?? u.plannedFor) && <span className="muted"> · {u.status === 'done' ? 'done' : 'planned for'} {u.doneAt ?? u.plannedFor}</span>}
              {u.description && <div className="muted small">{u.description}</div>}</li>))}</ul>
        </section>
      )}

      <section aria-labelledby="history">
        <h2 id="history">Past incidents and maintenance (90 days)</h2>
        {history.length === 0 ? <p className="muted">Nothing to report.</p> : history.map((i) => (
          <details key={i.id} className="past" id={`incident-${i.id}`} data-testid="past-incident">
            <summary><strong>{i.name}</strong> <span className="muted">· {when(i.startedAt, tz)}{i.resolvedAt ? ` · ${mins(Math.round((i.resolvedAt.getTime() - i.startedAt.getTime()) / 60_000))}` : ''}</span></summary>
            <Updates i={i} tz={tz} />
          </details>
        ))}
      </section>

      {d.statements.length > 0 && (
        <section aria-labelledby="transparency">
          <h2 id="transparency">How we work</h2>
          {d.statements.map((s) => <div className="statement" key={s.key} data-testid="statement"><h3>{s.title}</h3><Markdown source={s.bodyMd} /></div>)}
        </section>
      )}

      <section aria-labelledby="subscribe" className="subscribe">
        <h2 id="subscribe">Get updates</h2>
        <form method="post" action={`${urls.page}/subscribe`}>
          <label htmlFor="sub-email">Email address</label>
          <div className="row"><input id="sub-email" name="email" type="email" required autoComplete="email" placeholder="you@example.com" /><button type="submit">Subscribe</button></div>
        </form>
        <p className="hint">We send a link to confirm first; every message has a one-click unsubscribe. Feeds: <a href={`${urls.page}/history.atom`}>Atom</a> · <a href={`${urls.page}/history.rss`}>RSS</a> · <a href={`${urls.api}/summary.json`}>JSON (Statuspage v2)</a></p>
      </section>
      <footer className="foot">Updated {when(d.now, tz)} · Powered by Candor</footer>
    </div>
  );
}

/** The whole document, as the snapshot stores it. */
export function renderPublicStatusPage(d: StatusPageData, urls: { page: string; api: string }): string {
  const body = renderToStaticMarkup(<PublicStatusPage d={d} urls={urls} />);
  const title = `${d.workspace.name} status`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<title>${title.replace(/</g, '&lt;')}</title><link rel="alternate" type="application/atom+xml" href="${urls.page}/history.atom">`
    + `<meta http-equiv="refresh" content="120"><style>${publicPageCss}</style></head><body>${body}</body></html>`;
}
