import { useEffect, useState, type ReactNode } from 'react';
import { api, ApiError } from '../../api.ts';
import { Link, match, navigate, usePath } from '../../router.tsx';
import type { PortalMe } from './portal-api.ts';
import { SignInPage, LinkSignInPage } from './sign-in-page.tsx';
import { HomePage } from './home-page.tsx';
import { UsagePage } from './usage-page.tsx';
import { BillingPage } from './billing-page.tsx';
import { ServicePage } from './service-page.tsx';
import { DiagnosisPage } from './diagnosis-page.tsx';
import { PlanPage, CancelPage } from './plan-page.tsx';
import { ConversationsPage, ConversationPage } from './conversations-page.tsx';
import { PreferencesPage } from './preferences-page.tsx';
import { AssistantsPage } from './assistants-page.tsx';

const tabs = [
  { path: '/portal', label: 'Home' },
  { path: '/portal/diagnosis', label: 'Fix a problem' },
  { path: '/portal/billing', label: 'Bills' },
  { path: '/portal/usage', label: 'Usage' },
  { path: '/portal/plan', label: 'Plan' },
  { path: '/portal/conversations', label: 'Messages' },
  { path: '/portal/service', label: 'Service' },
  { path: '/portal/preferences', label: 'Settings' },
  { path: '/portal/assistants', label: 'Assistants' },
] as const;

type State = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; me: PortalMe } | { status: 'error'; message: string };

/** The customer portal: its own sign-in (a customer session, never an agent's), mobile first. */
export function PortalApp() {
  const path = usePath();
  const [state, setState] = useState<State>({ status: 'loading' });
  const load = () => api<PortalMe>('/me').then((me) => setState({ status: 'signed-in', me }))
    .catch((err) => setState(err instanceof ApiError && err.status === 401 ? { status: 'signed-out' } : { status: 'error', message: String(err.message ?? err) }));
  useEffect(() => { if (path !== '/portal/sign-in') void load(); }, []);
  useEffect(() => { document.title = 'My account · Candor'; }, []);

  if (path === '/portal/sign-in' && new URLSearchParams(location.search).get('token')) return <LinkSignInPage onSignedIn={(me) => { setState({ status: 'signed-in', me }); navigate('/portal', { replace: true }); }} />;
  if (state.status === 'loading') return <div className="splash" role="status">Loading your account…</div>;
  if (state.status === 'error') return <main className="splash"><p className="alert alert-error" role="alert">{state.message}</p><button className="button" onClick={() => void load()}>Try again</button></main>;
  if (state.status === 'signed-out') return <SignInPage onSignedIn={(me) => { setState({ status: 'signed-in', me }); navigate('/portal', { replace: true }); }} />;
  const signOut = async () => { await api('/me/sign-out', { method: 'POST' }).catch(() => {}); setState({ status: 'signed-out' }); navigate('/portal', { replace: true }); };
  return <PortalShell me={state.me} onSignOut={signOut} onChanged={() => void load()}>{page(path, state.me, () => void load())}</PortalShell>;
}

function page(path: string, me: PortalMe, reloadMe: () => void): ReactNode {
  if (path === '/portal' || path === '/portal/sign-in') return <HomePage me={me} />;
  if (path === '/portal/usage') return <UsagePage />;
  if (path === '/portal/billing') return <BillingPage />;
  if (path === '/portal/service') return <ServicePage />;
  if (path === '/portal/diagnosis') return <DiagnosisPage />;
  if (path === '/portal/plan') return <PlanPage me={me} onChanged={reloadMe} />;
  if (path === '/portal/cancel') return <CancelPage me={me} onChanged={reloadMe} />;
  if (path === '/portal/conversations') return <ConversationsPage />;
  const conv = match('/portal/conversations/:id', path);
  if (conv) return <ConversationPage id={conv.id} />;
  if (path === '/portal/preferences') return <PreferencesPage />;
  if (path === '/portal/assistants') return <AssistantsPage />;
  return <section className="p-page"><h1>Not found</h1><p><Link to="/portal">Back to my account</Link></p></section>;
}

function PortalShell({ me, children, onSignOut }: { me: PortalMe; children: ReactNode; onSignOut: () => void; onChanged: () => void }) {
  const path = usePath();
  const current = [...tabs].reverse().find((t) => path === t.path || (t.path !== '/portal' && path.startsWith(t.path)));
  return (
    <div className="p-shell">
      <a className="skip-link" href="#p-main">Skip to content</a>
      <header className="p-top">
        <Link to="/portal" className="brand" aria-label="My account home"><span className="brand-mark" aria-hidden="true">{me.workspace.name.charAt(0)}</span> {me.workspace.name}</Link>
        <span className="p-who" data-testid="portal-customer">{me.customer.name ?? me.customer.email}</span>
        <button type="button" className="button button-quiet button-small" onClick={onSignOut}>Sign out</button>
      </header>
      <nav className="p-tabs" aria-label="My account">
        {tabs.map((t) => <Link key={t.path} to={t.path} className="p-tab" aria-current={current?.path === t.path ? 'page' : undefined}>{t.label}</Link>)}
      </nav>
      <main id="p-main" className="p-main">{children}</main>
    </div>
  );
}
