import { useState } from 'react';
import { api, errorMessage } from '../../api.ts';
import { useApi } from '../../use-api.ts';

type Statement = { key: string; title: string; bodyMd: string; position: number; updatedAt: string };

/** Transparency statements on the public page (AI, outsourcing, environment): edited here in markdown (admins). */
export function StatementsAdmin() {
  const loaded = useApi<{ data: Statement[] }>('/status/statements');
  const [editing, setEditing] = useState<Statement | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    if (!editing) return;
    setError(null);
    try {
      await api('/status/statements', { method: 'PUT', body: { key: editing.key, title: editing.title, bodyMd: editing.bodyMd, position: editing.position } });
      setEditing(null); loaded.reload();
    } catch (e) { setError(errorMessage(e)); }
  };
  return (
    <section className="card" aria-labelledby="statements-title" data-testid="statements-admin">
      <div className="page-head">
        <h2 id="statements-title">Transparency statements</h2>
        <button type="button" className="button" onClick={() => setEditing({ key: '', title: '', bodyMd: '', position: (loaded.data?.data.length ?? 0) + 1, updatedAt: '' })}>Add</button>
      </div>
      <p className="muted small">Shown on the public status page under "How we work". Markdown: **bold**, *italic*, lists, [links](https://…).</p>
      {loaded.data?.data.map((s) => (
        <p key={s.key}><strong>{s.title}</strong> <span className="muted small">({s.key})</span> <button type="button" className="button button-small button-quiet" onClick={() => setEditing(s)}>Edit</button></p>
      ))}
      {editing && (
        <div>
          <div className="grid-2">
            <label className="field">Key<input value={editing.key} onChange={(e) => setEditing({ ...editing, key: e.target.value })} placeholder="ai" /></label>
            <label className="field">Title<input value={editing.title} onChange={(e) => setEditing({ ...editing, title: e.target.value })} /></label>
          </div>
          <label className="field">Text (markdown)<textarea rows={6} value={editing.bodyMd} onChange={(e) => setEditing({ ...editing, bodyMd: e.target.value })} /></label>
          {error && <p className="alert alert-error" role="alert">{error}</p>}
          <div className="actions"><button type="button" className="button button-primary" onClick={() => void save()}>Save</button><button type="button" className="button" onClick={() => setEditing(null)}>Cancel</button></div>
        </div>
      )}
    </section>
  );
}
