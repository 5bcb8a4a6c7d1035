import type { Message } from '../../api.ts';
import { languageName } from './reason-bar.tsx';
import { percent } from './reasons.ts';

const mood = { negative: '☹', neutral: '•', positive: '☺' } as const;

/** A customer message's sentiment, language and (when it differs from the conversation's) reason, small, beside its time. */
export function MessageLabels({ m, conversationReason }: { m: Message; conversationReason: string | null }) {
  if (m.direction !== 'in' || !m.sentiment) return null;
  return (
    <span className="message-labels" data-testid="message-labels">
      <span className={`sentiment sentiment-${m.sentiment}`} title={`Sentiment: ${m.sentiment} (${m.sentimentScore})`} aria-label={`Sentiment ${m.sentiment}`}>{mood[m.sentiment]}</span>
      {m.language && <span className="lang" title={languageName(m.language)}>{m.language}</span>}
      {m.reason && m.reason !== 'unknown' && m.reason !== conversationReason && <span className="message-reason" title={`Reason of this message, ${percent(m.reasonConfidence)} sure`}>{m.reason.replaceAll('_', ' ')}</span>}
    </span>
  );
}
