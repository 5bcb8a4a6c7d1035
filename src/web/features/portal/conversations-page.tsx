import { useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../api.ts';
import { Link, navigate } from '../../router.tsx';
import { useApi } from '../../use-api.ts';
import { channelLabel } from '../../format.ts';
import { when, type MyConversation, type MyConversationDetail } from './portal-api.ts';
import { Await, Card } from './portal-kit.tsx';

const waiting = { us: 'We will answer', you: 'Waiting for you', nobody: '' } as const;

/** My conversations on every channel with their status, and a new request. */
export function ConversationsPage() {
  const r = useApi<{ data: MyConversation[] }>('/me/conversations');
  const [subject, setSubject] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);
  const send = async (e: FormEvent) => {
    e.preventDefault(); setError(null);
    try {
      const s = await api<{ conversation: MyConversation }>('/me/conversations', { method: 'POST', body: { message, ...(subject.trim() ? { subject: subject.trim() } : {}) } });
      navigate(`/portal/conversations/${s.conversation.id}`);
    } catch (err) { setError(errorMessage(err)); }
  };
  return (
    <section className="p-page">
      <h1>My conversations</h1>
      <Await r={r}>{(c) => c.data.length ? (
        <ul className="p-convs">{c.data.map((x) => (
          <li key={x.id}><Link to={`/portal/conversations/${x.id}`} className="p-conv">
            <span><strong>#{x.number} {x.subject ?? 'Conversation'}</strong><span className="muted small"> · {channelLabel[x.channel] ?? x.channel} · {when(x.lastMessageAt)}</span></span>
            <span className={`status status-${x.status}`}>{x.status}</span>
            {waiting[x.waitingOn] && <span className="small muted">{waiting[x.waitingOn]}</span>}
          </Link></li>
        ))}</ul>
      ) : <p className="muted">No conversations yet.</p>}</Await>
      <Card title="Write to us">
        <form onSubmit={send}>
          <label className="field"><span>Subject</span><input value={subject} onChange={(e) => setSubject(e.target.value)} maxLength={200} /></label>
          <label className="field"><span>Message</span><textarea rows={4} required value={message} onChange={(e) => setMessage(e.target.value)} /></label>
          {error && <p className="alert alert-error" role="alert">{error}</p>}
          <button className="button button-primary" type="submit" disabled={!message.trim()}>Send</button>
        </form>
      </Card>
    </section>
  );
}

/** One conversation, the same one the agent sees, on whatever channel it started; I can continue it here. */
export function ConversationPage({ id }: { id: string }) {
  const r = useApi<MyConversationDetail>(`/me/conversations/${id}`);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const send = async (e: FormEvent) => {
    e.preventDefault(); setError(null);
    try { await api(`/me/conversations/${id}/messages`, { method: 'POST', body: { message: text } }); setText(''); r.reload(); } catch (err) { setError(errorMessage(err)); }
  };
  return (
    <section className="p-page">
      <p><Link to="/portal/conversations">← All conversations</Link></p>
      <Await r={r}>{(c) => <>
        <h1>#{c.number} {c.subject ?? 'Conversation'}</h1>
        <p className="muted small">{channelLabel[c.channel] ?? c.channel} · <span className={`status status-${c.status}`}>{c.status}</span> {waiting[c.waitingOn]}</p>
        <ol className="p-thread">{c.messages.map((m) => (
          <li key={m.id} className={`p-msg p-msg-${m.from}`}>
            <div className="p-msg-meta">{m.from === 'you' ? 'You' : 'Us'} · {channelLabel[m.channel] ?? m.channel} · {when(m.createdAt)}</div>
            <div className="p-msg-body">{m.bodyText}</div>
          </li>
        ))}</ol>
        <form onSubmit={send} className="p-reply">
          <label className="field"><span>{c.status === 'resolved' || c.status === 'closed' ? 'Write again (it reopens this conversation)' : 'Your reply'}</span><textarea rows={3} required value={text} onChange={(e) => setText(e.target.value)} /></label>
          {error && <p className="alert alert-error" role="alert">{error}</p>}
          <button className="button button-primary" type="submit" disabled={!text.trim()}>Send</button>
        </form>
      </>}</Await>
    </section>
  );
}
