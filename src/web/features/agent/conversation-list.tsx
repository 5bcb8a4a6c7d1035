import type { Conversation } from '../../api.ts';
import { Link } from '../../router.tsx';
import { capitalise, channelLabel, fullDate, relativeTime } from '../../format.ts';
import { customerName, useCustomer } from './directory.ts';
import { SlaCountdown, useSlaClocks, type SlaClock } from '../insights/sla-clock.tsx';

export type InboxFilter = 'open' | 'pending' | 'resolved' | 'all';
const filters: InboxFilter[] = ['open', 'pending', 'resolved', 'all'];

type Props = {
  filter: InboxFilter;
  onFilter(f: InboxFilter): void;
  conversations: Conversation[] | undefined;
  error: string | null;
  loading: boolean;
  selectedId: string | null;
  onRefresh(): void;
};

export function ConversationList({ filter, onFilter, conversations, error, loading, selectedId, onRefresh }: Props) {
  const clocks = useSlaClocks(conversations?.filter((c) => c.status !== 'resolved' && c.status !== 'closed').map((c) => c.id));
  return (
    <aside className="inbox-list" aria-labelledby="inbox-title">
      <div className="inbox-head">
        <h1 id="inbox-title">Inbox</h1>
        <select value={filter} onChange={(e) => onFilter(e.target.value as InboxFilter)} aria-label="Show conversations">
          {filters.map((f) => <option key={f} value={f}>{f === 'all' ? 'All' : capitalise(f)}</option>)}
        </select>
        <button type="button" className="button button-quiet button-small" onClick={onRefresh} disabled={loading} aria-label="Refresh the inbox">↻</button>
      </div>
      {error && <p className="alert alert-error" role="alert">{error}</p>}
      {!conversations && !error && <p className="muted pad">Loading conversations…</p>}
      {conversations && conversations.length === 0 && (
        <p className="muted pad">{filter === 'all' ? 'No conversations yet.' : `No ${filter} conversations. Nice work.`}</p>
      )}
      {conversations && conversations.length > 0 && (
        <ul className="conv-list" aria-label="Conversations">
          {conversations.map((c) => <ConversationRow key={c.id} c={c} selected={c.id === selectedId} clock={clocks.get(c.id)} />)}
        </ul>
      )}
    </aside>
  );
}

function ConversationRow({ c, selected, clock }: { c: Conversation; selected: boolean; clock?: SlaClock }) {
  const customer = useCustomer(c.customerId);
  return (
    <li>
      <Link to={`/agent/${c.id}`} className="conv-row" aria-current={selected ? 'true' : undefined} data-testid="conversation-row">
        <div className="conv-row-top">
          <span className="conv-number">#{c.number}</span>
          <span className="conv-customer">{customerName(customer, c.customerId)}</span>
          <time dateTime={c.lastMessageAt} title={fullDate(c.lastMessageAt)}>{relativeTime(c.lastMessageAt)}</time>
        </div>
        <div className={`conv-subject${c.subject ? '' : ' muted'}`}>{c.subject || 'No subject'}</div>
        <div className="conv-meta">
          <span className="badge">{channelLabel[c.channel] ?? c.channel}</span>
          <span className={`status status-${c.status}`}>{capitalise(c.status)}</span>
          {c.priority !== 'normal' && <span className={`priority priority-${c.priority}`}>{capitalise(c.priority)}</span>}
          {c.reason && c.reason !== 'unknown' && <span className="message-reason" data-testid="row-reason">{c.reason.replaceAll('_', ' ')}</span>}
          <span className="muted">{c.messageCount} {c.messageCount === 1 ? 'message' : 'messages'}</span>
          <SlaCountdown clock={clock} />
        </div>
      </Link>
    </li>
  );
}
