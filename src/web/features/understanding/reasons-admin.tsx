import { useState } from 'react';
import { api, errorMessage, type List } from '../../api.ts';
import { useApi } from '../../use-api.ts';
import { fullDate } from '../../format.ts';
import { percent, useReasons, type ReasonModel } from './reasons.ts';

/**
 * Contact reasons for admins: the taxonomy with how many examples teach each reason, and every
 * version of the model with the held-back figures it was judged on and why it went live or not.
 */
export function ReasonsAdmin() {
  const { reasons, loaded } = useReasons();
  const models = useApi<List<ReasonModel>>('/reasons/models');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function retrain() {
    setBusy(true);
    setMessage(null);
    try {
      const r = await api<{ jobId: string; queued: boolean }>('/reasons/models', { method: 'POST' });
      setMessage(r.queued ? 'Retraining: the new version appears here in a moment.' : 'A retrain is already waiting.');
      setTimeout(models.reload, 3000);
    } catch (err) {
      setMessage(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const live = models.data?.data.find((m) => m.status === 'live');
  return (
    <section className="card" aria-labelledby="reasons-title" data-testid="reasons-admin">
      <h2 id="reasons-title">Contact reasons</h2>
      <p className="muted small">
        Every customer message is read for its reason, sentiment and language. The model is trained here, on this workspace's examples and on
        every reason an agent confirms or corrects; a new version goes live only if it is at least as accurate on the held-back fifth of the examples.
      </p>
      {loaded.error && <p className="alert alert-error" role="alert">{loaded.error}</p>}
      {reasons.length > 0 && (
        <ul className="chips" aria-label="Taxonomy">
          {reasons.map((r) => <li key={r.key} className="chip" title={r.description}>{r.name} <span className="muted small">{r.examples}</span></li>)}
        </ul>
      )}
      <h3>Model versions</h3>
      {models.errorCode === 'forbidden' ? <p className="muted">Only workspace admins can see the model versions.</p>
        : models.error ? <p className="alert alert-error" role="alert">{models.error}</p>
          : !models.data ? <p className="muted">Loading…</p>
            : !models.data.data.length ? <p className="muted">No model yet: the first one trains from the seed examples.</p>
              : (
                <table className="table" data-testid="models-table">
                  <thead><tr>
                    <th scope="col">Version</th><th scope="col">Status</th><th scope="col">Accuracy</th><th scope="col">Macro-F1</th>
                    <th scope="col">Held back</th><th scope="col">Examples (agent)</th><th scope="col">Decision</th><th scope="col">Trained</th>
                  </tr></thead>
                  <tbody>
                    {models.data.data.map((m) => (
                      <tr key={m.id}>
                        <td>v{m.version}</td>
                        <td><span className={`status status-${m.status === 'live' ? 'open' : 'closed'}`}>{m.status}</span></td>
                        <td><Bar value={m.accuracy} /></td>
                        <td>{percent(m.macroF1)}</td>
                        <td>{m.heldBack}</td>
                        <td>{m.trainExamples + m.heldBack} ({m.agentExamples})</td>
                        <td className="model-decision small">{m.decision}</td>
                        <td className="small">{fullDate(m.createdAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
      {live && <WorstReasons model={live} />}
      <p>
        <button type="button" className="button" disabled={busy} onClick={() => void retrain()} data-testid="retrain">Retrain now</button>
        {message && <span className="muted small" role="status"> {message}</span>}
      </p>
    </section>
  );
}

function Bar({ value }: { value: number }) {
  return (
    <span className="bar-cell">
      <span className="bar-track" aria-hidden="true"><span className="bar-fill" style={{ width: `${Math.round(value * 100)}%` }} /></span>
      {percent(value)}
    </span>
  );
}

/** The live model's weakest reasons on the held-back examples: where more examples help most. */
function WorstReasons({ model }: { model: ReasonModel }) {
  const worst = [...model.perClass].filter((c) => c.support > 0).sort((a, b) => a.f1 - b.f1).slice(0, 5);
  if (!worst.length) return null;
  return (
    <p className="small muted">
      Weakest reasons of v{model.version} (F1 on held-back examples): {worst.map((c) => `${c.label.replaceAll('_', ' ')} ${percent(c.f1)}`).join(' · ')}
    </p>
  );
}
