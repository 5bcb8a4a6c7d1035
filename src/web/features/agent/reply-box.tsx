import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { api, errorMessage, newKey, type Message } from '../../api.ts';

type Mode = 'out' | 'note';

/** Reply to the customer (queued for delivery on the conversation's channel) or leave an internal note. */
export function ReplyBox({ conversationId, customerName, onAdded }: { conversationId: string; customerName: string; onAdded(m: Message): void }) {
  const [mode, setMode] = useState<Mode>('out');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // One key per draft: a retry after a lost answer cannot send the same reply twice.
  const key = useRef(newKey());

  async function send(e?: FormEvent) {
    e?.preventDefault();
    const bodyText = text.trim();
    if (!bodyText || busy) return;
    setBusy(true);
    setError(null);
    try {
      const message = await api<Message>(`/conversations/${conversationId}/messages`, {
        method: 'POST', body: { bodyText, direction: mode }, idempotencyKey: key.current,
      });
      key.current = newKey();
      setText('');
      onAdded(message);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void send();
  }

  const label = mode === 'out' ? `Reply to ${customerName}` : 'Internal note (only your team sees it)';
  return (
    <form className={`reply reply-${mode}`} onSubmit={send} aria-label="Reply">
      <div className="reply-modes" role="radiogroup" aria-label="Message type">
        {(['out', 'note'] as const).map((m) => (
          <label key={m} className={`reply-mode${mode === m ? ' is-active' : ''}`}>
            <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
            {m === 'out' ? 'Reply' : 'Note'}
          </label>
        ))}
      </div>
      <label className="visually-hidden" htmlFor={`reply-${conversationId}`}>{label}</label>
      <textarea
        id={`reply-${conversationId}`}
        value={text}
        onChange={(e) => { setText(e.target.value); if (error) setError(null); }}
        onKeyDown={onKeyDown}
        placeholder={mode === 'out' ? `Write a reply to ${customerName}…` : 'Write a note for your team…'}
        rows={3}
      />
      {error && <p className="alert alert-error" role="alert">{error}</p>}
      <div className="reply-actions">
        <span className="muted small">Ctrl+Enter to send</span>
        <button type="submit" className="button button-primary" disabled={busy || !text.trim()}>
          {busy ? 'Sending…' : mode === 'out' ? 'Send reply' : 'Add note'}
        </button>
      </div>
    </form>
  );
}
