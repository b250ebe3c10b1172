import { Link, useNavigate } from 'react-router';
import { api } from '../../api/portal.js';
import { pathTo } from '../../routes.js';
import { useSession } from '../../store/session.js';
import { AuthForm } from '../../ui/AuthForm.js';

export function SignUpPage() {
  const navigate = useNavigate();
  const setDeveloper = useSession((s) => s.setDeveloper);
  return (
    <AuthForm
      title="Create a developer account"
      intro="Accounts live in this local sandbox only."
      testPrefix="signup"
      fields={[
        { name: 'name', label: 'Name', autoComplete: 'name' },
        { name: 'email', label: 'Email', type: 'email', autoComplete: 'username', required: true },
        {
          name: 'password',
          label: 'Password',
          type: 'password',
          autoComplete: 'new-password',
          required: true,
          hint: 'At least 8 characters.',
        },
      ]}
      validate={(v) =>
        (v['password'] ?? '').length < 8 ? { message: 'The password needs at least 8 characters.', field: 'password' } : null
      }
      submitLabel="Create account"
      busyLabel="Creating account…"
      onSubmit={async (v) => {
        const name = (v['name'] ?? '').trim();
        const email = v['email'] ?? '';
        const password = v['password'] ?? '';
        // Sign-up never says whether the email already had an account; signing in tells the owner.
        await api.signUp({ email, password, ...(name ? { name } : {}) });
        const { developer } = await api.signIn(email, password);
        setDeveloper(developer);
        navigate('/', { replace: true });
      }}
      footer={
        <>
          Already registered? <Link to={pathTo('signIn')}>Sign in</Link>
        </>
      }
    />
  );
}
