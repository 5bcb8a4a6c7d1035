import { useState } from 'react';
import { api, errorMessage, type Conversation } from '../../api.ts';
import { percent, reasonName, useReasons } from './reasons.ts';

/**
 * What the customer wants, above the thread: the contact reason with its confidence and the words
 * that decided it, confirmed or corrected in one click (each is a training example), and the
 * effort the customer has had to make so far.
 */
export function ReasonBar({ conversation, onChanged }: { conversation: Conversation; onChanged(c: Conversation): void }) {
  const { reasons, byKey } = useReasons();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const c = conversation;
  const byAgent = c.reasonSource === 'agent';

  async function setReason(reason: string) {
    setSaving(true);
    setError(null);
    try {
      onChanged(await api<Conversation>(`/conversations/${c.id}/reason`, { method: 'PUT', body: { reason } }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  }

  const known = c.reason && c.reason !== 'unknown';
  return (
    <div className="reason-bar" data-testid="reason-bar">
      <div className="reason-main">
        <span className="reason-label">Reason</span>
        <strong className={`reason reason-${known ? 'known' : 'unknown'}`} data-testid="reason-name">{reasonName(c.reason, byKey)}</strong>
        {byAgent
          ? <span className="reason-source" title="An agent set this reason; the model no longer changes it">✓ confirmed by an agent</span>
          : c.reasonConfidence !== null && <span className="reason-confidence" title="How likely the model thinks it is right">{percent(Math.min(c.reasonConfidence, 0.99))} sure</span>}
        {!byAgent && c.reasonEvidence.length > 0 && (
          <span className="reason-evidence" aria-label="Words that weighed most">
            {c.reasonEvidence.map((w) => <mark key={w}>{w}</mark>)}
          </span>
        )}
      </div>
      <div className="reason-actions">
        {known && !byAgent && (
          <button type="button" className="button button-small" disabled={saving} onClick={() => void setReason(c.reason!)} data-testid="reason-confirm">Confirm</button>
        )}
        <label className="inline-field">
          <span className="visually-hidden">Correct the reason</span>
          <select value="" disabled={saving || !reasons.length} onChange={(e) => e.target.value && void setReason(e.target.value)} data-testid="reason-correct">
            <option value="">{byAgent ? 'Change…' : 'Correct…'}</option>
            {reasons.filter((r) => r.key !== c.reason).map((r) => <option key={r.key} value={r.key}>{r.name}</option>)}
          </select>
        </label>
      </div>
      <EffortChips c={c} />
      {error && <p className="alert alert-error" role="alert">{error}</p>}
    </div>
  );
}

function EffortChips({ c }: { c: Conversation }) {
  const e = c.effort;
  const chips: [string, string][] = [];
  if (e.repeatOf) chips.push(['warn', 'Repeat contact within 7 days']);
  if (e.channelSwitches) chips.push(['warn', `${e.channelSwitches} channel switch${e.channelSwitches > 1 ? 'es' : ''}`]);
  if (e.reopens) chips.push(['warn', `Reopened ${e.reopens}×`]);
  if (e.transfers) chips.push(['warn', `Transferred ${e.transfers}×`]);
  if (e.customerMessages > 3) chips.push(['warn', `${e.customerMessages} customer messages`]);
  if (c.sentimentTrend === 'worsening') chips.push(['bad', 'Mood worsening']);
  if (c.sentimentTrend === 'improving') chips.push(['good', 'Mood improving']);
  if (c.language && c.language !== 'en') chips.push(['info', `Writes in ${languageName(c.language)}`]);
  if (!chips.length) return null;
  return (
    <ul className="effort-chips" aria-label="Effort and mood">
      {chips.map(([tone, text]) => <li key={text} className={`effort effort-${tone}`}>{text}</li>)}
    </ul>
  );
}

export function languageName(code: string): string {
  try { return new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code; } catch { return code; }
}
