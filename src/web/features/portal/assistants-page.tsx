import { useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../api.ts';
import { useApi } from '../../use-api.ts';
import { day, when, scopeLabels, type Grant } from './portal-api.ts';
import { Await, Card } from './portal-kit.tsx';

const allScopes = Object.keys(scopeLabels);

/** Give my own AI assistant access (what it may do, until when), see what each one did, revoke it at once. */
export function AssistantsPage() {
  const r = useApi<{ data: Grant[] }>('/me/assistants');
  const [name, setName] = useState('My assistant');
  const [scopes, setScopes] = useState<Set<string>>(new Set(['usage:read', 'billing:read', 'service:diagnose']));
  const [days, setDays] = useState(30);
  const [token, setToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault(); setError(null);
    try { const g = await api<Grant & { token: string }>('/me/assistants', { method: 'POST', body: { name, scopes: [...scopes], expiresInDays: days } }); setToken(g.token); r.reload(); } catch (err) { setError(errorMessage(err)); }
  };
  const revoke = async (id: string) => { try { await api(`/me/assistants/${id}`, { method: 'DELETE' }); r.reload(); } catch (err) { setError(errorMessage(err)); } };
  return (
    <section className="p-page">
      <h1>My AI assistants</h1>
      <p className="lead">Let an assistant (Claude, ChatGPT, your own) do these things for you through our MCP server at <code>{location.origin}/mcp</code>. You choose what it may do, and you can stop it at any moment.</p>
      {token && <div className="alert p-alert-ok" role="status" data-testid="grant-token"><p><strong>Copy this token now: it is shown once.</strong></p><code className="p-token">{token}</code></div>}
      <Card title="Give an assistant access">
        <form onSubmit={create}>
          <label className="field"><span>Name</span><input required value={name} onChange={(e) => setName(e.target.value)} maxLength={100} /></label>
          <fieldset className="p-radios"><legend>It may</legend>
            {allScopes.map((s) => <label key={s}><input type="checkbox" checked={scopes.has(s)} onChange={() => setScopes((x) => { const n = new Set(x); if (n.has(s)) n.delete(s); else n.add(s); return n; })} /> {scopeLabels[s]}</label>)}
          </fieldset>
          <label className="field"><span>For how many days</span><input type="number" min={1} max={365} value={days} onChange={(e) => setDays(Number(e.target.value))} /></label>
          {error && <p className="alert alert-error" role="alert">{error}</p>}
          <button className="button button-primary" type="submit" disabled={!scopes.size}>Create access</button>
        </form>
      </Card>
      <Await r={r}>{(g) => <>{g.data.map((x) => (
        <Card key={x.id} title={x.name} tone={x.active ? 'ok' : undefined} testId="grant" action={x.active ? <button className="button button-small p-danger" onClick={() => void revoke(x.id)}>Revoke</button> : <span className="p-badge">{x.revokedAt ? 'revoked' : 'expired'}</span>}>
          <p className="small">{x.scopes.map((s) => scopeLabels[s] ?? s).join(' · ')}</p>
          <p className="muted small">Given {day(x.createdAt)} · {x.active ? `until ${day(x.expiresAt)}` : x.revokedAt ? `revoked ${when(x.revokedAt)}` : 'expired'}{x.lastUsedAt ? ` · last used ${when(x.lastUsedAt)}` : ''}</p>
          {x.actions.length ? <ul className="p-list small">{x.actions.slice(0, 10).map((a, i) => <li key={i}>{when(a.occurredAt)} — {a.summary.replace(/^Assistant "[^"]*": /, '')}</li>)}</ul> : <p className="muted small">It has done nothing yet.</p>}
        </Card>
      ))}</>}</Await>
    </section>
  );
}
