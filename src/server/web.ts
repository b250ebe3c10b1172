/**
 * The web app (portal and API explorer), built by Vite into web/dist. Hashed assets are served
 * by @fastify/static; the paths of the app's route table (`web/src/routes.ts`, the same list
 * the React router reads) answer index.html (SPA fallback). Everything else, notably `/api/*`,
 * `/oauth/*`, `/rest/*` and `/vapid/*`, keeps the JSON 404. HTML gets a strict CSP and friends.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { SPA_ROUTES } from '../../web/src/routes.js';
import { PACKAGE_ROOT } from '../context/paths.js';

export const WEB_DIST = join(PACKAGE_ROOT, 'web', 'dist') + '/';

export { SPA_ROUTES };

const csp = (styleSrc: string) =>
  `default-src 'self'; script-src 'self'; style-src ${styleSrc}; style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;

/**
 * The CSP of index.html: as strict as everywhere else, plus a per-response nonce for <style>
 * elements. CodeMirror (the explorer's editors) inserts one <style> element for its theme;
 * it reads the nonce from `<meta name="csp-nonce">` (web/src/ui/CodeField.tsx). No inline
 * scripts and no inline <style> elements; only style *attributes* are allowed
 * (`style-src-attr 'unsafe-inline'`): Chromium's editing commands write them into the
 * editors' contenteditable (e.g. typing over a selection), and a style attribute runs no code.
 */
export function htmlCsp(nonce: string): string {
  return csp(`'self' 'nonce-${nonce}'`);
}

export const HTML_SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': csp("'self'"),
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Not `same-origin`: the explorer's OAuth popup (login → callback or oob page) must keep its
  // opener to hand the code back (web/src/routes.ts sets the callback page's own policy).
  'Cross-Origin-Opener-Policy': 'same-origin-allow-popups',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

const NOT_BUILT_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>procore-sandbox</title></head>
<body><h1>The web app is not built</h1><p>Run <code>npm run build</code> (or restart with <code>npm start</code>, which builds it) and reload.</p></body></html>`;

export default async function webRoutes(app: FastifyInstance): Promise<void> {
  const built = existsSync(`${WEB_DIST}index.html`);

  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(HTML_SECURITY_HEADERS)) if (!reply.hasHeader(name)) reply.header(name, value);
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

  const sendIndex = (reply: FastifyReply, coop?: string) => {
    if (!built) return reply.code(503).type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(NOT_BUILT_HTML);
    // Read per request so a rebuild is picked up without a restart (the file is small).
    const nonce = randomBytes(18).toString('base64url');
    const html = readFileSync(`${WEB_DIST}index.html`, 'utf8').replace(
      '<head>',
      `<head>\n    <meta name="csp-nonce" content="${nonce}" />`,
    );
    reply.header('Content-Security-Policy', htmlCsp(nonce));
    if (coop) reply.header('Cross-Origin-Opener-Policy', coop);
    return reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(html);
  };
  for (const route of SPA_ROUTES) app.get(route.path, async (_request, reply) => sendIndex(reply, route.coop));
}
