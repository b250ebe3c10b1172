/**
 * The web app (portal; later the explorer), built by Vite into web/dist. Hashed assets are
 * served by @fastify/static; the app's routes (`/`, `/signin`, `/signup`, `/apps/*`,
 * `/explorer`, the RFI page `/projects/{project_id}/rfis/{id}` an RFI's `link` opens) answer index.html (SPA fallback). Everything else, notably `/api/*`, `/oauth/*`,
 * `/rest/*` and `/vapid/*`, keeps the JSON 404. HTML gets a strict CSP and friends.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PACKAGE_ROOT } from './paths.js';

export const WEB_DIST = join(PACKAGE_ROOT, 'web', 'dist') + '/';

/** Paths the single-page app handles itself. */
export const SPA_ROUTES = [
  '/',
  '/signin',
  '/signup',
  '/apps',
  '/apps/*',
  '/explorer',
  '/explorer/*',
  '/projects/:project_id/rfis/:id',
] as const;

export const HTML_SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

const NOT_BUILT_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>procore-sandbox</title></head>
<body><h1>The web app is not built</h1><p>Run <code>npm run build</code> (or restart with <code>npm start</code>, which builds it) and reload.</p></body></html>`;

export default async function webRoutes(app: FastifyInstance): Promise<void> {
  const built = existsSync(`${WEB_DIST}index.html`);

  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(HTML_SECURITY_HEADERS)) reply.header(name, value);
    return payload;
  });

  if (built) {
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      prefix: '/',
      index: false,
      wildcard: true,
      // Only files Vite wrote; no dotfiles, no directory listing.
      dotfiles: 'deny',
      list: false,
      setHeaders(reply, path) {
        if (path.includes('/assets/')) reply.header('Cache-Control', 'public, max-age=31536000, immutable');
        else reply.header('Cache-Control', 'no-cache');
      },
    });
  }

  const sendIndex = (reply: FastifyReply) => {
    if (!built) return reply.code(503).type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(NOT_BUILT_HTML);
    // Read per request so a rebuild is picked up without a restart (the file is small).
    const html = readFileSync(`${WEB_DIST}index.html`, 'utf8');
    return reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(html);
  };
  for (const path of SPA_ROUTES) app.get(path, async (_request, reply) => sendIndex(reply));
}
