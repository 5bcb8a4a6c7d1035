import { SlaCountdown, useSlaClocks } from '../insights/sla-clock.tsx';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { api, errorMessage, type Conversation, type ConversationStatus, type Message, type Page } from '../../api.ts';
import { useApi } from '../../use-api.ts';
import { useLiveTopic } from '../../realtime.ts';
import { capitalise, channelLabel, fullDate, messageTime } from '../../format.ts';
import { useMe } from '../auth/session.tsx';
import { customerName, useAgents, useCustomer } from './directory.ts';
import { ReplyBox } from './reply-box.tsx';
import { ReasonBar } from '../understanding/reason-bar.tsx';
import { MessageLabels } from '../understanding/message-labels.tsx';

type Thread = { conversation: Conversation; messages: Message[] };

/** Every message, oldest first, following the cursor (a long thread is a few pages of 200). */
async function loadThread(path: string, signal: AbortSignal): Promise<Thread> {
  const messages: Message[] = [];
  let cursor: string | null = null;
  let conversation: Conversation | undefined;
  for (let i = 0; i < 10; i++) {
    const page: Page<Message> & { conversation: Conversation } =
      await api(`${path}?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal });
    conversation = page.conversation;
    messages.push(...page.data);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return { conversation: conversation!, messages };
}

const statusChoices: ConversationStatus[] = ['open', 'pending', 'resolved'];

type Props = { id: string; onLoaded(c: Conversation): void; onChanged(): void };

export function ConversationView({ id, onLoaded, onChanged }: Props) {
  const me = useMe();
  const thread = useApi<Thread>(`/conversations/${id}/messages`, loadThread);
  const conv = thread.data?.conversation;
  const customer = useCustomer(conv?.customerId);
  const agents = useAgents(me.workspace.id);
  const [statusError, setStatusError] = useState<string | null>(null);
  const [savingStatus, setSavingStatus] = useState(false);
  const scroller = useRef<HTMLOListElement>(null);

  useEffect(() => { if (conv) onLoaded(conv); }, [conv?.id]);

  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  useLiveTopic(`conversation:${id}`, () => {
    clearTimeout(pending.current);
    pending.current = setTimeout(thread.reload, 150);
  });

  // Keep the newest message in view.
  const count = thread.data?.messages.length ?? 0;
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [count]);

  async function changeStatus(status: ConversationStatus) {
    setSavingStatus(true);
    setStatusError(null);
    try {
      const updated = await api<Conversation>(`/conversations/${id}`, { method: 'PATCH', body: { status } });
      thread.setData((t) => (t ? { ...t, conversation: updated } : t));
      onChanged();
    } catch (err) {
      setStatusError(errorMessage(err));
    } finally {
      setSavingStatus(false);
    }
  }

  function added(message: Message) {
    thread.setData((t) => (t && !t.messages.some((m) => m.id === message.id) ? { ...t, messages: [...t.messages, message] } : t));
    onChanged();
  }

  if (thread.error && !thread.data) {
    return <section className="conversation" aria-label="Conversation"><p className="alert alert-error" role="alert">{thread.error}</p></section>;
  }
  if (!thread.data || !conv) {
    return <section className="conversation" aria-label="Conversation"><p className="muted pad">Loading conversation…</p></section>;
  }

  const who = customerName(customer, conv.customerId);
  const choices = statusChoices.includes(conv.status) ? statusChoices : [conv.status, ...statusChoices];
  return (
    <section className="conversation" aria-labelledby="conversation-title">
      <header className="conversation-head">
        <div>
          <h2 id="conversation-title"><span className="conv-number">#{conv.number}</span> {conv.subject || 'No subject'}</h2>
          <p className="muted small">
            {who} · {channelLabel[conv.channel] ?? conv.channel} · started <time dateTime={conv.createdAt}>{fullDate(conv.createdAt)}</time>
            {' '}<ConversationSla id={conv.id} />
          </p>
        </div>
        <label className="inline-field">
          <span>Status</span>
          <select value={conv.status} disabled={savingStatus} onChange={(e) => void changeStatus(e.target.value as ConversationStatus)} data-testid="status-select">
            {choices.map((s) => <option key={s} value={s}>{capitalise(s)}</option>)}
          </select>
        </label>
      </header>
      {statusError && <p className="alert alert-error" role="alert">{statusError}</p>}
      <ReasonBar conversation={conv} onChanged={(updated) => { thread.setData((t) => (t ? { ...t, conversation: updated } : t)); onChanged(); }} />
      <ol className="messages" ref={scroller} aria-label="Messages" aria-live="polite">
        {thread.data.messages.map((m) => (
          <MessageItem key={m.id} m={m} author={authorName(m, who, agents, me.agent.id)} reason={conv.reason} />
        ))}
      </ol>
      <ReplyBox conversationId={id} customerName={who} onAdded={added} />
    </section>
  );
}

function authorName(m: Message, customer: string, agents: Map<string, { name: string }>, myId: string): string {
  if (m.authorType === 'customer') return customer;
  if (m.authorType === 'agent') return m.authorId === myId ? 'You' : (m.authorId && agents.get(m.authorId)?.name) || 'Agent';
  if (m.authorType === 'bot') return 'Assistant';
  return 'Candor';
}

function MessageItem({ m, author, reason }: { m: Message; author: string; reason: string | null }) {
  const kind = m.direction === 'note' ? 'note' : m.direction === 'in' ? 'in' : 'out';
  return (
    <li className={`message message-${kind}`} data-testid={`message-${kind}`}>
      <div className="message-meta">
        <span className="message-author">{author}</span>
        {kind === 'note' && <span className="note-label">Internal note</span>}
        <time dateTime={m.createdAt} title={fullDate(m.createdAt)}>{messageTime(m.createdAt)}</time>
        <MessageLabels m={m} conversationReason={reason} />
        {kind === 'out' && m.deliveryStatus && <span className={`delivery delivery-${m.deliveryStatus}`} title={m.deliveryError ?? undefined}>{m.deliveryStatus}</span>}
      </div>
      <div className="message-body">{m.bodyText}</div>
      {m.attachments.length > 0 && (
        <ul className="attachments" aria-label="Attachments">
          {m.attachments.map((a) => <li key={a.id}>{a.url ? <a href={a.url} target="_blank" rel="noreferrer">{a.filename}</a> : a.filename}</li>)}
        </ul>
      )}
    </li>
  );
}

/** The conversation's SLA countdown (src/web/features/insights). */
function ConversationSla({ id }: { id: string }) {
  return <SlaCountdown clock={useSlaClocks([id]).get(id)} />;
}
