import { useState } from 'react';
import { api, errorMessage } from '../../api.ts';
import { Link } from '../../router.tsx';
import type { Diagnosis, DiagnosisEnded } from './portal-api.ts';
import { Card, Check } from './portal-kit.tsx';

const symptoms = [
  { key: 'down', label: 'My internet is down' },
  { key: 'slow', label: 'It is slow' },
  { key: 'intermittent', label: 'It keeps dropping' },
  { key: 'wifi', label: 'Wi-Fi trouble' },
] as const;

/**
 * "My internet is down / slow": we check the account, the area and the line, show what we found
 * and the steps that fix it, and it ends in one of three ways — fixed, following the known
 * incident, or a request to us that already holds everything checked here.
 */
export function DiagnosisPage() {
  const [d, setD] = useState<Diagnosis | null>(null);
  const [ended, setEnded] = useState<DiagnosisEnded | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [done, setDone] = useState<Set<string>>(new Set());

  const start = async (symptom: string) => {
    setBusy(true); setError(null); setEnded(null); setDone(new Set());
    try { setD(await api<Diagnosis>('/me/diagnosis', { method: 'POST', body: { symptom } })); } catch (err) { setError(errorMessage(err)); } finally { setBusy(false); }
  };
  const end = async (outcome: 'resolved' | 'subscribed' | 'conversation') => {
    if (!d) return;
    setBusy(true); setError(null);
    try { setEnded(await api<DiagnosisEnded>(`/me/diagnosis/${d.id}/outcome`, { method: 'POST', body: { outcome, ...(outcome === 'conversation' && note.trim() ? { note: note.trim() } : {}) } })); } catch (err) { setError(errorMessage(err)); } finally { setBusy(false); }
  };

  return (
    <section className="p-page">
      <h1>Fix a problem</h1>
      {!d && <>
        <p className="lead">Tell us what is wrong. We check your account, your area and your line right now — it takes a few seconds.</p>
        <div className="p-choices">{symptoms.map((s) => <button key={s.key} className="button p-choice" disabled={busy} onClick={() => void start(s.key)}>{s.label}</button>)}</div>
        {busy && <p role="status">Checking your line…</p>}
      </>}
      {error && <p className="alert alert-error" role="alert">{error}</p>}
      {d && <>
        <Card title="What we checked" testId="diagnosis-checks">
          <ul className="p-checks">
            <Check ok={d.account.ok} title="Your account">{d.account.text}</Check>
            <Check ok={d.area.ok} title="Your area">{d.area.text}</Check>
            <Check ok={d.line.ok} title="Your line">{d.line.text}</Check>
          </ul>
        </Card>
        <Card title={d.verdict.title} tone={d.verdict.code === 'no_fault_found' ? 'ok' : d.verdict.code === 'area_outage' || d.verdict.code === 'suspended' ? 'bad' : 'warn'} testId="diagnosis-verdict">
          <p>{d.verdict.text}</p>
          {d.steps.length > 0 && <>
            <h3>Try this</h3>
            <ol className="p-steps">{d.steps.map((s) => (
              <li key={s.id}><label><input type="checkbox" checked={done.has(s.id)} onChange={() => setDone((x) => { const n = new Set(x); if (n.has(s.id)) n.delete(s.id); else n.add(s.id); return n; })} disabled={!!ended} /> {s.text}</label></li>
            ))}</ol>
          </>}
        </Card>
        {!ended ? (
          <Card title="How did it go?" testId="diagnosis-end">
            <div className="p-end">
              <button className={`button ${d.suggestedOutcome === 'resolved' ? 'button-primary' : ''}`} disabled={busy} onClick={() => void end('resolved')}>It works now</button>
              {d.area.incidents.length > 0 && <button className={`button ${d.suggestedOutcome === 'subscribed' ? 'button-primary' : ''}`} disabled={busy} onClick={() => void end('subscribed')}>Tell me when it is fixed</button>}
              <button className={`button ${d.suggestedOutcome === 'conversation' ? 'button-primary' : ''}`} disabled={busy} onClick={() => void end('conversation')}>Still not working: contact us</button>
            </div>
            <label className="field p-note"><span>Anything to add for us? (optional)</span><textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} /></label>
            <p className="muted small">If you contact us, we get everything checked here: nobody will ask you to restart your router again.</p>
          </Card>
        ) : (
          <Card title={ended.diagnosis.outcome === 'resolved' ? 'Glad it works' : ended.diagnosis.outcome === 'subscribed' ? 'You will hear from us' : 'Request sent'} tone="ok" testId="diagnosis-ended">
            <p role="status">{ended.text}</p>
            {ended.conversationId && <Link to={`/portal/conversations/${ended.conversationId}`} className="button">Open request #{ended.conversationNumber}</Link>}
            {' '}<button className="button button-quiet" onClick={() => { setD(null); setEnded(null); }}>Check again</button>
          </Card>
        )}
      </>}
    </section>
  );
}
