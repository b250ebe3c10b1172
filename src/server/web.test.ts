import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from '../../test/helpers/runtime.js';
import { ensureWebBuild } from '../../web/build-if-stale.mjs';
import { ROUTES } from '../../web/src/routes.js';

describe('web app serving (route table, CSP nonce, opener policy)', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    await ensureWebBuild();
    rt = await createTestRuntime();
  }, 120_000);
  afterAll(async () => {
    await rt?.close();
  });

  it('answers index.html for every path of the route table, and only those', async () => {
    for (const path of ['/', '/signin', '/signup', '/apps', '/apps/12', '/explorer', '/explorer/oauth/callback']) {
      const res = await rt.sandboxApp.inject({ method: 'GET', url: path });
      expect(res.statusCode, path).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
    }
    expect(Object.values(ROUTES).map((r) => r.path)).toContain('/apps/:appId');
    const missing = await rt.sandboxApp.inject({ method: 'GET', url: '/explorer/nope' });
    expect(missing.statusCode).toBe(404);
  });

  it('gives each index.html a fresh style nonce, in the CSP and in the page', async () => {
    const a = await rt.sandboxApp.inject({ method: 'GET', url: '/explorer' });
    const b = await rt.sandboxApp.inject({ method: 'GET', url: '/explorer' });
    const nonceOf = (html: string) => /<meta name="csp-nonce" content="([A-Za-z0-9_-]{24})" \/>/.exec(html)?.[1];
    const na = nonceOf(a.body);
    const nb = nonceOf(b.body);
    expect(na).toBeTruthy();
    expect(na).not.toBe(nb);
    const csp = String(a.headers['content-security-policy']);
    expect(csp).toContain(`style-src 'self' 'nonce-${na}'`);
    expect(csp).toContain("script-src 'self';");
    // Inline <style> elements and scripts stay refused; only style attributes are allowed.
    expect(csp).toContain("style-src-attr 'unsafe-inline'");
    expect(csp.replace("style-src-attr 'unsafe-inline'", '')).not.toContain('unsafe-inline');
    // Static assets keep the nonce-less policy.
    const icon = await rt.sandboxApp.inject({ method: 'GET', url: '/favicon.svg' });
    expect(String(icon.headers['content-security-policy'])).toContain("style-src 'self';");
  });

  it('lets the OAuth popup keep its opener: allow-popups on app pages, no policy on the callback', async () => {
    const page = await rt.sandboxApp.inject({ method: 'GET', url: '/explorer' });
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin-allow-popups');
    const callback = await rt.sandboxApp.inject({ method: 'GET', url: '/explorer/oauth/callback?code=x&state=y' });
    expect(callback.headers['cross-origin-opener-policy']).toBe('unsafe-none');
  });
});
