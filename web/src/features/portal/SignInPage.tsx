import { Link, useLocation, useNavigate } from 'react-router';
import { api } from '../../api/portal.js';
import { pathTo } from '../../routes.js';
import { useSession } from '../../store/session.js';
import { AuthForm } from '../../ui/AuthForm.js';

/** Only in-app paths may be a `next` target (no open redirect). */
export function safeNext(search: string): string {
  const next = new URLSearchParams(search).get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export function SignInPage() {
  const navigate = useNavigate();
  const { search } = useLocation();
  const setDeveloper = useSession((s) => s.setDeveloper);
  return (
    <AuthForm
      title="Sign in to the Developer Portal"
      intro={
        <>
          Use the developer account printed by <code>procore-sandbox start</code>, or your own.
        </>
      }
      testPrefix="signin"
      fields={[
        { name: 'email', label: 'Email', type: 'email', autoComplete: 'username', required: true },
        { name: 'password', label: 'Password', type: 'password', autoComplete: 'current-password', required: true },
      ]}
      submitLabel="Sign in"
      busyLabel="Signing in…"
      onSubmit={async (v) => {
        const { developer } = await api.signIn(v['email'] ?? '', v['password'] ?? '');
        setDeveloper(developer);
        navigate(safeNext(search), { replace: true });
      }}
      footer={
        <>
          New here?{' '}
          <Link to={pathTo('signUp')} data-testid="goto-signup">
            Create an account
          </Link>
        </>
      }
    />
  );
}
