/**
 * The developer portal in a real browser (Debian Chromium via playwright-core) against a real
 * listening server: sign up, create an app, reveal credentials, edit redirect URIs, reset the
 * secret, reset the sandbox, download the collection. Screenshots of the main pages go to
 * artifacts/screenshots/. Skipped, saying why, when Chromium is absent (never downloads a browser; see ./chromium.ts).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../web/build-if-stale.mjs';
import { findSandboxByApp, allocateIds } from '../../src/db/repos/sandboxes.js';
import { revealCredentials } from '../../src/services/apps.js';
import { startServer, type RunningServer } from '../../src/server/runtime.js';
import { browserSuiteTitle, CHROMIUM, CHROMIUM_ARGS, skipBrowserSuites } from './chromium.js';
import { portal } from './pages/portal.js';

const SCREENSHOTS = 'artifacts/screenshots';

async function tokenStatus(baseUrl: string, clientId: string, clientSecret: string): Promise<number> {
  const res = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  return res.status;
}

describe.skipIf(skipBrowserSuites())(browserSuiteTitle('developer portal in Chromium'), () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let p: ReturnType<typeof portal>;
  const consoleErrors: string[] = [];
  const email = 'browser.dev@example.com';
  const password = 'browser-password';
  let appId = 0;

  const shot = (name: string) => page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
  const appPath = () => `${server.sandboxUrl}/apps/${appId}`;

  beforeAll(async () => {
    await ensureWebBuild();
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startServer({ db: ':memory:', host: '127.0.0.1', port: 0, productionPort: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()))
        consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    p = portal(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('redirects to sign-in and serves the HTML with security headers', async () => {
    const response = await page.goto(`${server.sandboxUrl}/`);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    await p.signIn.email().waitFor();
    expect(new URL(page.url()).pathname).toBe('/signin');
    await shot('signin');
  });

  it('signs up a new developer and lands on an empty My Apps', async () => {
    await p.signIn.signUpLink().click();
    await p.signUp.email().waitFor();
    await p.signUp.password().fill('short');
    await p.signUp.email().fill(email);
    await p.signUp.submit().click();
    await p.signUp.error().waitFor();
    await shot('signup');
    await p.signUp.signUp({ name: 'Browser Dev', email, password });
    await p.apps.empty().waitFor();
    expect(await p.header.accountEmail().textContent()).toBe(email);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'psb_portal')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  });

  it('creates an app and shows its credentials, grant types and sandbox', async () => {
    await p.apps.createApp('Browser Test App');
    await p.app.name().filter({ hasText: 'Browser Test App' }).waitFor();
    appId = Number(/\/apps\/(\d+)$/.exec(new URL(page.url()).pathname)?.[1]);
    expect(appId).toBeGreaterThan(0);
    const creds = await revealCredentials(server.ctx, appId, 'sandbox');
    const prod = await revealCredentials(server.ctx, appId, 'production');
    expect(await p.app.clientId('sandbox').textContent()).toBe(creds!.clientId);
    expect(await p.app.clientId('production').textContent()).toBe(prod!.clientId);
    expect(await p.app.clientSecret('sandbox').textContent()).not.toContain(creds!.clientSecret);
    expect(await page.content()).not.toContain(creds!.clientSecret);
    const sandbox = await findSandboxByApp(server.ctx.db, appId);
    expect(await p.app.companyId().textContent()).toBe(String(sandbox!.company_id));
    expect(await p.app.projectId().textContent()).toBe(String(sandbox!.project_id));
    expect(await p.app.grantTypes().textContent()).toContain('Client credentials');
    for (const user of ['sandbox+arch@example.com', 'sandbox+sub@example.com', 'sandbox+demo@example.com', email]) {
      expect(await p.app.users().textContent()).toContain(user);
    }
    await shot('app-detail');
  });

  it('reveals the client secrets and the seeded users password', async () => {
    const creds = await revealCredentials(server.ctx, appId, 'sandbox');
    expect(await p.app.revealedSecret('sandbox')).toBe(creds!.clientSecret);
    const prod = await revealCredentials(server.ctx, appId, 'production');
    expect(await p.app.revealedSecret('production')).toBe(prod!.clientSecret);
    await p.app.revealUserPassword().click();
    await p.app.userPassword().filter({ hasText: 'Sandbox-' }).waitFor();
  });

  it('adds a redirect URI and refuses a bad one', async () => {
    await p.app.setRedirectUris(['http://localhost', 'urn:ietf:wg:oauth:2.0:oob', 'https://example.com/callback']);
    await p.app.redirectUrisStatus().filter({ hasText: 'saved' }).waitFor();
    const row = await server.ctx.db.selectFrom('apps').select('redirect_uris').where('id', '=', appId).executeTakeFirstOrThrow();
    expect(JSON.parse(row.redirect_uris)).toEqual(['http://localhost', 'urn:ietf:wg:oauth:2.0:oob', 'https://example.com/callback']);
    await p.app.setRedirectUris(['http://localhost', 'javascript:alert(1)']);
    await p.app.redirectUrisStatus().filter({ hasText: 'javascript' }).waitFor();
    const after = await server.ctx.db.selectFrom('apps').select('redirect_uris').where('id', '=', appId).executeTakeFirstOrThrow();
    expect(after.redirect_uris).toBe(row.redirect_uris);
    await p.app.setRedirectUris(['http://localhost', 'urn:ietf:wg:oauth:2.0:oob', 'https://example.com/callback']);
    await p.app.redirectUrisStatus().filter({ hasText: 'saved' }).waitFor();
  });

  it('resets the sandbox client secret: the old one is refused by the token endpoint', async () => {
    const before = await revealCredentials(server.ctx, appId, 'sandbox');
    expect(await tokenStatus(server.sandboxUrl, before!.clientId, before!.clientSecret)).toBe(200);
    await p.app.resetSecret('sandbox').click();
    await p.app.confirmResetSecret('sandbox').click();
    await p.app.flash().filter({ hasText: 'New sandbox client secret' }).waitFor();
    const after = await revealCredentials(server.ctx, appId, 'sandbox');
    expect(after!.clientSecret).not.toBe(before!.clientSecret);
    expect(await p.app.clientSecret('sandbox').textContent()).toBe(after!.clientSecret);
    expect(await tokenStatus(server.sandboxUrl, before!.clientId, before!.clientSecret)).toBe(401);
    expect(await tokenStatus(server.sandboxUrl, after!.clientId, after!.clientSecret)).toBe(200);
  });

  it('resets the sandbox to seed: a created RFI disappears', async () => {
    const sandbox = (await findSandboxByApp(server.ctx.db, appId))!;
    const seeded = await server.ctx.db.selectFrom('rfis').selectAll().where('sandbox_id', '=', sandbox.id).executeTakeFirstOrThrow();
    const id = await allocateIds(server.ctx.db, sandbox.id, 1);
    await server.ctx.db
      .insertInto('rfis')
      .values({ ...seeded, id, number: '2', subject: 'Created during the browser test' })
      .execute();
    await p.app.resetSandbox().click();
    await p.app.confirmResetSandbox().click();
    await p.app.flash().filter({ hasText: 'Sandbox reset to seed' }).waitFor();
    const rfis = await server.ctx.db.selectFrom('rfis').select('id').where('sandbox_id', '=', sandbox.id).execute();
    expect(rfis.map((r) => r.id)).toEqual([seeded.id]);
    expect(await p.app.sandboxResetAt().textContent()).not.toBe('never');
  });

  it('downloads the collection and the environment', async () => {
    const collection = await p.app.download(p.app.downloadCollection());
    expect(collection.suggestedFilename()).toBe('Procore Sandbox Test Project - Browser Test App.postman_collection.json');
    const json = JSON.parse(readFileSync((await collection.path())!, 'utf8')) as {
      info: { name: string; schema: string };
      item: { item: unknown[] }[];
    };
    expect(json.info).toMatchObject({
      name: 'Procore Sandbox Test Project',
      schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    });
    expect(json.item.map((f) => f.item.length)).toEqual([11, 11]);
    const environment = await p.app.download(p.app.downloadEnvironment());
    const env = JSON.parse(readFileSync((await environment.path())!, 'utf8')) as { values: { key: string; value: string }[] };
    const creds = await revealCredentials(server.ctx, appId, 'sandbox');
    expect(env.values).toContainEqual(expect.objectContaining({ key: 'client_secret', value: creds!.clientSecret }));
    expect(await p.app.collectionLink().inputValue()).toMatch(/\/postman\/[A-Za-z0-9_-]{43}\/collection\.json$/);
  });

  it('opens the explorer placeholder', async () => {
    await p.app.openExplorer().click();
    await p.explorer.placeholder().waitFor();
    await shot('explorer');
  });

  it('lists the app on My Apps and works on a narrow window', async () => {
    await page.goto(`${server.sandboxUrl}/`);
    await p.apps.items().first().waitFor();
    expect(await p.apps.items().count()).toBe(1);
    await shot('apps');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(appPath());
    await p.app.name().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('app-detail-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('is keyboard operable: the sign-out button is a focusable button', async () => {
    await p.header.signOut().focus();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BUTTON');
    await page.keyboard.press('Enter');
    await p.signIn.email().waitFor();
    await p.signIn.signIn(email, 'wrong-password');
    await p.signIn.error().waitFor();
    await p.signIn.signIn(email, password);
    await p.apps.heading().waitFor();
  });

  it('logged no errors in the browser (no CSP violations, no crashes)', () => {
    expect(consoleErrors).toEqual([]);
  });
});
