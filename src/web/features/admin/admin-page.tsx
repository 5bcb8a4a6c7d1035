import type { ReactNode } from 'react';
import type { Agent, ApiKey, List, Team, Workspace } from '../../api.ts';
import { useApi, type Loaded } from '../../use-api.ts';
import { capitalise, fullDate, weekday } from '../../format.ts';
import { ReasonsAdmin } from '../understanding/reasons-admin.tsx';
import { OutboxAdmin } from '../status/outbox-admin.tsx';
import { PortalRequestsAdmin } from '../portal/portal-requests-admin.tsx';
import { StatementsAdmin } from '../status/statements-admin.tsx';

/** Workspace settings, staff, teams and API keys: read-only for now. */
export function AdminPage() {
  const workspace = useApi<Workspace>('/workspace');
  const agents = useApi<List<Agent>>('/agents');
  const teams = useApi<List<Team>>('/teams');
  const keys = useApi<List<ApiKey>>('/api-keys');

  return (
    <div className="page page-wide">
      <h1>Admin</h1>
      <p className="muted lead">How this workspace is set up. Changes go through the API or the <code>candor</code> CLI for now.</p>

      <Section title="Workspace" id="workspace" loaded={workspace}>
        {(w) => (
          <div className="grid-2">
            <table className="table">
              <caption>Settings</caption>
              <tbody>
                <tr><th scope="row">Name</th><td>{w.name}</td></tr>
                <tr><th scope="row">Slug</th><td><code>{w.slug}</code></td></tr>
                <tr><th scope="row">Timezone</th><td>{w.settings.timezone}</td></tr>
                <tr><th scope="row">Holidays</th><td>{w.settings.holidays.length ? w.settings.holidays.join(', ') : <span className="muted">None set</span>}</td></tr>
              </tbody>
            </table>
            <table className="table">
              <caption>Business hours ({w.settings.timezone})</caption>
              <thead><tr><th scope="col">Day</th><th scope="col">Open</th><th scope="col">Close</th></tr></thead>
              <tbody>
                {[1, 2, 3, 4, 5, 6, 0].map((day) => {
                  const slots = w.settings.businessHours.filter((h) => h.day === day);
                  if (!slots.length) return <tr key={day}><th scope="row">{weekday(day)}</th><td colSpan={2} className="muted">Closed</td></tr>;
                  return slots.map((h, i) => (
                    <tr key={`${day}-${i}`}><th scope="row">{i === 0 ? weekday(day) : ''}</th><td>{h.open}</td><td>{h.close}</td></tr>
                  ));
                })}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <Section title="Agents" id="agents" loaded={agents}>
        {({ data }) => (
          <table className="table" data-testid="agents-table">
            <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Skills</th><th scope="col">Active</th></tr></thead>
            <tbody>
              {data.map((a) => (
                <tr key={a.id}>
                  <td>{a.name}</td>
                  <td>{a.email}</td>
                  <td><span className={`role role-${a.role}`}>{capitalise(a.role)}</span></td>
                  <td>{a.skills.length ? a.skills.join(', ') : <span className="muted">—</span>}</td>
                  <td>{a.active ? 'Yes' : 'No'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      <Section title="Teams" id="teams" loaded={teams}>
        {({ data }) => data.length
          ? <ul className="chips">{data.map((t) => <li key={t.id} className="chip">{t.name}</li>)}</ul>
          : <p className="muted">No teams yet.</p>}
      </Section>

      <ReasonsAdmin />

      <StatementsAdmin />

      <OutboxAdmin />

      <PortalRequestsAdmin />

      <Section title="API keys" id="api-keys" loaded={keys} forbidden="Only workspace admins can see API keys.">
        {({ data }) => data.length ? (
          <table className="table">
            <thead><tr><th scope="col">Name</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Status</th></tr></thead>
            <tbody>
              {data.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td><code>{k.scopes.join(' ')}</code></td>
                  <td>{fullDate(k.createdAt)}</td>
                  <td>{k.lastUsedAt ? fullDate(k.lastUsedAt) : <span className="muted">Never</span>}</td>
                  <td>{k.revokedAt ? <span className="status status-closed">Revoked</span> : <span className="status status-open">Active</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : <p className="muted">No API keys.</p>}
      </Section>
    </div>
  );
}

/** One independently loaded section: a failure in one (say, a missing permission) leaves the rest. */
function Section<T>({ title, id, loaded, forbidden, children }: { title: string; id: string; loaded: Loaded<T>; forbidden?: string; children(data: T): ReactNode }) {
  let body: ReactNode;
  if (loaded.data !== undefined) body = children(loaded.data);
  else if (loaded.errorCode === 'forbidden' && forbidden) body = <p className="muted">{forbidden}</p>;
  else if (loaded.error) body = <p className="alert alert-error" role="alert">{loaded.error}</p>;
  else body = <p className="muted">Loading…</p>;
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {body}
    </section>
  );
}
