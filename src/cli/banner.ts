/**
 * The start banner. Scripts read its labels (`Client ID:`, `Client Secret:`, `Password:`,
 * `Company ID:`, `Project ID:`, `Admin key:`), so keep them stable.
 */
import type { Row } from '../db/schema.js';

export interface BannerInput {
  version: string;
  sandboxUrl: string;
  productionUrl: string;
  database: string;
  developerEmail: string;
  developerPassword: string | null;
  app?: {
    name: string;
    clientId: string;
    clientSecret: string;
    productionClientId: string;
    companyId: number;
    projectId: number;
    userPassword: string;
    users: Pick<Row<'users'>, 'email' | 'first_name' | 'last_name'>[];
  };
  /** Bearer key of the admin API (`/__admin/`). */
  adminKey?: string;
  /** Extra lines (e.g. Postman links) appended to the app section. */
  extra?: string[];
}

export function renderBanner(b: BannerInput): string {
  const pad = (label: string) => `${label}:`.padEnd(20);
  const lines = [
    `procore-sandbox ${b.version} — an unofficial, offline emulator of the Procore Developer Sandbox`,
    '',
    'Sandbox environment',
    `  ${pad('API')}${b.sandboxUrl}/rest/v1.0  (also ${b.sandboxUrl}/vapid)`,
    `  ${pad('Login (OAuth)')}${b.sandboxUrl}/oauth/authorize`,
    `  ${pad('Token URL')}${b.sandboxUrl}/oauth/token`,
    `  ${pad('Portal')}${b.sandboxUrl}/`,
    `  ${pad('Explorer')}${b.sandboxUrl}/explorer  (placeholder; the explorer comes in a later release)`,
    `  ${pad('OpenAPI')}${b.sandboxUrl}/openapi.json`,
    ...(b.adminKey ? [`  ${pad('Admin API')}${b.sandboxUrl}/__admin/  (docs/automation.md)`, `  ${pad('Admin key')}${b.adminKey}`] : []),
    'Production environment',
    `  ${pad('API')}${b.productionUrl}/rest/v1.0`,
    `  ${pad('Login (OAuth)')}${b.productionUrl}/oauth/authorize`,
    '',
    'Developer Portal login',
    `  ${pad('Email')}${b.developerEmail}`,
    `  ${pad('Developer password')}${b.developerPassword ?? '(changed by its owner)'}`,
  ];
  if (b.app) {
    lines.push(
      '',
      `App "${b.app.name}" — Sandbox OAuth Credentials`,
      `  ${pad('Client ID')}${b.app.clientId}`,
      `  ${pad('Client Secret')}${b.app.clientSecret}`,
      `  ${pad('Redirect URIs')}http://localhost, urn:ietf:wg:oauth:2.0:oob`,
      `  ${pad('Production ID')}${b.app.productionClientId}  (secret in the portal)`,
      '',
      'Developer Sandbox',
      `  ${pad('Company ID')}${b.app.companyId}`,
      `  ${pad('Project ID')}${b.app.projectId}  (1234 - Sandbox Test Project)`,
      '  Seeded users (sign in on the login page):',
      ...b.app.users.map((u) => `    ${u.email.padEnd(30)} ${u.first_name} ${u.last_name}`),
      `  ${pad('Password')}${b.app.userPassword}  (for the seeded users; the developer uses the developer password)`,
    );
  }
  if (b.extra?.length) lines.push(...b.extra);
  lines.push('', `${pad('Database')}${b.database}`, '');
  return lines.join('\n');
}
