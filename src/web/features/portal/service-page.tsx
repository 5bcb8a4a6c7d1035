import { useState } from 'react';
import { api, errorMessage } from '../../api.ts';
import { Link } from '../../router.tsx';
import { useApi } from '../../use-api.ts';
import { when, type ServiceStatus } from './portal-api.ts';
import { Await, Card, StateBadge, stateTone } from './portal-kit.tsx';

/** Service health at my address: incidents and maintenance in my area, the latest update, expected fix, follow on my channel. */
export function ServicePage() {
  const r = useApi<ServiceStatus>('/me/service-status');
  const [note, setNote] = useState<string | null>(null);
  const follow = async (id: string) => {
    try { const f = await api<{ text: string }>(`/me/incidents/${id}/follow`, { method: 'POST' }); setNote(f.text); r.reload(); } catch (err) { setNote(errorMessage(err)); }
  };
  return (
    <section className="p-page">
      <h1>Service at my address</h1>
      <Await r={r}>{(s) => <>
        <Card title={s.area ? s.area.name : 'No service'} tone={stateTone(s.state)} action={<StateBadge state={s.state} />}>
          <p>{s.summary}</p>
          {s.state === 'operational' && <p><Link to="/portal/diagnosis">Not working for you anyway? Run a check</Link></p>}
        </Card>
        {note && <p className="alert p-alert-ok" role="status">{note}</p>}
        {s.incidents.map((i) => (
          <Card key={i.id} title={i.name} tone={i.kind === 'maintenance' ? 'warn' : 'bad'} action={i.following ? <span className="p-badge p-badge-ok">Following</span> : <button className="button button-primary button-small" onClick={() => void follow(i.id)}>Follow updates</button>}>
            <p className="small muted">{i.kind === 'maintenance' ? `Planned ${i.scheduledFor ? when(i.scheduledFor) : ''}${i.scheduledUntil ? ` – ${when(i.scheduledUntil)}` : ''}` : `Since ${when(i.startedAt)}`} · {i.status}{i.expectedFixAt ? ` · expected fixed by ${when(i.expectedFixAt)}` : ''}</p>
            {i.latestUpdate && <p>{i.latestUpdate}</p>}
            {i.latestUpdateAt && <p className="muted small">Latest update {when(i.latestUpdateAt)}</p>}
          </Card>
        ))}
      </>}</Await>
    </section>
  );
}
