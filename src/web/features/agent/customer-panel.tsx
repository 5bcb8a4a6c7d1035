import type { Customer, TimelineEntry } from '../../api.ts';
import { useApi } from '../../use-api.ts';
import { useLiveTopic } from '../../realtime.ts';
import { fullDate, relativeTime } from '../../format.ts';
import { customerName, fetchCustomer } from './directory.ts';

/** The customer beside the conversation: who they are and their latest story. */
export function CustomerPanel({ customerId }: { customerId: string }) {
  const customer = useApi<Customer>(customerId, (id) => fetchCustomer(id, true));
  const timeline = useApi<{ data: TimelineEntry[] }>(`/customers/${customerId}/timeline?limit=8`);
  useLiveTopic(`customer:${customerId}`, () => timeline.reload());
  const c = customer.data;
  return (
    <aside className="customer-panel" aria-labelledby="customer-title">
      <h2 id="customer-title">{customerName(c, customerId)}</h2>
      {customer.error && <p className="alert alert-error" role="alert">{customer.error}</p>}
      {c && (
        <dl className="facts">
          {c.email && <><dt>Email</dt><dd>{c.email}{c.emailClaimed && <> <span className="badge badge-unverified" title="Typed into the chat widget by the visitor; nobody proved it is theirs">unverified</span></>}</dd></>}
          <dt>Identity</dt><dd>{c.verified ? 'verified' : <span className="badge badge-unverified" title="Nobody proved who this is: do not share account details on their word">unverified</span>}</dd>
          {c.phone && <><dt>Phone</dt><dd>{c.phone}</dd></>}
          <dt>Language</dt><dd>{c.language}</dd>
          {c.externalRef && <><dt>Account</dt><dd>{c.externalRef}</dd></>}
          <dt>Customer since</dt><dd>{fullDate(c.createdAt)}</dd>
          {c.identities.length > 0 && <><dt>Reaches us by</dt><dd>{c.identities.map((i) => `${i.kind}: ${i.value}`).join(', ')}</dd></>}
        </dl>
      )}
      <h3>Recent activity</h3>
      {timeline.error && <p className="alert alert-error" role="alert">{timeline.error}</p>}
      {timeline.data && timeline.data.data.length === 0 && <p className="muted small">Nothing yet.</p>}
      {timeline.data && timeline.data.data.length > 0 && (
        <ol className="timeline">
          {timeline.data.data.map((e) => (
            <li key={e.id}>
              <span className="timeline-summary">{e.summary}</span>
              <time className="muted small" dateTime={e.occurredAt} title={fullDate(e.occurredAt)}>{relativeTime(e.occurredAt)}</time>
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
