import { useState, type FormEvent } from 'react';
import { api, ApiError, type Developer } from '../api.js';
import { Notice } from '../components/Notice.js';
import { Link, useRouter } from '../router.js';

export function SignUpPage({ onSignedIn }: { onSignedIn: (d: Developer) => void }) {
  const { navigate } = useRouter();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password.length < 8) return setError({ message: 'The password needs at least 8 characters.', field: 'password' });
    setBusy(true);
    setError(null);
    try {
      // Sign-up never says whether the email already had an account; signing in tells the owner.
      await api.signUp({ email, password, ...(name.trim() ? { name: name.trim() } : {}) });
      const { developer } = await api.signIn(email, password);
      onSignedIn(developer);
      navigate('/', { replace: true });
    } catch (err) {
      setError(err instanceof ApiError ? { message: err.message, field: err.field } : { message: 'Sign-up failed' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth-page" id="main">
      <form className="card auth-card" onSubmit={submit} aria-labelledby="signup-title" noValidate>
        <h1 id="signup-title">Create a developer account</h1>
        <p className="muted">Accounts live in this local sandbox only.</p>
        {error && (
          <Notice kind="error" testId="signup-error">
            {error.message}
          </Notice>
        )}
        <label htmlFor="signup-name">Name</label>
        <input id="signup-name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} data-testid="signup-name" />
        <label htmlFor="signup-email">Email</label>
        <input
          id="signup-email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={error?.field === 'email'}
          data-testid="signup-email"
        />
        <label htmlFor="signup-password">Password</label>
        <input
          id="signup-password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={error?.field === 'password'}
          aria-describedby="signup-password-hint"
          data-testid="signup-password"
        />
        <span id="signup-password-hint" className="hint">
          At least 8 characters.
        </span>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="signup-submit">
          {busy ? 'Creating account…' : 'Create account'}
        </button>
        <p className="muted center">
          Already registered? <Link to="/signin">Sign in</Link>
        </p>
      </form>
    </main>
  );
}
