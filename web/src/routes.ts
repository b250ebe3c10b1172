/**
 * The route table of the web app: one list, read by the React router (`web/src/App.tsx`) and
 * by the server (`src/server/web.ts`), which answers index.html for exactly these paths.
 * Plain data (no React import), so the server can import it.
 *
 * Patterns use `:name` parameters, a syntax react-router and Fastify share.
 */
export interface RouteEntry {
  /** Path pattern, e.g. `/apps/:appId`. */
  readonly path: string;
  /** Needs a signed-in developer (otherwise: /signin?next=…). */
  readonly auth: 'developer' | 'guest' | 'any';
  /**
   * Cross-Origin-Opener-Policy of the HTML. The explorer opens the login in a popup, so app
   * pages allow popups to keep their opener; the OAuth callback page must not set a policy of
   * its own, or the popup (which arrives from the login pages) loses its opener.
   */
  readonly coop?: 'same-origin-allow-popups' | 'unsafe-none';
}

export const ROUTES = {
  home: { path: '/', auth: 'developer' },
  signIn: { path: '/signin', auth: 'guest' },
  signUp: { path: '/signup', auth: 'guest' },
  apps: { path: '/apps', auth: 'developer' },
  app: { path: '/apps/:appId', auth: 'developer' },
  explorer: { path: '/explorer', auth: 'developer' },
  explorerCallback: { path: '/explorer/oauth/callback', auth: 'any', coop: 'unsafe-none' },
  /** The read-only RFI page an RFI's `link` opens (as Procore's link opens its web UI). */
  rfi: { path: '/projects/:projectId/rfis/:rfiId', auth: 'developer' },
} as const satisfies Record<string, RouteEntry>;

export type RouteName = keyof typeof ROUTES;

/** Every path pattern the single-page app handles. */
export const SPA_ROUTES: readonly RouteEntry[] = Object.values(ROUTES);

/** Fills a pattern's `:name` parameters (URL-encoded). */
export function pathTo(name: RouteName, params: Record<string, string | number> = {}): string {
  return ROUTES[name].path.replace(/:([A-Za-z_]+)/g, (_m, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`pathTo(${name}): missing ${key}`);
    return encodeURIComponent(String(value));
  });
}
