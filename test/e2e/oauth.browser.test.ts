/**
 * The login pages in a real browser (Debian Chromium via playwright-core, never downloaded):
 * authorize → login → approve → redirect to http://localhost with code and state (the
 * navigation is intercepted, nothing listens there), and the oob page with its script.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import type { RunningServer } from '../../src/server/runtime.js';
import { startTestServer } from '../helpers/runtime.js';
import { browserSuiteTitle, CHROMIUM, CHROMIUM_ARGS, skipBrowserSuites } from './chromium.js';

describe.skipIf(skipBrowserSuites())(browserSuiteTitle('OAuth pages in Chromium'), () => {
  let server: RunningServer;
  let browser: Browser;
  let clientId: string;
  let clientSecret: string;
  let password: string;

  beforeAll(async () => {
    ({
      server,
      userPassword: password,
      credentials: { clientId, clientSecret },
    } = await startTestServer());
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('authorize → login → approve → redirect with code and state', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    let redirected: URL | null = null;
    await page.route('http://localhost/**', async (route) => {
      redirected = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<p>client</p>' });
    });
    const state = 'a&b=c ü';
    await page.goto(
      `${server.sandboxUrl}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: 'http://localhost', state })}`,
    );
    expect(await page.title()).toBe('Log in to your Account');
    await page.getByLabel('Email').fill('sandbox+arch@example.com');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.getByRole('button', { name: 'Approve' }).waitFor();
    expect(await page.textContent('h1')).toContain('My Sandbox App');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL('http://localhost/**');
    expect(redirected).not.toBeNull();
    const url = redirected as unknown as URL;
    expect(url.searchParams.get('code')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get('state')).toBe(state);
    expect(errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    await page.close();
  });

  it('shows the oob code without the secret and hands it to the opener', async () => {
    const context = await browser.newContext();
    const opener = await context.newPage();
    // The opener is a page of this server's own origin (as the API explorer is).
    await opener.goto(`${server.sandboxUrl}/oauth/assets/oob.js`);
    await opener.evaluate(() => {
      (window as unknown as { received: unknown[] }).received = [];
      window.addEventListener('message', (e) =>
        (window as unknown as { received: unknown[] }).received.push({ origin: e.origin, data: e.data }),
      );
    });
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: 'urn:ietf:wg:oauth:2.0:oob',
      state: 'popup',
    });
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      opener.evaluate((url) => void window.open(url, 'login'), `${server.sandboxUrl}/oauth/authorize?${query}`),
    ]);
    await popup.waitForLoadState();
    await popup.getByLabel('Email').fill('sandbox+demo@example.com');
    await popup.getByLabel('Password').fill(password);
    await popup.getByRole('button', { name: 'Log In' }).click();
    await popup.getByRole('button', { name: 'Approve' }).click();
    await popup.getByRole('heading', { name: 'Authorization code:' }).waitFor();
    expect(await popup.title()).toBe('Authorization code:');
    const code = (await popup.textContent('#code'))!.trim();
    expect(code).toMatch(/^[0-9a-f]{64}$/);
    const html = await popup.content();
    expect(html).not.toContain(clientSecret);
    expect(await popup.textContent('#curl')).toContain('$CLIENT_SECRET');
    await opener.waitForFunction(() => (window as unknown as { received: unknown[] }).received.length > 0);
    const received = await opener.evaluate(() => (window as unknown as { received: unknown[] }).received);
    expect(received).toEqual([{ origin: server.sandboxUrl, data: { type: 'procore-sandbox:oauth-code', code, state: 'popup' } }]);
    await context.close();
  });

  it('cannot be framed (frame-ancestors none / X-Frame-Options)', async () => {
    const page = await browser.newPage();
    await page.route('http://framer.test/**', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: `<iframe id="f" src="${server.sandboxUrl}/oauth/authorize?response_type=code&client_id=${clientId}&redirect_uri=http%3A%2F%2Flocalhost"></iframe>`,
      }),
    );
    // `load` of the top page waits for its iframe to finish (or be blocked).
    await page.goto('http://framer.test/', { waitUntil: 'load' });
    const frame = page.frames().find((f) => f !== page.mainFrame());
    const text = frame ? await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
    expect(text).not.toContain('Log in to your Account');
    await page.close();
  });
});
