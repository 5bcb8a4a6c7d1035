import { useApi } from '../../use-api.ts';
import { money, day, when, type Invoices, type Invoice } from './portal-api.ts';
import { Await, Card } from './portal-kit.tsx';

/** Every bill line by line in plain language, why each differs from the one before, payments, PDF and CSV. */
export function BillingPage() {
  const r = useApi<Invoices>('/me/invoices');
  return (
    <section className="p-page">
      <h1>My bills, explained</h1>
      <Await r={r}>{(b) => <>
        {b.nextBill && <Card title="Next bill"><p>{b.nextBill.text}</p></Card>}
        {b.balanceDueCents > 0 && <p className="alert alert-error">{money(b.balanceDueCents)} is still to pay.</p>}
        {b.data.map((inv, i) => <InvoiceCard key={inv.id} inv={inv} open={i === 0} />)}
        {!b.data.length && <p className="muted">No bills yet.</p>}
      </>}</Await>
    </section>
  );
}

function InvoiceCard({ inv, open }: { inv: Invoice; open: boolean }) {
  return (
    <details className="p-card p-invoice" open={open} data-testid="invoice">
      <summary>
        <span><strong>{day(inv.periodStart)} – {day(inv.periodEnd)}</strong> <span className="muted small">{inv.number}</span></span>
        <span className="p-invoice-total">{money(inv.totalCents, inv.currency)} <span className={`p-badge p-badge-${inv.status === 'paid' ? 'ok' : inv.status === 'overdue' ? 'bad' : 'warn'}`}>{inv.status}</span></span>
      </summary>
      {inv.comparedWith && (
        <div className="p-why" data-testid="bill-why">
          <h3>Why this bill is {inv.differenceCents === 0 ? 'the same as' : `${money(Math.abs(inv.differenceCents ?? 0), inv.currency)} ${(inv.differenceCents ?? 0) > 0 ? 'more than' : 'less than'}`} last month</h3>
          <ul className="p-list">{inv.differences.map((d) => <li key={d.kind}><span className={`p-delta ${d.deltaCents > 0 ? 'p-delta-up' : 'p-delta-down'}`}>{d.deltaCents > 0 ? '+' : '−'}{money(Math.abs(d.deltaCents), inv.currency)}</span> {d.text.replace(/ \([+−][^)]*\)\.$/, '.')}</li>)}</ul>
        </div>
      )}
      <h3>Line by line</h3>
      <table className="table p-lines">
        <tbody>{inv.lines.map((l) => (
          <tr key={l.position}><td><div>{l.description}</div><div className="muted small">{l.explanation}</div></td><td className="p-amount">{money(l.amountCents, inv.currency)}</td></tr>
        ))}</tbody>
        <tfoot><tr><th>Total</th><td className="p-amount"><strong>{money(inv.totalCents, inv.currency)}</strong></td></tr></tfoot>
      </table>
      <p className="small">Due {day(inv.dueAt)} · paid {money(inv.paidCents, inv.currency)}{inv.payments.map((p) => ` · ${money(p.amountCents, inv.currency)} by ${p.method.replace('_', ' ')} on ${when(p.receivedAt)}`).join('')}</p>
      <p><a className="button button-small" href={inv.pdfUrl} download>PDF</a> <a className="button button-small" href={inv.csvUrl} download>CSV</a></p>
    </details>
  );
}

