import { useState } from 'react';
import { api, errorMessage } from '../../api.ts';
import { Link, navigate } from '../../router.tsx';
import { useApi } from '../../use-api.ts';
import { money, day, type Plan, type PortalMe, type Quote, type PlanChanged } from './portal-api.ts';
import { Await, Card } from './portal-kit.tsx';

/** Upgrade, downgrade or switch: pick a plan, see the exact price (to the day) before anything changes, confirm. */
export function PlanPage({ me, onChanged }: { me: PortalMe; onChanged: () => void }) {
  const plans = useApi<{ data: Plan[] }>('/me/plans');
  const [quote, setQuote] = useState<Quote | null>(null);
  const [done, setDone] = useState<PlanChanged | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const wanted = new URLSearchParams(location.search).get('plan');

  const preview = async (code: string) => {
    setBusy(true); setError(null); setDone(null);
    try { setQuote(await api<Quote>('/me/plan-change/preview', { method: 'POST', body: { planCode: code } })); } catch (err) { setError(errorMessage(err)); } finally { setBusy(false); }
  };
  const confirm = async () => {
    if (!quote) return;
    setBusy(true); setError(null);
    try { setDone(await api<PlanChanged>('/me/plan-change', { method: 'POST', body: { previewToken: quote.previewToken, planCode: quote.toPlan?.code } })); setQuote(null); onChanged(); plans.reload(); }
    catch (err) { setError(errorMessage(err)); } finally { setBusy(false); }
  };
  const active = me.subscription?.status === 'active';
  return (
    <section className="p-page">
      <h1>My plan</h1>
      {done && <p className="alert p-alert-ok" role="status" data-testid="plan-changed">{done.text}</p>}
      {error && <p className="alert alert-error" role="alert">{error}</p>}
      {quote && quote.toPlan && (
        <Card title={`Change to ${quote.toPlan.name}?`} testId="plan-quote">
          <dl className="p-facts">
            <div><dt>New monthly price</dt><dd>{money(quote.newMonthlyCents, quote.currency)} <span className="muted">(now {money(quote.fromPlan.priceCents, quote.currency)})</span></dd></div>
            <div><dt>Starts</dt><dd>{day(quote.effectiveDate)} (today)</dd></div>
            <div><dt>This month</dt><dd>{quote.prorationCents >= 0 ? `+${money(quote.prorationCents, quote.currency)}` : `−${money(-quote.prorationCents, quote.currency)}`} for the remaining {quote.daysLeft} of {quote.daysInMonth} days</dd></div>
          </dl>
          <p className="small">{quote.summary}</p>
          <div className="p-end">
            <button className="button button-primary" disabled={busy} onClick={() => void confirm()}>Confirm the change</button>
            <button className="button button-quiet" disabled={busy} onClick={() => setQuote(null)}>Not now</button>
          </div>
        </Card>
      )}
      <Await r={plans}>{(p) => (
        <div className="p-plans">{p.data.map((x) => (
          <div key={x.id} className={`p-plan${x.current ? ' p-plan-current' : ''}${wanted === x.code ? ' p-plan-wanted' : ''}`} data-testid={`plan-${x.code}`}>
            <h2>{x.name}</h2>
            <p className="p-big">{money(x.priceCents, x.currency)}<span className="muted small"> a month</span></p>
            <p className="small">{x.downloadMbps}/{x.uploadMbps} Mbit/s · {x.dataCapGb ? `${x.dataCapGb} GB a month` : 'unlimited data'}</p>
            {x.current ? <span className="p-badge p-badge-ok">Your plan</span>
              : <button className="button" disabled={busy || !active} onClick={() => void preview(x.code)}>{me.subscription && x.priceCents > me.subscription.plan.priceCents ? 'Upgrade' : 'Switch'} — see the price</button>}
          </div>
        ))}</div>
      )}</Await>
      {active && <p className="p-cancel-link"><Link to="/portal/cancel">Cancel my subscription</Link> <span className="muted small">— as easy as signing up.</span></p>}
    </section>
  );
}

/** Cancelling: what it means, one honest offer at most, one button. Confirmed on my channel. */
export function CancelPage({ me, onChanged }: { me: PortalMe; onChanged: () => void }) {
  const [quote, setQuote] = useState<Quote | null>(null);
  const [done, setDone] = useState<PlanChanged | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('');
  const load = async () => { setBusy(true); setError(null); try { setQuote(await api<Quote>('/me/cancellation/preview', { method: 'POST' })); } catch (err) { setError(errorMessage(err)); } finally { setBusy(false); } };
  const confirm = async () => {
    if (!quote) return;
    setBusy(true); setError(null);
    try { setDone(await api<PlanChanged>('/me/cancellation', { method: 'POST', body: { previewToken: quote.previewToken, ...(reason.trim() ? { reason: reason.trim() } : {}) } })); onChanged(); } catch (err) { setError(errorMessage(err)); } finally { setBusy(false); }
  };
  if (me.subscription?.status !== 'active' && !done) return <section className="p-page"><h1>Cancel</h1><p>Your subscription is {me.subscription?.status ?? 'not there'}; there is nothing to cancel.</p></section>;
  return (
    <section className="p-page">
      <h1>Cancel my subscription</h1>
      {error && <p className="alert alert-error" role="alert">{error}</p>}
      {done ? <p className="alert p-alert-ok" role="status" data-testid="cancelled">{done.text}</p> : !quote ? (
        <Card title="Before you go">
          <p>Cancelling takes one click. Your service runs until the end of this month; you pay nothing after it.</p>
          <button className="button button-primary" disabled={busy} onClick={() => void load()}>Continue</button>
        </Card>
      ) : (
        <Card title={`Cancel ${quote.fromPlan.name}`} testId="cancel-quote">
          <p>{quote.summary}</p>
          {quote.retentionOffer && (
            <div className="p-offer">
              <p>{quote.retentionOffer.text}</p>
              <button className="button button-small" onClick={() => navigate(`/portal/plan?plan=${encodeURIComponent(quote.retentionOffer!.planCode)}`)}>Look at that plan instead</button>
            </div>
          )}
          <label className="field"><span>Why are you leaving? (optional, it helps us)</span><input value={reason} onChange={(e) => setReason(e.target.value)} /></label>
          <button className="button p-danger" disabled={busy} onClick={() => void confirm()}>Cancel my subscription</button>
        </Card>
      )}
    </section>
  );
}
