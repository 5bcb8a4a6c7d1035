import { useState } from 'react';
import { api, errorMessage } from '../../api.ts';
import { useApi } from '../../use-api.ts';
import { fullDate } from '../../format.ts';

type Request = { id: string; customerId: string; status: 'open' | 'completed'; createdAt: string; completedAt: string | null; note?: string | null };

/** Admin: customers' deletion requests from the portal, completed here (profile, identities and message texts erased). */
export function PortalRequestsAdmin() {
  const r = useApi<{ data: Request[] }>('/portal-requests');
  const [error, setError] = useState<string | null>(null);
  const complete = async (id: string) => {
    if (!confirm('Erase this customer\'s profile, identities and message texts? Invoices stay, without their name.')) return;
    try { await api(`/portal-requests/${id}/complete`, { method: 'POST' }); r.reload(); } catch (err) { setError(errorMessage(err)); }
  };
  return (
    <section className="card" aria-labelledby="portal-requests-title">
      <h2 id="portal-requests-title">Deletion requests</h2>
      {error && <p className="alert alert-error" role="alert">{error}</p>}
      {r.errorCode === 'forbidden' ? <p className="muted">Only workspace admins handle deletion requests.</p>
        : r.error ? <p className="alert alert-error" role="alert">{r.error}</p>
          : !r.data ? <p className="muted">Loading…</p>
            : !r.data.data.length ? <p className="muted">No customer has asked for deletion.</p> : (
              <table className="table">
                <thead><tr><th scope="col">Customer</th><th scope="col">Asked</th><th scope="col">Note</th><th scope="col">Status</th></tr></thead>
                <tbody>{r.data.data.map((x) => (
                  <tr key={x.id}>
                    <td><code>{x.customerId.slice(0, 8)}</code></td><td>{fullDate(x.createdAt)}</td><td>{x.note ?? <span className="muted">—</span>}</td>
                    <td>{x.status === 'open' ? <button className="button button-small" onClick={() => void complete(x.id)}>Complete</button> : `Completed ${x.completedAt ? fullDate(x.completedAt) : ''}`}</td>
                  </tr>
                ))}</tbody>
              </table>
            )}
    </section>
  );
}
