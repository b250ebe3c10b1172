/**
 * Page objects for the developer portal: every locator the browser tests use lives here
 * (no raw selectors in specs).
 */
import type { Download, Locator, Page } from 'playwright-core';

export class SignInPage {
  constructor(readonly page: Page) {}
  readonly email = () => this.page.getByTestId('signin-email');
  readonly password = () => this.page.getByTestId('signin-password');
  readonly submit = () => this.page.getByTestId('signin-submit');
  readonly error = () => this.page.getByTestId('signin-error');
  readonly signUpLink = () => this.page.getByTestId('goto-signup');

  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/signin`);
    await this.email().waitFor();
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.email().fill(email);
    await this.password().fill(password);
    await this.submit().click();
  }
}

export class SignUpPage {
  constructor(readonly page: Page) {}
  readonly name = () => this.page.getByTestId('signup-name');
  readonly email = () => this.page.getByTestId('signup-email');
  readonly password = () => this.page.getByTestId('signup-password');
  readonly submit = () => this.page.getByTestId('signup-submit');
  readonly error = () => this.page.getByTestId('signup-error');

  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/signup`);
    await this.email().waitFor();
  }

  async signUp(input: { name: string; email: string; password: string }): Promise<void> {
    await this.name().fill(input.name);
    await this.email().fill(input.email);
    await this.password().fill(input.password);
    await this.submit().click();
  }
}

export class Header {
  constructor(readonly page: Page) {}
  readonly accountEmail = () => this.page.getByTestId('account-email');
  readonly signOut = () => this.page.getByTestId('signout');
}

export class AppsPage {
  constructor(readonly page: Page) {}
  readonly heading = () => this.page.getByRole('heading', { name: 'My Apps' });
  readonly nameInput = () => this.page.getByTestId('create-app-name');
  readonly createButton = () => this.page.getByTestId('create-app-submit');
  readonly empty = () => this.page.getByTestId('apps-empty');
  readonly items = () => this.page.getByTestId('app-list-item');
  readonly error = () => this.page.getByTestId('apps-error');

  async createApp(name: string): Promise<void> {
    await this.nameInput().fill(name);
    await this.createButton().click();
  }
}

type Env = 'sandbox' | 'production';

export class AppDetailPage {
  constructor(readonly page: Page) {}
  readonly name = () => this.page.getByTestId('app-name');
  readonly flash = () => this.page.getByTestId('flash');
  readonly clientId = (env: Env) => this.page.getByTestId(`${env}-client-id`);
  readonly clientSecret = (env: Env) => this.page.getByTestId(`${env}-client-secret`);
  readonly revealSecret = (env: Env) => this.page.getByTestId(`${env}-client-secret-reveal`);
  readonly resetSecret = (env: Env) => this.page.getByTestId(`${env}-reset-secret`);
  readonly confirmResetSecret = (env: Env) => this.page.getByTestId(`${env}-reset-secret-confirm`);
  readonly grantTypes = () => this.page.getByTestId('grant-types');
  readonly redirectUris = () => this.page.getByTestId('redirect-uris-input');
  readonly saveRedirectUris = () => this.page.getByTestId('redirect-uris-save');
  readonly redirectUrisStatus = () => this.page.getByTestId('redirect-uris-status');
  readonly companyId = () => this.page.getByTestId('company-id');
  readonly projectId = () => this.page.getByTestId('project-id');
  readonly users = () => this.page.getByTestId('sandbox-users');
  readonly userPassword = () => this.page.getByTestId('user-password');
  readonly revealUserPassword = () => this.page.getByTestId('user-password-reveal');
  readonly resetSandbox = () => this.page.getByTestId('reset-sandbox');
  readonly confirmResetSandbox = () => this.page.getByTestId('reset-sandbox-confirm');
  readonly sandboxResetAt = () => this.page.getByTestId('sandbox-reset-at');
  readonly downloadCollection = () => this.page.getByTestId('download-collection');
  readonly downloadEnvironment = () => this.page.getByTestId('download-environment');
  readonly collectionLink = () => this.page.getByTestId('collection-link');
  readonly environmentLink = () => this.page.getByTestId('environment-link');
  readonly openExplorer = () => this.page.getByTestId('open-explorer');
  readonly implicitGrant = () => this.page.getByLabel('Implicit grant');
  readonly deleteApp = () => this.page.getByTestId('delete-app');
  readonly confirmDelete = () => this.page.getByTestId('delete-app-confirm');

  async revealedSecret(env: Env): Promise<string> {
    await this.revealSecret(env).click();
    await this.page.waitForFunction(
      (id) => !document.querySelector(`[data-testid="${id}"]`)?.textContent?.includes('•'),
      `${env}-client-secret`,
    );
    return (await this.clientSecret(env).textContent()) ?? '';
  }

  async setRedirectUris(lines: string[]): Promise<void> {
    await this.redirectUris().fill(lines.join('\n'));
    await this.saveRedirectUris().click();
  }

  async download(which: Locator): Promise<Download> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), which.click()]);
    return download;
  }
}

export class ExplorerPage {
  constructor(readonly page: Page) {}
  readonly heading = () => this.page.getByRole('heading', { name: 'API Explorer' });
  readonly environment = () => this.page.getByLabel('Environment', { exact: true });
  readonly collectionActions = (name: string) => this.page.getByRole('button', { name: `Actions for ${name}` });
}

export function portal(page: Page) {
  return {
    signIn: new SignInPage(page),
    signUp: new SignUpPage(page),
    header: new Header(page),
    apps: new AppsPage(page),
    app: new AppDetailPage(page),
    explorer: new ExplorerPage(page),
  };
}
