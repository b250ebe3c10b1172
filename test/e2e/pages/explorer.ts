/**
 * Page objects for the API Explorer: every locator the explorer browser test uses, by role and
 * accessible name (the words the issue fixes: tabs History, Collections, Params, Headers, Body,
 * Auth; buttons Send, Save, Import, Get New Access Token, Use Token, Code, Run; the Environment
 * selector; the token dialog's field labels). No raw selectors in specs.
 */
import type { Locator, Page } from 'playwright-core';

export class ExplorerPage {
  constructor(readonly page: Page) {}
  readonly heading = () => this.page.getByRole('heading', { name: 'API Explorer' });
  readonly environment = () => this.page.getByLabel('Environment', { exact: true });
  readonly leftTab = (name: 'History' | 'Collections') =>
    this.page.getByRole('complementary').getByRole('tab', { name: new RegExp(`^${name}`) });
  readonly collectionsList = () => this.page.getByRole('list', { name: 'Collections' });
  readonly collection = (name: string) =>
    this.collectionsList()
      .getByRole('button', { name: new RegExp(`^▸|▾`) })
      .filter({ hasText: name });
  readonly collectionActions = (name: string) => this.page.getByRole('button', { name: `Actions for ${name}` });
  readonly collectionAction = (name: string, action: string) =>
    this.page.getByRole('group', { name: `${name} actions` }).getByRole('button', { name: action, exact: true });
  readonly treeButton = (name: string) => this.collectionsList().getByRole('button', { name, exact: true });
  readonly folder = (name: string) => this.collectionsList().getByRole('button', { name: new RegExp(`${escape(name)}$`) });
  readonly request = (name: string) => this.collectionsList().getByRole('button', { name: new RegExp(`^GET ${escape(name)}$`) });
  readonly historyEntries = () => this.page.getByRole('list', { name: 'Sent requests' }).getByRole('button');
  readonly importButton = () => this.page.getByRole('complementary').getByRole('button', { name: 'Import', exact: true });

  // Request Builder
  readonly builder = () => this.page.getByRole('region', { name: 'Request Builder' });
  readonly requestName = () => this.builder().getByRole('heading', { level: 2 });
  readonly method = () => this.builder().getByLabel('Method');
  readonly url = () => this.builder().getByRole('textbox', { name: 'Request URL' });
  readonly send = () => this.builder().getByRole('button', { name: 'Send', exact: true });
  readonly save = () => this.builder().getByRole('button', { name: 'Save', exact: true });
  readonly code = () => this.builder().getByRole('button', { name: 'Code', exact: true });
  readonly tab = (name: 'Params' | 'Headers' | 'Body' | 'Auth') => this.builder().getByRole('tab', { name: new RegExp(`^${name}`) });
  readonly headersTable = () => this.builder().getByRole('table', { name: 'Headers' });
  readonly applyPreset = () => this.builder().getByLabel('Header Presets');
  readonly headerPresetsButton = () => this.page.getByRole('button', { name: 'Header Presets' });

  readonly bodyMode = (label: 'none' | 'raw (JSON)' | 'form-data' | 'x-www-form-urlencoded') =>
    this.builder().getByRole('radio', { name: label });
  readonly body = () => this.builder().getByRole('textbox', { name: 'Request body (JSON)' });
  /** CodeMirror's completion list. */
  readonly completion = () => this.page.getByRole('listbox');
  readonly environmentsButton = () => this.page.getByRole('button', { name: 'Environments', exact: true });

  // Response
  readonly response = () => this.page.getByRole('region', { name: 'Response' });
  readonly status = () => this.response().getByTestId('response-status');
  readonly pretty = () => this.response().getByTestId('response-pretty');
  readonly responseTab = (name: 'Pretty' | 'Raw' | 'Response headers') =>
    this.response().getByRole('tab', { name: new RegExp(`^${name}`) });
  readonly responseHeaders = () => this.response().getByRole('table', { name: 'Response headers' });
  readonly rateLimit = () => this.response().getByRole('meter');
  readonly schemaBadge = () => this.response().getByTestId('schema-badge');

  dialog(name: string | RegExp): Locator {
    return this.page.getByRole('dialog', { name });
  }

  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/explorer`);
    await this.heading().waitFor();
  }

  async openRequest(folder: string, name: string): Promise<void> {
    const req = this.request(name).first();
    if (!(await req.isVisible())) await this.folder(folder).first().click();
    await req.click();
    await this.requestName().filter({ hasText: name }).waitFor();
  }

  async sendAndWait(): Promise<string> {
    const responded = this.page.waitForResponse((r) => r.url().endsWith('/api/explorer/send'));
    await this.send().click();
    await responded;
    await this.status().waitFor();
    return (await this.status().textContent()) ?? '';
  }
}

export class CollectionSettingsDialog {
  constructor(
    readonly page: Page,
    readonly name: string,
  ) {}
  readonly root = () => this.page.getByRole('dialog', { name: `${this.name} settings` });
  readonly authTab = () => this.root().getByRole('tab', { name: 'Auth', exact: true });
  readonly getNewAccessToken = () => this.root().getByRole('button', { name: 'Get New Access Token' });
  readonly tokens = () => this.root().getByRole('region', { name: 'Manage Access Tokens' });
  readonly useTokenIn = (tokenName: string) =>
    this.tokens().getByRole('listitem').filter({ hasText: tokenName }).getByRole('button', { name: 'Use Token' });
  readonly currentToken = () => this.root().getByTestId('current-token');
  readonly close = () => this.root().getByRole('button', { name: 'Close' }).first();
}

export class TokenDialog {
  constructor(readonly page: Page) {}
  readonly root = () => this.page.getByRole('dialog', { name: 'Get New Access Token' });
  readonly field = (label: string) => this.root().getByLabel(label, { exact: true });
  readonly requestToken = () => this.root().getByRole('button', { name: 'Request Token' });
  readonly result = () => this.root().getByTestId('token-result');
  readonly useToken = () => this.root().getByRole('button', { name: 'Use Token' });
  readonly timeline = () => this.root().getByRole('list', { name: 'Token timeline' });
}

/** The login service's pages (in the popup). */
export class LoginPopup {
  constructor(readonly page: Page) {}
  readonly approve = () => this.page.getByRole('button', { name: 'Approve' });
  readonly logInButton = () => this.page.getByRole('button', { name: 'Log In' });

  /** Logs in (unless the login service still has a session) and approves. */
  async logIn(email: string, password: string): Promise<void> {
    await this.approve().or(this.logInButton()).first().waitFor();
    if (await this.logInButton().isVisible()) {
      await this.page.getByLabel('Email').fill(email);
      await this.page.getByLabel('Password').fill(password);
      await this.logInButton().click();
    }
    await this.approve().click();
  }
}

export class ImportDialog {
  constructor(readonly page: Page) {}
  readonly root = () => this.page.getByRole('dialog', { name: 'Import' });
  readonly linkTab = () => this.root().getByRole('tab', { name: 'Link' });
  readonly link = () => this.root().getByRole('textbox', { name: 'Link' });
  readonly submit = () => this.root().getByRole('button', { name: 'Import', exact: true });
  readonly status = () => this.root().getByRole('status');
  readonly close = () => this.root().getByRole('button', { name: 'Close' });
}

export class PresetsDialog {
  constructor(readonly page: Page) {}
  readonly root = () => this.page.getByRole('dialog', { name: 'Header Presets' });
  readonly newPreset = () => this.root().getByRole('button', { name: 'New preset' });
  readonly name = () => this.root().getByLabel('Preset name');
  readonly headerKey = (n: number) => this.root().getByLabel(`Preset headers key ${n}`);
  readonly headerValue = (key: string) => this.root().getByLabel(`Preset headers value ${key}`);
  readonly save = () => this.root().getByRole('button', { name: 'Save preset' });
  readonly status = () => this.root().getByRole('status');
  readonly close = () => this.root().getByRole('button', { name: 'Close' });
}

export class EnvironmentDialog {
  constructor(readonly page: Page) {}
  readonly root = () => this.page.getByRole('dialog', { name: 'Environments' });
  readonly initialValue = (key: string) => this.root().getByLabel(`Initial value of ${key}`);
  readonly currentValue = (key: string) => this.root().getByLabel(`Current value of ${key}`);
  readonly showSecrets = () => this.root().getByLabel('Show secret values');
  readonly close = () => this.root().getByRole('button', { name: 'Close' });
}

export class CodeDialog {
  constructor(readonly page: Page) {}
  readonly root = () => this.page.getByRole('dialog', { name: 'Code snippet' });
  readonly language = () => this.root().getByLabel('Language');
  readonly mask = () => this.root().getByLabel('Mask secrets');
  readonly snippet = () => this.root().getByLabel('Snippet', { exact: true });
  readonly close = () => this.root().getByRole('button', { name: 'Close' });
}

export class RunnerDialog {
  constructor(
    readonly page: Page,
    readonly name: string,
  ) {}
  readonly root = () => this.page.getByRole('dialog', { name: `Run ${this.name}` });
  readonly run = () => this.root().getByRole('button', { name: 'Run', exact: true });
  readonly stopOnFailure = () => this.root().getByLabel('Stop on first failure');
  readonly summary = () => this.root().getByRole('status');
  readonly results = () => this.root().getByRole('table', { name: 'Run results' }).getByRole('row');
  readonly close = () => this.root().getByRole('button', { name: 'Close' });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function explorer(page: Page) {
  return {
    explorer: new ExplorerPage(page),
    tokenDialog: new TokenDialog(page),
    importDialog: new ImportDialog(page),
    presets: new PresetsDialog(page),
    code: new CodeDialog(page),
    environments: new EnvironmentDialog(page),
  };
}
