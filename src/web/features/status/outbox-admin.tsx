import { useState } from 'react';
import { useApi } from '../../use-api.ts';
import { fullDate, channelLabel } from '../../format.ts';

type OutboxMessage = { id: string; channel: string; to: string; subject: string | null; bodyText: string; source: string; createdAt: string };

/** The workspace outbox (admins): what would have been sent where no relay or provider is configured. */
export function OutboxAdmin() {
  const [channel, setChannel] = useState('');
  const loaded = useApi<{ data: OutboxMessage[] }>(`/outbox?limit=50${channel ? `&channel=${channel}` : ''}`);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section className="card" aria-labelledby="outbox-title" data-testid="outbox">
      <div className="page-head">
        <h2 id="outbox-title">Outbox</h2>
        <label className="inline-field">Channel
          <select value={channel} onChange={(e) => setChannel(e.target.value)}><option value="">All</option>{Object.entries(channelLabel).map(([k, v]) => <option key={k} value={k}>{v}</option>)}</select>
        </label>
      </div>
      <p className="muted small">Where no SMTP relay or provider is set up, messages land here instead of failing (the demo has none). Nothing here reached anyone.</p>
      {loaded.errorCode === 'forbidden' ? <p className="muted">Only workspace admins can read the outbox.</p>
        : loaded.error ? <p className="alert alert-error" role="alert">{loaded.error}</p>
        : loaded.data?.data.length === 0 ? <p className="muted">Empty.</p> : (
          <table className="table">
            <thead><tr><th scope="col">When</th><th scope="col">Channel</th><th scope="col">To</th><th scope="col">Subject / text</th><th scope="col">From</th></tr></thead>
            <tbody>{loaded.data?.data.map((m) => (
              <tr key={m.id} onClick={() => setOpen(open === m.id ? null : m.id)} className="clickable">
                <td>{fullDate(m.createdAt)}</td><td>{channelLabel[m.channel] ?? m.channel}</td><td>{m.to}</td>
                <td>{m.subject && <strong>{m.subject}<br /></strong>}<span className={open === m.id ? 'pre' : 'clip'}>{m.bodyText}</span></td><td>{m.source}</td>
              </tr>))}</tbody>
          </table>
        )}
    </section>
  );
}
