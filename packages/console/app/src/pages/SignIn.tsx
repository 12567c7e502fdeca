import { useState, type FormEvent } from 'react';
import { AdminApi, ApiError, adminBaseFor, authorizationFor } from '../lib/api.js';
import type { Session } from '../lib/types.js';

/** Sign in with the admin credentials of the manifest (`admin.auth`): a bearer token, or a username and password. */
export function SignIn({ onSignedIn }: { onSignedIn: (authorization: string, session: Session) => void }) {
  const [mode, setMode] = useState<'token' | 'basic'>('token');
  const [token, setToken] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    if (mode === 'token' ? !token.trim() : !username || !password) {
      setError(mode === 'token' ? 'Enter the admin token.' : 'Enter the username and the password.');
      return;
    }
    const authorization = mode === 'token' ? authorizationFor({ token }) : authorizationFor({ username, password });
    setBusy(true);
    try {
      onSignedIn(authorization, await new AdminApi(authorization, adminBaseFor(location.pathname)).session());
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? 'These credentials are not accepted by the admin API.' : (e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="sign-in">
      <h1>Provisio console</h1>
      <p className="muted">Sign in with the admin credentials configured in the manifest (admin.auth).</p>
      <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
        <fieldset>
          <legend>Credentials</legend>
          <div className="radio-row">
            <label>
              <input type="radio" name="mode" value="token" checked={mode === 'token'} onChange={() => setMode('token')} /> Bearer token
            </label>
            <label>
              <input type="radio" name="mode" value="basic" checked={mode === 'basic'} onChange={() => setMode('basic')} /> Username and
              password
            </label>
          </div>
          {mode === 'token' ? (
            <div className="field">
              <label htmlFor="token">Admin token</label>
              <input id="token" type="password" autoComplete="current-password" value={token} onChange={(e) => setToken(e.target.value)} />
            </div>
          ) : (
            <>
              <div className="field">
                <label htmlFor="username">Username</label>
                <input id="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
              </div>
              <div className="field">
                <label htmlFor="password">Password</label>
                <input
                  id="password"
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              </div>
            </>
          )}
        </fieldset>
        {error ? (
          <p className="error" role="alert" id="sign-in-error">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
