import { useEffect, useState } from 'react';
import { api, type Developer } from './api.js';
import { AppDetailPage } from './pages/AppDetail.js';
import { AppsPage } from './pages/Apps.js';
import { ExplorerPage } from './pages/Explorer.js';
import { RfiViewPage } from './pages/RfiView.js';
import { SignInPage } from './pages/SignIn.js';
import { SignUpPage } from './pages/SignUp.js';
import { Link, useRouter } from './router.js';

function Header({ developer, onSignOut }: { developer: Developer | null; onSignOut: () => void }) {
  const { path } = useRouter();
  return (
    <header className="topbar">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <Link to="/" className="brand">
        <span className="brand-mark" aria-hidden="true">
          P
        </span>
        <span>
          procore-sandbox <span className="brand-sub">Developer Portal</span>
        </span>
      </Link>
      {developer && (
        <nav className="topnav" aria-label="Main">
          <Link to="/" aria-current={path === '/' || path.startsWith('/apps') ? 'page' : undefined}>
            My Apps
          </Link>
          <Link to="/explorer" aria-current={path.startsWith('/explorer') ? 'page' : undefined}>
            API Explorer
          </Link>
        </nav>
      )}
      {developer && (
        <div className="account">
          <span className="account-email" data-testid="account-email">
            {developer.email}
          </span>
          <button type="button" className="btn btn-small btn-ghost" onClick={onSignOut} data-testid="signout">
            Sign out
          </button>
        </div>
      )}
    </header>
  );
}

export function App() {
  const { path, navigate } = useRouter();
  const [developer, setDeveloper] = useState<Developer | null | undefined>(undefined);

  useEffect(() => {
    api.me().then(
      (r) => setDeveloper(r.developer),
      () => setDeveloper(null),
    );
  }, []);

  const isAuthPage = path === '/signin' || path === '/signup';
  useEffect(() => {
    if (developer === null && !isAuthPage) navigate(`/signin?next=${encodeURIComponent(path)}`, { replace: true });
    if (developer && isAuthPage) navigate('/', { replace: true });
  }, [developer, isAuthPage, path, navigate]);

  const signOut = async () => {
    await api.signOut().catch(() => undefined);
    setDeveloper(null);
    navigate('/signin', { replace: true });
  };

  let page;
  const appMatch = /^\/apps\/(\d+)\/?$/.exec(path);
  const rfiMatch = /^\/projects\/(\d+)\/rfis\/(\d+)\/?$/.exec(path);
  if (developer === undefined)
    page = (
      <main className="page" id="main">
        <p className="muted">Loading…</p>
      </main>
    );
  else if (path === '/signin') page = <SignInPage onSignedIn={setDeveloper} />;
  else if (path === '/signup') page = <SignUpPage onSignedIn={setDeveloper} />;
  else if (!developer) page = null;
  else if (path === '/' || path === '/apps' || path === '/apps/') page = <AppsPage />;
  else if (appMatch) page = <AppDetailPage key={appMatch[1]} appId={Number(appMatch[1])} />;
  else if (path === '/explorer' || path.startsWith('/explorer/')) page = <ExplorerPage />;
  else if (rfiMatch) page = <RfiViewPage key={path} projectId={Number(rfiMatch[1])} rfiId={Number(rfiMatch[2])} />;
  else
    page = (
      <main className="page" id="main">
        <h1>Page not found</h1>
        <p>
          <Link to="/">Back to My Apps</Link>
        </p>
      </main>
    );

  return (
    <>
      <Header developer={developer ?? null} onSignOut={signOut} />
      {page}
      <footer className="footer muted small">
        procore-sandbox — an unofficial, offline emulator of the Procore Developer Sandbox. Not affiliated with Procore Technologies.
      </footer>
    </>
  );
}
