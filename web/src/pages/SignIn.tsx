import { useState, type FormEvent } from 'react';
import { api, ApiError, type Developer } from '../api.js';
import { Notice } from '../components/Notice.js';
import { Link, useRouter } from '../router.js';

/** Only in-app paths may be a `next` target (no open redirect). */
export function safeNext(search: string): string {
  const next = new URLSearchParams(search).get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export function SignInPage({ onSignedIn }: { onSignedIn: (d: Developer) => void }) {
  const { navigate, search } = useRouter();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { developer } = await api.signIn(email, password);
      onSignedIn(developer);
      navigate(safeNext(search), { replace: true });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Sign-in failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth-page" id="main">
      <form className="card auth-card" onSubmit={submit} aria-labelledby="signin-title" noValidate>
        <h1 id="signin-title">Sign in to the Developer Portal</h1>
        <p className="muted">
          Use the developer account printed by <code>procore-sandbox start</code>, or your own.
        </p>
        {error && (
          <Notice kind="error" testId="signin-error">
            {error}
          </Notice>
        )}
        <label htmlFor="signin-email">Email</label>
        <input
          id="signin-email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          data-testid="signin-email"
        />
        <label htmlFor="signin-password">Password</label>
        <input
          id="signin-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          data-testid="signin-password"
        />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="signin-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted center">
          New here?{' '}
          <Link to="/signup" data-testid="goto-signup">
            Create an account
          </Link>
        </p>
      </form>
    </main>
  );
}
