import { useState, type FormEvent } from 'react';
import type { z } from '@hono/zod-openapi';
import type { IncidentSchema, SuspicionSchema } from '../../../domains/status/status.schemas.ts';
import { api, errorMessage, newKey, type List } from '../../api.ts';
import { useApi } from '../../use-api.ts';
import { useMe } from '../auth/session.tsx';
import { Link } from '../../router.tsx';
import { fullDate, relativeTime } from '../../format.ts';

type Incident = z.infer<typeof IncidentSchema>;
type Suspicion = z.infer<typeof SuspicionSchema>;
type Area = { id: string; code: string; name: string };

const incidentSteps = ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'];
const maintenanceSteps = ['scheduled', 'in_progress', 'verifying', 'completed'];
const words = (s: string) => s.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
const euro = (cents: number, currency: string | null) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: currency ?? 'EUR' }).format(cents / 100);

/**
 * The supervisor's incident screen: suspected incidents from outage detection (publish in one
 * click or dismiss), open incidents with their notices and linked contacts (post an update,
 * resolve), declaring a new one, and the record of resolved ones with their credits.
 */
export function IncidentsPage({ incidentId }: { incidentId: string | null }) {
  const me = useMe();
  const canWrite = me.agent.role !== 'agent';
  const suspicions = useApi<List<Suspicion>>('/outage-suspicions?status=open');
  const open = useApi<List<Incident>>('/incidents?state=open');
  const done = useApi<List<Incident>>('/incidents?state=resolved&limit=20');
  const reload = () => { suspicions.reload(); open.reload(); done.reload(); };
  if (incidentId) return <IncidentDetail id={incidentId} canWrite={canWrite} />;
  return (
    <div className="page page-wide">
      <div className="page-head">
        <h1>Incidents and status</h1>
        <a className="button" href={`/status/${me.workspace.slug}`} target="_blank" rel="noopener">Open the public page</a>
      </div>
      <p className="muted lead">Own problems before customers find them: publish, keep them posted, resolve, credit.</p>

      <section className="card" aria-labelledby="suspected-title" data-testid="suspicions">
        <h2 id="suspected-title">Suspected outages</h2>
        {suspicions.error && <p className="alert alert-error" role="alert">{suspicions.error}</p>}
        {suspicions.data?.data.length === 0 && <p className="muted">Nothing unusual: contacts about connectivity are at their usual level in every area.</p>}
        {suspicions.data?.data.map((s) => <SuspicionCard key={s.id} s={s} canWrite={canWrite} onDone={reload} />)}
      </section>

      <section className="card" aria-labelledby="open-title">
        <h2 id="open-title">Open incidents and maintenance</h2>
        {open.data?.data.length === 0 && <p className="muted">None open.</p>}
        <ul className="incident-list" data-testid="open-incidents">
          {open.data?.data.map((i) => <IncidentRow key={i.id} i={i} />)}
        </ul>
      </section>

      {canWrite && <DeclareIncident onDone={reload} />}

      <section className="card" aria-labelledby="done-title">
        <h2 id="done-title">Resolved</h2>
        <ul className="incident-list">{done.data?.data.map((i) => <IncidentRow key={i.id} i={i} />)}</ul>
      </section>
    </div>
  );
}

function SuspicionCard({ s, canWrite, onDone }: { s: Suspicion; canWrite: boolean; onDone(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (what: 'publish' | 'dismiss') => {
    setBusy(true); setError(null);
    try { await api(`/outage-suspicions/${s.id}/${what}`, { method: 'POST', idempotencyKey: newKey() }); onDone(); } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  const e = s.evidence as { observed: number; baselineMedian: number; threshold: number; windowStart: string; windowEnd: string; messages: { conversationId: string; text: string }[] };
  return (
    <article className="suspicion" data-testid="suspicion">
      <h3 className="suspicion-title">{s.areaName}: {e.observed} connectivity contacts in {Math.round((new Date(e.windowEnd).getTime() - new Date(e.windowStart).getTime()) / 60_000)} minutes</h3>
      <p className="muted small">Usual for this hour of the week: {e.baselineMedian} (alarm from {e.threshold}). Detected {relativeTime(s.detectedAt)}.</p>
      <ul className="samples">{e.messages.map((m) => <li key={m.conversationId}><Link to={`/agent/${m.conversationId}`}>“{m.text}”</Link></li>)}</ul>
      {error && <p className="alert alert-error" role="alert">{error}</p>}
      {canWrite && (
        <div className="actions">
          <button type="button" className="button button-primary" disabled={busy} onClick={() => void act('publish')}>Publish incident</button>
          <button type="button" className="button" disabled={busy} onClick={() => void act('dismiss')}>Dismiss</button>
        </div>
      )}
    </article>
  );
}

function IncidentRow({ i }: { i: Incident }) {
  return (
    <li data-testid="incident-row">
      <Link to={`/incidents/${i.id}`} className="incident-link"><strong>{i.name}</strong></Link>
      <span className={`badge impact-${i.impact}`}>{words(i.impact)}</span> <span className="badge">{words(i.status)}</span>
      <div className="muted small">
        {i.components.map((c) => c.name).filter((n, k, all) => all.indexOf(n) === k).join(', ')} · {i.kind === 'maintenance' && i.scheduledFor ? `scheduled ${fullDate(i.scheduledFor)}` : `since ${fullDate(i.startedAt)}`}
        {' · '}notices {i.notices.sent} sent, {i.notices.queued} queued, {i.notices.failed} failed · {i.contacts} contacts
        {i.credits.totalCents > 0 && <> · credited {euro(i.credits.totalCents, i.credits.currency)}</>}
      </div>
    </li>
  );
}

function IncidentDetail({ id, canWrite }: { id: string; canWrite: boolean }) {
  const loaded = useApi<Incident>(`/incidents/${id}`);
  const [status, setStatus] = useState('');
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const i = loaded.data;
  if (!i) return <div className="page"><p className={loaded.error ? 'alert alert-error' : 'muted'}>{loaded.error ?? 'Loading…'}</p></div>;
  const steps = i.kind === 'incident' ? incidentSteps : maintenanceSteps;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true); setError(null);
    try {
      const next = await api<Incident>(`/incidents/${id}/updates`, { method: 'POST', body: { status: status || i.status, body }, idempotencyKey: newKey() });
      loaded.setData(() => next); setBody(''); setStatus('');
    } catch (err) { setError(errorMessage(err)); } finally { setBusy(false); }
  };
  const credits = async (decision: 'apply' | 'reject') => {
    try { await api(`/incidents/${id}/credits`, { method: 'POST', body: { decision } }); loaded.reload(); } catch (err) { setError(errorMessage(err)); }
  };
  return (
    <div className="page page-wide" data-testid="incident-detail">
      <p><Link to="/incidents">← Incidents</Link></p>
      <h1>{i.name}</h1>
      <p className="muted">{words(i.kind)} · {words(i.impact)} · {words(i.status)} · {i.source === 'detected' ? 'raised by outage detection' : 'declared'} · since {fullDate(i.startedAt)}{i.resolvedAt ? ` · resolved ${fullDate(i.resolvedAt)}` : ''}</p>
      <div className="stats">
        <div className="stat" data-testid="notices"><span className="stat-n">{i.notices.sent}</span> told<span className="muted small"> · {i.notices.queued} queued · {i.notices.failed} failed · {i.notices.skipped} not reachable or opted out</span></div>
        <div className="stat"><span className="stat-n">{i.contacts}</span> contacts linked and answered</div>
        <div className="stat" data-testid="credits"><span className="stat-n">{euro(i.credits.totalCents, i.credits.currency)}</span> credited to {i.credits.customers} customers
          {i.credits.proposedCents > 0 && <span className="muted small"> ({euro(i.credits.proposedCents, i.credits.currency)} waiting for approval)</span>}</div>
      </div>
      {canWrite && i.credits.proposedCents > 0 && (
        <div className="actions"><button className="button button-primary" onClick={() => void credits('apply')}>Apply proposed credits</button><button className="button" onClick={() => void credits('reject')}>Reject</button></div>
      )}
      <section className="card">
        <h2>Components</h2>
        <ul className="chips">{i.components.map((c) => <li key={c.id} className="chip">{c.service} · {c.name}: {words(c.status)}</li>)}</ul>
      </section>
      {canWrite && (
        <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="post-title">
          <h2 id="post-title">Post an update</h2>
          <label className="field">Status
            <select value={status || i.status} onChange={(e) => setStatus(e.target.value)} data-testid="update-status">{steps.map((s) => <option key={s} value={s}>{words(s)}</option>)}</select>
          </label>
          <label className="field">What customers read
            <textarea rows={3} value={body} onChange={(e) => setBody(e.target.value)} required data-testid="update-body" />
          </label>
          {error && <p className="alert alert-error" role="alert">{error}</p>}
          <button className="button button-primary" disabled={busy || !body.trim()}>Publish update</button>
          <span className="muted small"> Every affected customer is told on their channel.</span>
        </form>
      )}
      <section className="card">
        <h2>Updates</h2>
        <ol className="timeline">{i.updates.map((u) => <li key={u.id}><strong>{words(u.status)}</strong> — {u.body} <span className="muted small">{fullDate(u.displayAt)}</span></li>)}</ol>
      </section>
    </div>
  );
}

function DeclareIncident({ onDone }: { onDone(): void }) {
  const areas = useApi<List<Area>>('/service-areas');
  const [name, setName] = useState('');
  const [impact, setImpact] = useState('major');
  const [body, setBody] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault(); setError(null);
    try {
      await api('/incidents', { method: 'POST', body: { name, status: 'investigating', impact, body, areaIds: chosen }, idempotencyKey: newKey() });
      setName(''); setBody(''); setChosen([]); onDone();
    } catch (err) { setError(errorMessage(err)); }
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="declare-title" data-testid="declare">
      <h2 id="declare-title">Declare an incident</h2>
      <div className="grid-2">
        <label className="field">Name<input value={name} onChange={(e) => setName(e.target.value)} required placeholder="No internet in …" /></label>
        <label className="field">Impact
          <select value={impact} onChange={(e) => setImpact(e.target.value)}><option value="minor">Minor (degraded)</option><option value="major">Major (partial outage)</option><option value="critical">Critical (major outage)</option></select>
        </label>
      </div>
      <fieldset className="areas"><legend>Areas</legend>
        {areas.data?.data.map((a) => (
          <label key={a.id} className="inline-field"><input type="checkbox" checked={chosen.includes(a.id)} onChange={(e) => setChosen(e.target.checked ? [...chosen, a.id] : chosen.filter((x) => x !== a.id))} /> {a.name}</label>
        ))}
      </fieldset>
      <label className="field">What customers read<textarea rows={3} value={body} onChange={(e) => setBody(e.target.value)} required /></label>
      {error && <p className="alert alert-error" role="alert">{error}</p>}
      <button className="button button-primary" disabled={!name || !body || !chosen.length}>Declare and tell affected customers</button>
    </form>
  );
}
