import { useEffect, type ReactNode } from 'react';
import { Link, match, navigate, usePath } from './router.tsx';
import { SessionProvider, useMe, useSession } from './features/auth/session.tsx';
import { LoginPage } from './features/auth/login-page.tsx';
import { AgentPage } from './features/agent/agent-page.tsx';
import { AdminPage } from './features/admin/admin-page.tsx';
import { PortalApp } from './features/portal/portal-app.tsx';
import { IncidentsPage } from './features/status/status-page.tsx';
import { InsightsPage } from './features/insights/insights-page.tsx';
import { useLiveStatus } from './realtime.ts';

const areas = [
  { path: '/agent', label: 'Agent' },
  { path: '/agent/insights', label: 'Insights' },
  { path: '/portal', label: 'Portal' },
  { path: '/incidents', label: 'Status' },
  { path: '/admin', label: 'Admin' },
] as const;

export function App() {
  const path = usePath();
  // The customer portal has its own sign-in and session (a customer, never an agent).
  if (path === '/portal' || path.startsWith('/portal/')) return <PortalApp />;
  return <SessionProvider><Gate /></SessionProvider>;
}

/** Sends signed-out visitors to /login and signed-in ones away from it. */
function Gate() {
  const { state, reload } = useSession();
  const path = usePath();
  const onLogin = path === '/login';

  useEffect(() => {
    if (state.status === 'signed-out' && !onLogin) navigate('/login', { replace: true });
    if (state.status === 'signed-in' && (onLogin || path === '/')) navigate('/agent', { replace: true });
  }, [state.status, onLogin, path]);

  if (state.status === 'loading') return <div className="splash" role="status">Loading Candor…</div>;
  if (state.status === 'unreachable') {
    return (
      <main className="splash">
        <p className="alert alert-error" role="alert">{state.message}</p>
        <button className="button" onClick={reload}>Try again</button>
      </main>
    );
  }
  if (state.status === 'signed-out') return onLogin ? <LoginPage /> : null;
  if (onLogin) return null;
  return <Shell>{page(path)}</Shell>;
}

function page(path: string): ReactNode {
  if (path === '/agent') return <AgentPage conversationId={null} />;
  if (path === '/agent/insights') return <InsightsPage />;
  const conv = match('/agent/:id', path);
  if (conv) return <AgentPage conversationId={conv.id} />;
  if (path === '/incidents') return <IncidentsPage incidentId={null} />;
  const incident = match('/incidents/:id', path);
  if (incident) return <IncidentsPage incidentId={incident.id} />;
  if (path === '/admin') return <AdminPage />;
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p className="muted">There is nothing at <code>{path}</code>. <Link to="/agent">Go to the inbox</Link>.</p>
    </section>
  );
}

function Shell({ children }: { children: ReactNode }) {
  const me = useMe();
  const { signOut } = useSession();
  const path = usePath();
  const liveStatus = useLiveStatus();
  // The longest matching path wins (/agent/insights is not the inbox).
  const area = [...areas].sort((a, b) => b.path.length - a.path.length).find((a) => path === a.path || path.startsWith(`${a.path}/`));

  useEffect(() => {
    document.title = `${area ? `${area.label} · ` : ''}${me.workspace.name} · Candor`;
  }, [area, me.workspace.name]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <div className="topbar-left">
          <Link to="/agent" className="brand" aria-label="Candor home"><span className="brand-mark" aria-hidden="true">C</span> Candor</Link>
          <span className="workspace-name" data-testid="workspace-name" title={me.workspace.slug}>{me.workspace.name}</span>
        </div>
        <nav className="nav" aria-label="Areas">
          {areas.map((a) => (
            <Link key={a.path} to={a.path} className="nav-link" aria-current={area?.path === a.path ? 'page' : undefined}>{a.label}</Link>
          ))}
        </nav>
        <div className="topbar-right">
          <span className={`live-dot live-${liveStatus}`} title={liveLabel[liveStatus]} aria-label={liveLabel[liveStatus]} role="img" />
          <span className="me" data-testid="signed-in-agent">
            <span className="me-name">{me.agent.name}</span>
            <span className="me-role">{me.agent.role}</span>
          </span>
          <button type="button" className="button button-quiet" onClick={() => void signOut()}>Sign out</button>
        </div>
      </header>
      <main id="main" className="main">{children}</main>
    </div>
  );
}

const liveLabel: Record<string, string> = {
  off: 'Live updates off', connecting: 'Connecting live updates…', live: 'Live updates on', offline: 'Live updates offline; reconnecting',
};
