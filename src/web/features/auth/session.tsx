import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, errorMessage, setUnauthenticatedHandler, type Me } from '../../api.ts';
import { live } from '../../realtime.ts';

type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'unreachable'; message: string }
  | { status: 'signed-in'; me: Me };

type Session = {
  state: SessionState;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  reload(): void;
};

const SessionContext = createContext<Session | null>(null);

/** Who is signed in: asks /auth/me once, then follows sign-in, sign-out and expired sessions. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const load = useCallback(() => {
    setState({ status: 'loading' });
    api<Me>('/auth/me')
      .then((me) => setState({ status: 'signed-in', me }))
      .catch((err) => setState(err instanceof ApiError && err.status === 401 ? { status: 'signed-out' } : { status: 'unreachable', message: errorMessage(err) }));
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => setState({ status: 'signed-out' }));
    load();
    return () => setUnauthenticatedHandler(undefined);
  }, [load]);

  // The realtime socket belongs to the signed-in session.
  useEffect(() => {
    if (state.status === 'signed-in') live.start();
    else live.stop();
  }, [state.status]);

  const value = useMemo<Session>(() => ({
    state,
    reload: load,
    async signIn(email, password) {
      const me = await api<Me>('/auth/login', { method: 'POST', body: { email, password } });
      setState({ status: 'signed-in', me });
    },
    async signOut() {
      try { await api('/auth/logout', { method: 'POST' }); } finally { setState({ status: 'signed-out' }); }
    },
  }), [state, load]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in agent and workspace (only inside the signed-in shell). */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe without a session');
  return state.me;
}
