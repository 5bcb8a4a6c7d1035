import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../api.ts';
import { portalWorkspace, type PortalMe } from './portal-api.ts';

/** Sign in with a one-time code sent to the email or phone the company knows; no password to remember. */
export function SignInPage({ onSignedIn }: { onSignedIn: (me: PortalMe) => void }) {
  const workspace = portalWorkspace();
  const [address, setAddress] = useState('');
  const [channel, setChannel] = useState<'sms' | 'whatsapp'>('sms');
  const [sent, setSent] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const isPhone = address.trim() !== '' && !address.includes('@');

  async function send(e: FormEvent) {
    e.preventDefault();
    setBusy(true); setError(null);
    try {
      const r = await api<{ message: string }>('/portal/auth/start', { method: 'POST', body: { workspace, address, ...(isPhone ? { channel } : {}) } });
      setSent(r.message);
    } catch (err) { setError(errorMessage(err)); } finally { setBusy(false); }
  }
  async function verify(e: FormEvent) {
    e.preventDefault();
    setBusy(true); setError(null);
    try { onSignedIn(await api<PortalMe>('/portal/auth/verify', { method: 'POST', body: { workspace, address, code } })); } catch (err) { setError(errorMessage(err)); setBusy(false); }
  }

  return (
    <main className="login">
      {!sent ? (
        <form className="login-card" onSubmit={send} aria-labelledby="p-signin-title">
          <div className="brand brand-large" aria-hidden="true"><span className="brand-mark">C</span> My account</div>
          <h1 id="p-signin-title">Sign in</h1>
          <p className="muted">Type the email address or mobile number we know you by. We send you a 6-digit code: no password to remember.</p>
          <label className="field"><span>Email or mobile number</span>
            <input name="address" autoComplete="username" required autoFocus value={address} onChange={(e) => setAddress(e.target.value)} placeholder="you@example.com or +31 6 …" />
          </label>
          {isPhone && (
            <fieldset className="p-radios"><legend>Send the code by</legend>
              {(['sms', 'whatsapp'] as const).map((c) => <label key={c}><input type="radio" name="channel" checked={channel === c} onChange={() => setChannel(c)} /> {c === 'sms' ? 'SMS' : 'WhatsApp'}</label>)}
            </fieldset>
          )}
          {error && <p className="alert alert-error" role="alert">{error}</p>}
          <button type="submit" className="button button-primary button-block" disabled={busy}>{busy ? 'Sending…' : 'Send me a code'}</button>
          <p className="muted small p-demo-hint">Trying the demo? No mail is really sent: the code is printed in the server log and kept in the admin outbox.</p>
        </form>
      ) : (
        <form className="login-card" onSubmit={verify} aria-labelledby="p-code-title">
          <div className="brand brand-large" aria-hidden="true"><span className="brand-mark">C</span> My account</div>
          <h1 id="p-code-title">Enter your code</h1>
          <p className="muted" role="status">{sent}</p>
          <label className="field"><span>6-digit code</span>
            <input name="code" inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" maxLength={6} required autoFocus value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))} />
          </label>
          {error && <p className="alert alert-error" role="alert">{error}</p>}
          <button type="submit" className="button button-primary button-block" disabled={busy || code.length !== 6}>{busy ? 'Signing in…' : 'Sign in'}</button>
          <button type="button" className="button button-quiet button-block" onClick={() => { setSent(null); setCode(''); setError(null); }}>Use another address</button>
        </form>
      )}
    </main>
  );
}

/** The page a sign-in link opens: it posts the link's token (a mail scanner fetching the link spends nothing). */
export function LinkSignInPage({ onSignedIn }: { onSignedIn: (me: PortalMe) => void }) {
  const [error, setError] = useState<string | null>(null);
  const done = useRef(false);
  useEffect(() => {
    if (done.current) return;
    done.current = true;
    portalWorkspace();
    const token = new URLSearchParams(location.search).get('token') ?? '';
    api<PortalMe>('/portal/auth/link', { method: 'POST', body: { token } }).then(onSignedIn).catch((err) => setError(errorMessage(err)));
  }, []);
  return (
    <main className="splash">
      {error ? <><p className="alert alert-error" role="alert">{error}</p><a className="button" href="/portal">Sign in with a code</a></> : <p role="status">Signing you in…</p>}
    </main>
  );
}
