/**
 * The API Explorer in a real browser (Debian Chromium via playwright-core, never downloaded),
 * following the guide as a new developer: sign in to the portal, open the explorer from the
 * app page, find the sandbox's collection and environment pre-installed, get a token with the
 * authorization-code popup (Test Architect) and with the oob redirect, send "List RFIs",
 * import the collection from its link, use a header preset, reopen from History, run a curl
 * snippet, run the collection. No console errors or CSP violations; usable at 390 px.
 * Screenshots go to artifacts/screenshots/explorer-*.png.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../web/build-if-stale.mjs';
import { startServer, type RunningServer } from '../../src/server/runtime.js';
import { browserSuiteTitle, CHROMIUM, CHROMIUM_ARGS, skipBrowserSuites } from './chromium.js';
import { CollectionSettingsDialog, explorer, LoginPopup, RunnerDialog } from './pages/explorer.js';
import { portal } from './pages/portal.js';

const SCREENSHOTS = 'artifacts/screenshots';
const hasCurl = (() => {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const SEEDED_RFI = 'Foundation wall reinforcement at grid line A';
const REST_FOLDER = 'REST API v1.0 (/rest/v1.0)';
const VAPID_FOLDER = 'Legacy API (/vapid)';

describe.skipIf(skipBrowserSuites())(browserSuiteTitle('API Explorer in Chromium'), () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let p: ReturnType<typeof portal>;
  let x: ReturnType<typeof explorer>;
  const problems: string[] = [];
  const email = 'guide.dev@example.com';
  const password = 'guide-password';
  const appName = 'Guide App';
  let userPassword = '';
  let collectionLink = '';
  let collectionName = '';

  const shot = (name: string, fullPage = false) => page.screenshot({ path: `${SCREENSHOTS}/explorer-${name}.png`, fullPage });
  const watch = (pg: Page) => {
    pg.on('console', (m) => {
      const text = m.text();
      if (/Content Security Policy|Refused to|CSP violation/i.test(text)) problems.push(`CSP: ${text}`);
      else if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(text))
        problems.push(text);
    });
    pg.on('pageerror', (e) => problems.push(e.message));
  };

  beforeAll(async () => {
    await ensureWebBuild();
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startServer({ db: ':memory:', host: '127.0.0.1', port: 0, productionPort: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    });
    context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    // Report each CSP violation with where it came from.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`CSP violation ${e.violatedDirective} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`),
      );
    });
    context.on('page', watch);
    page = await context.newPage();
    p = portal(page);
    x = explorer(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs up, creates an app and opens the explorer from the app page', async () => {
    await p.signUp.open(server.sandboxUrl);
    await p.signUp.signUp({ name: 'Guide Dev', email, password });
    await p.apps.createApp(appName);
    await p.app.name().filter({ hasText: appName }).waitFor();
    await p.app.revealUserPassword().click();
    await p.app.userPassword().filter({ hasText: 'Sandbox-' }).waitFor();
    userPassword = ((await p.app.userPassword().textContent()) ?? '').trim();
    collectionLink = await p.app.collectionLink().inputValue();
    await p.app.openExplorer().click();
    await x.explorer.heading().waitFor();
    expect(new URL(page.url()).searchParams.get('app')).toMatch(/^\d+$/);
  });

  it('finds the sandbox collection and environment pre-installed', async () => {
    await x.explorer.leftTab('Collections').click();
    const env = x.explorer.environment();
    await expect.poll(async () => (await env.locator('option:checked').textContent()) ?? '').toBe(`Procore Sandbox - ${appName}`);
    collectionName = `Procore Sandbox Test Project (${appName})`;
    await x.explorer.collectionActions(collectionName).waitFor();
  });

  it('gets a token with the authorization-code popup (Test Architect) and uses it', async () => {
    await x.explorer.collectionActions(collectionName).click();
    await x.explorer.collectionAction(collectionName, 'Auth').click();
    const settings = new CollectionSettingsDialog(page, collectionName);
    await settings.authTab().waitFor();
    await settings.getNewAccessToken().click();
    const t = x.tokenDialog;
    await t.root().waitFor();
    // Pre-filled for the sandbox's collection, with the explorer's own (registered) callback.
    await expect.poll(() => t.field('Callback URL').inputValue()).toBe(`${server.sandboxUrl}/explorer/oauth/callback`);
    expect(await t.field('Client ID').inputValue()).toBe('{{client_id}}');
    expect(await t.field('Client Secret').inputValue()).toBe('{{client_secret}}');
    expect(await t.field('Auth URL').inputValue()).toBe(`${server.sandboxUrl}/oauth/authorize`);
    expect(await t.field('Access Token URL').inputValue()).toBe(`${server.sandboxUrl}/oauth/token`);
    expect(await t.field('Grant Type').inputValue()).toBe('authorization_code');
    expect(await t.field('Client Authentication').inputValue()).toBe('header');
    for (const label of ['Token Name', 'Scope', 'State']) await t.field(label).waitFor();
    await t.field('Token Name').fill('Architect (popup)');
    const [popup] = await Promise.all([context.waitForEvent('page'), t.requestToken().click()]);
    await popup.waitForLoadState();
    await new LoginPopup(popup).logIn('sandbox+arch@example.com', userPassword);
    await t.result().waitFor({ timeout: 15_000 });
    expect(await t.timeline().textContent()).toMatch(/Authorize.*Code.*Token.*200/s);
    await shot('token-dialog');
    await t.useToken().click();
    await t.root().waitFor({ state: 'hidden' });
    await settings.currentToken().filter({ hasText: 'in use' }).waitFor();
    await settings.close().click();
  });

  it('sends "List RFIs" and sees the seeded RFI with a 200', async () => {
    await x.explorer.openRequest(REST_FOLDER, 'List RFIs');
    expect(await x.explorer.url().textContent()).toBe('{{base_url}}/rest/v1.0/projects/{{project_id}}/rfis');
    expect(await x.explorer.sendAndWait()).toBe('200 OK');
    await x.explorer.pretty().filter({ hasText: SEEDED_RFI }).waitFor();
    await x.explorer.rateLimit().waitFor();
    await x.explorer.schemaBadge().waitFor();
    await shot('request-response');
    await x.explorer.responseTab('Response headers').click();
    expect(await x.explorer.responseHeaders().textContent()).toMatch(/total.*per-page|per-page.*total/is);
    await x.explorer.responseTab('Pretty').click();
  });

  it('gets a token with the oob redirect and finishes without copying', async () => {
    await x.explorer.collectionActions(collectionName).click();
    await x.explorer.collectionAction(collectionName, 'Auth').click();
    const settings = new CollectionSettingsDialog(page, collectionName);
    await settings.getNewAccessToken().click();
    const t = x.tokenDialog;
    await expect.poll(() => t.field('Callback URL').inputValue()).toContain('/explorer/oauth/callback');
    await t.field('Callback URL').fill('urn:ietf:wg:oauth:2.0:oob');
    await t.field('Token Name').fill('Architect (oob)');
    const [popup] = await Promise.all([context.waitForEvent('page'), t.requestToken().click()]);
    await popup.waitForLoadState();
    await new LoginPopup(popup).logIn('sandbox+arch@example.com', userPassword);
    // The oob page hands the code to the explorer; nothing is copied or pasted.
    await t.result().waitFor({ timeout: 15_000 });
    await t.useToken().click();
    await settings.tokens().getByRole('listitem').filter({ hasText: 'Architect (oob)' }).filter({ hasText: 'in use' }).waitFor();
    await settings.close().click();
    expect(await x.explorer.sendAndWait()).toBe('200 OK');
  });

  it('imports the collection from its link', async () => {
    const before = await x.explorer
      .collectionsList()
      .getByRole('listitem')
      .filter({ has: page.getByRole('button', { name: /^Actions for / }) })
      .count();
    await x.explorer.importButton().click();
    const d = x.importDialog;
    await d.linkTab().click();
    await d.link().fill(collectionLink);
    await d.submit().click();
    await d.status().filter({ hasText: 'Imported collection' }).waitFor();
    await d.close().click();
    await expect
      .poll(() => x.explorer.page.getByRole('button', { name: /^Actions for Procore Sandbox Test Project/ }).count())
      .toBeGreaterThan(before > 0 ? 1 : 0);
  });

  it('creates a header preset and applies it', async () => {
    await x.explorer.headerPresetsButton().first().click();
    const d = x.presets;
    await d.newPreset().click();
    await d.name().fill('Company header');
    await d.headerKey(1).fill('Procore-Company-Id');
    await d.headerValue('Procore-Company-Id').fill('{{company_id}}');
    await d.save().click();
    await d.status().filter({ hasText: 'saved' }).waitFor();
    await d.close().click();
    await x.explorer.openRequest(VAPID_FOLDER, 'List Projects');
    await x.explorer.tab('Headers').click();
    await x.explorer.applyPreset().selectOption({ label: 'Company header' });
    expect(await x.explorer.headersTable().getByLabel('Headers key 1').inputValue()).toBe('Procore-Company-Id');
    expect(await x.explorer.headersTable().getByLabel('Headers value Procore-Company-Id').inputValue()).toBe('{{company_id}}');
    expect(await x.explorer.sendAndWait()).toBe('200 OK');
  });

  it('shows the environment with secrets masked, initial and current values', async () => {
    await x.explorer.environmentsButton().click();
    const d = x.environments;
    await d.root().waitFor();
    expect(await d.initialValue('client_secret').getAttribute('type')).toBe('password');
    expect(await d.initialValue('project_id').getAttribute('type')).toBe('text');
    // Use Token set the current value of {{access_token}}, not its (exported) initial value.
    expect(await d.initialValue('access_token').inputValue()).toBe('');
    await d.showSecrets().check();
    expect(await d.currentValue('access_token').inputValue()).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    await d.close().click();
  });

  it('completes Procore field names and real ids in a JSON body, and creates an RFI', async () => {
    await x.explorer.collectionActions(collectionName).click();
    await x.explorer.collectionAction(collectionName, 'New request').click();
    await x.explorer.method().selectOption('POST');
    await x.explorer.url().fill('{{base_url}}/rest/v1.0/projects/{{project_id}}/rfis');
    await x.explorer.tab('Headers').click();
    await x.explorer.applyPreset().selectOption({ label: 'Company header' });
    await x.explorer.tab('Body').click();
    await x.explorer.bodyMode('raw (JSON)').check();
    await x.explorer.body().click();
    // Each step: type, close any list typing opened, ask for completion (Ctrl+Space), pick.
    const complete = async (typed: string, option: RegExp) => {
      await page.keyboard.type(typed);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Space');
      const pick = x.explorer.completion().getByRole('option').filter({ hasText: option }).first();
      await pick.waitFor();
      await pick.click();
      await x.explorer.completion().waitFor({ state: 'detached' });
    };
    await complete('{"rfi":{"subj', /^subject/);
    await complete('"Asked from the explorer", "assignee_id": ', /^\d{5,}/);
    await complete(', "rfi_manager_id": ', /^\d{5,}/);
    await page.keyboard.type(', "question": {"body": "Which spacing applies?"}}}');
    const text = (await x.explorer.body().textContent()) ?? '';
    expect(text).toMatch(
      /^\{"rfi":\{"subject": "Asked from the explorer", "assignee_id": \d+, "rfi_manager_id": \d+, "question": \{"body": "Which spacing applies\?"\}\}\}$/,
    );
    const created = await x.explorer.sendAndWait();
    expect(created).toBe('201 Created');
    await x.explorer.pretty().filter({ hasText: 'Asked from the explorer' }).waitFor();
  });

  it('reopens a request from History', async () => {
    await x.explorer.leftTab('History').click();
    const rfis = x.explorer.historyEntries().filter({ hasText: /^GET\/rest\/v1\.0\/projects\/\d+\/rfis\d/ });
    await rfis.first().click();
    await x.explorer.requestName().filter({ hasText: 'List RFIs' }).waitFor();
    expect(await x.explorer.url().textContent()).toBe('{{base_url}}/rest/v1.0/projects/{{project_id}}/rfis');
    expect(await x.explorer.sendAndWait()).toBe('200 OK');
    await x.explorer.leftTab('Collections').click();
  });

  it.skipIf(!hasCurl)('generates a curl snippet that gets the same status', async () => {
    await x.explorer.code().click();
    const d = x.code;
    await d.root().waitFor();
    await expect.poll(async () => (await d.snippet().textContent()) ?? '').toContain('curl');
    expect(await d.snippet().textContent()).toContain('Bearer <access_token>');
    await d.mask().uncheck();
    await expect.poll(async () => (await d.snippet().textContent()) ?? '').toMatch(/Bearer [A-Za-z0-9_-]{20,}/);
    const snippet = (await d.snippet().textContent()) ?? '';
    expect(snippet).toContain(`${server.sandboxUrl}/rest/v1.0/projects/`);
    // Asynchronously: the server answering it runs in this process.
    const { stdout } = await promisify(execFile)('sh', ['-c', `${snippet.trim()} -s -o /dev/null -w '%{http_code}'`], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(stdout).toBe('200');
    await d.close().click();
  });

  it('runs the collection in the runner, all green', { timeout: 90_000 }, async () => {
    await x.explorer.collectionActions(collectionName).click();
    await x.explorer.collectionAction(collectionName, 'Run').click();
    const r = new RunnerDialog(page, collectionName);
    await r.run().click();
    await r
      .summary()
      .filter({ hasText: /passed|failed|Stopped/ })
      .waitFor({ timeout: 60_000 });
    expect(await r.summary().textContent()).toBe('All 22 requests passed.');
    expect(await r.results().count()).toBe(23);
    await shot('runner');
    await r.close().click();
  });

  it('is usable at 390 px wide', async () => {
    // The last response (List RFIs, 200) stays on screen; no new request (the spike limit is 25 per 10 s).
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await x.explorer.status().textContent()).toBe('200 OK');
    // (The URL bar scrolls sideways inside its box; the document itself must not.)
    for (const control of [x.explorer.send(), x.explorer.method(), x.explorer.environment(), x.explorer.tab('Auth'), x.explorer.status()]) {
      const box = (await control.boundingBox())!;
      console.log('BOX', JSON.stringify(box));
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await x.explorer.send().scrollIntoViewIfNeeded();
    await shot('narrow', true);
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it('logged no console errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
