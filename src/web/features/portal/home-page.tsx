import { Link } from '../../router.tsx';
import { useApi } from '../../use-api.ts';
import { money, day, type PortalMe, type ServiceStatus, type Usage, type Invoices, type MyConversation } from './portal-api.ts';
import { Await, Card, Meter, StateBadge, stateTone } from './portal-kit.tsx';

/** One screen: plan, service at my address, incidents affecting me, this month's usage, next bill, open conversations. */
export function HomePage({ me }: { me: PortalMe }) {
  const status = useApi<ServiceStatus>('/me/service-status');
  const usage = useApi<Usage>('/me/usage');
  const bills = useApi<Invoices>('/me/invoices');
  const convs = useApi<{ data: MyConversation[] }>('/me/conversations');
  const sub = me.subscription;
  return (
    <section className="p-page">
      <h1>Hello{me.customer.name ? `, ${me.customer.name.split(' ')[0]}` : ''}</h1>
      <div className="p-grid">
        <Card title="My plan" testId="home-plan" action={<Link to="/portal/plan" className="button button-small">Change</Link>}>
          {sub ? <>
            <p className="p-big">{sub.plan.name}</p>
            <p>{sub.plan.downloadMbps}/{sub.plan.uploadMbps} Mbit/s{sub.plan.dataCapGb ? ` · ${sub.plan.dataCapGb} GB a month` : ' · unlimited data'} · {money(sub.plan.priceCents, sub.plan.currency)} a month</p>
            <p className="muted small">{sub.address} · {sub.status === 'active' ? `since ${day(sub.startedAt)}` : sub.status}{sub.endedAt ? `, ends ${day(sub.endedAt)}` : ''}</p>
          </> : <p>You have no subscription with us.</p>}
        </Card>
        <Await r={status}>{(s) => (
          <Card title="Service at my address" tone={stateTone(s.state)} testId="home-service" action={<StateBadge state={s.state} />}>
            <p>{s.summary}</p>
            {s.incidents.map((i) => (
              <div key={i.id} className="p-incident">
                <strong>{i.name}</strong> <span className="muted small">({i.status}{i.following ? ', you follow it' : ''})</span>
                {i.latestUpdate && <p className="small">{i.latestUpdate}</p>}
              </div>
            ))}
            <Link to="/portal/diagnosis" className="button button-primary">{s.state === 'operational' ? 'Something not working? Check it' : 'Check my connection'}</Link>
          </Card>
        )}</Await>
        <Await r={usage}>{(u) => (
          <Card title="Usage this month" testId="home-usage" action={<Link to="/portal/usage" className="button button-small">Details</Link>}>
            <p className="p-big">{u.monthToDateGb} GB{u.capGb ? <span className="muted"> of {u.capGb} GB</span> : ''}</p>
            {u.capGb ? <Meter value={u.monthToDateGb} max={u.capGb} label="Data used of the cap" /> : null}
            <p className="small">{u.summary}</p>
          </Card>
        )}</Await>
        <Await r={bills}>{(b) => {
          const last = b.data[0];
          return (
            <Card title="Bills" testId="home-bill" action={<Link to="/portal/billing" className="button button-small">Explained</Link>}>
              {b.nextBill && <p><strong>Next bill:</strong> about {money(b.nextBill.estimateCents, b.nextBill.currency)} <span className="muted small">for {day(b.nextBill.periodStart)} – {day(b.nextBill.periodEnd)}</span></p>}
              {last && <p><strong>Last bill:</strong> {money(last.totalCents, last.currency)} ({last.status}) <span className="small">— {last.summary}</span></p>}
              {b.balanceDueCents > 0 && <p className="alert alert-error">{money(b.balanceDueCents)} is still to pay.</p>}
            </Card>
          );
        }}</Await>
        <Await r={convs}>{(c) => {
          const open = c.data.filter((x) => x.status !== 'resolved' && x.status !== 'closed');
          return (
            <Card title="My conversations" testId="home-conversations" action={<Link to="/portal/conversations" className="button button-small">All</Link>}>
              {open.length ? <ul className="p-list">{open.slice(0, 4).map((x) => (
                <li key={x.id}><Link to={`/portal/conversations/${x.id}`}>#{x.number} {x.subject ?? 'Conversation'}</Link> <span className="muted small">{x.waitingOn === 'us' ? 'we will answer' : x.waitingOn === 'you' ? 'waiting for you' : ''}</span></li>
              ))}</ul> : <p className="muted">Nothing open. <Link to="/portal/conversations">Write to us</Link></p>}
            </Card>
          );
        }}</Await>
      </div>
    </section>
  );
}
