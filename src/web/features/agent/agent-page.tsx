import { useRef, useState } from 'react';
import type { Conversation, Page } from '../../api.ts';
import { useApi } from '../../use-api.ts';
import { useLiveTopic } from '../../realtime.ts';
import { ConversationList, type InboxFilter } from './conversation-list.tsx';
import { ConversationView } from './conversation-view.tsx';
import { CustomerPanel } from './customer-panel.tsx';

/** The agent's inbox: conversations on the left, the open one in the middle, its customer on the right. */
export function AgentPage({ conversationId }: { conversationId: string | null }) {
  const [filter, setFilter] = useState<InboxFilter>('open');
  const query = filter === 'all' ? 'limit=50' : `status=${filter}&limit=50`;
  const list = useApi<Page<Conversation>>(`/conversations?${query}`);
  const [customerId, setCustomerId] = useState<string | null>(null);

  // Anything that happens to any conversation of the workspace: read the list again (batched).
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  useLiveTopic('inbox', () => {
    clearTimeout(pending.current);
    pending.current = setTimeout(list.reload, 250);
  });

  const selected = list.data?.data.find((c) => c.id === conversationId);
  const panelCustomer = conversationId ? customerId ?? selected?.customerId ?? null : null;

  return (
    <div className={`inbox${conversationId ? ' has-selection' : ''}`}>
      <ConversationList
        filter={filter}
        onFilter={setFilter}
        conversations={list.data?.data}
        error={list.error}
        loading={list.loading}
        selectedId={conversationId}
        onRefresh={list.reload}
      />
      {conversationId
        ? <ConversationView key={conversationId} id={conversationId} onLoaded={(c) => setCustomerId(c.customerId)} onChanged={list.reload} />
        : <section className="conversation conversation-empty" aria-label="Conversation"><p className="muted">Select a conversation to read it and reply.</p></section>}
      {panelCustomer && <CustomerPanel key={panelCustomer} customerId={panelCustomer} />}
    </div>
  );
}
