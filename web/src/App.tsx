/**
 * The app shell: header, the route table (routes.ts) mapped to pages, and the sign-in guard
 * (a route with `auth: 'developer'` sends a signed-out visitor to /signin?next=…).
 */
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Link, Navigate, NavLink, Route, Routes, useLocation, useNavigate } from 'react-router';
import { AppDetailRoute } from './features/portal/AppDetailPage.js';
import { AppsPage } from './features/portal/AppsPage.js';
import { RfiViewRoute } from './features/portal/RfiView.js';
import { SignInPage } from './features/portal/SignInPage.js';
import { SignUpPage } from './features/portal/SignUpPage.js';
import { pathTo, ROUTES, type RouteName } from './routes.js';
import { useSession } from './store/session.js';

// The explorer (CodeMirror and all) loads only when opened.
const ExplorerPage = lazy(() => import('./features/explorer/ExplorerPage.js').then((m) => ({ default: m.ExplorerPage })));
const OAuthCallbackPage = lazy(() => import('./features/explorer/OAuthCallbackPage.js').then((m) => ({ default: m.OAuthCallbackPage })));

const PAGES: Record<RouteName, () => ReactNode> = {
  home: () => <AppsPage />,
  signIn: () => <SignInPage />,
  signUp: () => <SignUpPage />,
  apps: () => <AppsPage />,
  app: () => <AppDetailRoute />,
  explorer: () => <ExplorerPage />,
  explorerCallback: () => <OAuthCallbackPage />,
  rfi: () => <RfiViewRoute />,
};

function Header() {
  const developer = useSession((s) => s.developer);
  const signOut = useSession((s) => s.signOut);
  const navigate = useNavigate();
  const { pathname } = useLocation();
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
          <Link to="/" aria-current={pathname === '/' || pathname.startsWith('/apps') ? 'page' : undefined}>
            My Apps
          </Link>
          <NavLink to={pathTo('explorer')}>API Explorer</NavLink>
        </nav>
      )}
      {developer && (
        <div className="account">
          <span className="account-email" data-testid="account-email">
            {developer.email}
          </span>
          <button
            type="button"
            className="btn btn-small btn-ghost"
            onClick={async () => {
              await signOut();
              navigate(pathTo('signIn'), { replace: true });
            }}
            data-testid="signout"
          >
            Sign out
          </button>
        </div>
      )}
    </header>
  );
}

function Guard({ name }: { name: RouteName }) {
  const developer = useSession((s) => s.developer);
  const { pathname, search } = useLocation();
  const need = ROUTES[name].auth;
  if (developer === undefined)
    return (
      <main className="page" id="main">
        <p className="muted">Loading…</p>
      </main>
    );
  if (need === 'developer' && !developer)
    return <Navigate to={`${pathTo('signIn')}?next=${encodeURIComponent(pathname + search)}`} replace />;
  if (need === 'guest' && developer) return <Navigate to="/" replace />;
  return (
    <Suspense
      fallback={
        <main className="page" id="main">
          <p className="muted">Loading…</p>
        </main>
      }
    >
      {PAGES[name]()}
    </Suspense>
  );
}

function NotFound() {
  return (
    <main className="page" id="main">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Back to My Apps</Link>
      </p>
    </main>
  );
}

export function App() {
  const load = useSession((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <>
      <Header />
      <Routes>
        {(Object.keys(ROUTES) as RouteName[]).map((name) => (
          <Route key={name} path={ROUTES[name].path} element={<Guard name={name} />} />
        ))}
        <Route path="*" element={<NotFound />} />
      </Routes>
      <footer className="footer muted small">
        procore-sandbox — an unofficial, offline emulator of the Procore Developer Sandbox. Not affiliated with Procore Technologies.
      </footer>
    </>
  );
}
