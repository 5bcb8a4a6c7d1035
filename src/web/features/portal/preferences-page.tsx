import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../api.ts';
import { useApi } from '../../use-api.ts';
import type { Preferences, DeletionRequest } from './portal-api.ts';
import { Await, Card } from './portal-kit.tsx';

const channels = [['', 'No preference'], ['email', 'Email'], ['sms', 'SMS'], ['whatsapp', 'WhatsApp'], ['telegram', 'Telegram'], ['messenger', 'Messenger'], ['portal', 'Only here in the portal']] as const;
const languages = [['en', 'English'], ['nl', 'Nederlands'], ['de', 'Deutsch'], ['fr', 'Français']] as const;

/** How we reach me, when not to, in which language, which notices I want; my data to take away; deletion. */
export function PreferencesPage() {
  const r = useApi<Preferences>('/me/preferences');
  const del = useApi<DeletionRequest | null>('/me/deletion-request');
  const [p, setP] = useState<Preferences | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { if (r.data) setP(r.data); }, [r.data]);
  const save = async () => {
    if (!p) return;
    setError(null); setNote(null);
    try { setP(await api<Preferences>('/me/preferences', { method: 'PATCH', body: p })); setNote('Saved. Everyone at the company sees these, and our messages follow them.'); } catch (err) { setError(errorMessage(err)); }
  };
  const requestDeletion = async () => {
    if (!confirm('Ask us to delete everything we hold about you? An administrator completes it; invoices we must keep by law stay, without your name.')) return;
    try { await api('/me/deletion-request', { method: 'POST', body: {} }); del.reload(); } catch (err) { setError(errorMessage(err)); }
  };
  return (
    <section className="p-page">
      <h1>Settings and my data</h1>
      <Await r={r}>{() => p && (
        <Card title="How we reach you">
          <label className="field"><span>Preferred channel</span>
            <select value={p.preferredChannel ?? ''} onChange={(e) => setP({ ...p, preferredChannel: (e.target.value || null) as Preferences['preferredChannel'] })}>
              {channels.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
            </select></label>
          <fieldset className="p-radios"><legend>Quiet hours (no SMS or WhatsApp then)</legend>
            <label><input type="checkbox" checked={!!p.quietHours} onChange={(e) => setP({ ...p, quietHours: e.target.checked ? { start: '22:00', end: '08:00' } : null })} /> On</label>
            {p.quietHours && <>
              <label>from <input type="time" value={p.quietHours.start} onChange={(e) => setP({ ...p, quietHours: { ...p.quietHours!, start: e.target.value } })} /></label>
              <label>to <input type="time" value={p.quietHours.end} onChange={(e) => setP({ ...p, quietHours: { ...p.quietHours!, end: e.target.value } })} /></label>
            </>}
          </fieldset>
          <label className="field"><span>Language</span>
            <select value={p.language} onChange={(e) => setP({ ...p, language: e.target.value })}>{languages.map(([v, l]) => <option key={v} value={v}>{l}</option>)}</select></label>
          <fieldset className="p-radios"><legend>Messages I want</legend>
            <label><input type="checkbox" checked={p.notices.serviceNotices} onChange={(e) => setP({ ...p, notices: { ...p.notices, serviceNotices: e.target.checked } })} /> Outages and maintenance in my area</label>
            <label><input type="checkbox" checked={p.notices.surveys} onChange={(e) => setP({ ...p, notices: { ...p.notices, surveys: e.target.checked } })} /> A short question after we helped me</label>
            <label><input type="checkbox" checked={p.notices.marketing} onChange={(e) => setP({ ...p, notices: { ...p.notices, marketing: e.target.checked } })} /> News and offers</label>
          </fieldset>
          {note && <p className="alert p-alert-ok" role="status">{note}</p>}
          {error && <p className="alert alert-error" role="alert">{error}</p>}
          <button className="button button-primary" onClick={() => void save()}>Save</button>
        </Card>
      )}</Await>
      <Card title="My data">
        <p>Everything we hold about you — profile, subscription, usage, bills, conversations, what you and your assistants did — as one JSON file.</p>
        <a className="button" href="/api/v1/me/export" download="my-data.json">Download my data</a>
        <h3>Delete my data</h3>
        <Await r={del}>{(d) => d ? <p role="status">{d.text}</p> : <button className="button p-danger" onClick={() => void requestDeletion()}>Ask for deletion</button>}</Await>
      </Card>
    </section>
  );
}
