/**
 * What the portal shows about an app: list entries (never a secret) and the detail view
 * (client ids, redirect URIs, grant types, sandbox facts, import links; secrets only through
 * the explicit reveal endpoints).
 */
import { findSandboxByApp } from '../db/repos/sandboxes.js';
import type { Environment, Row } from '../db/schema.js';
import { parseJsonList } from '../services/apps.js';
import type { AppContext } from '../context/context.js';
import { getPostmanLinks } from '../postman/links.js';
import type { AppDetail, AppListEntry, CredentialView } from './view-types.js';

export type { AppDetail, AppListEntry, CredentialView, SandboxUserView } from './view-types.js';

export async function listAppEntries(ctx: AppContext, developerId: number): Promise<AppListEntry[]> {
  const rows = await ctx.db
    .selectFrom('apps')
    .leftJoin('sandboxes', 'sandboxes.app_id', 'apps.id')
    .leftJoin('app_credentials', (join) =>
      join.onRef('app_credentials.app_id', '=', 'apps.id').on('app_credentials.environment', '=', 'sandbox'),
    )
    .select(['apps.id', 'apps.name', 'apps.created_at', 'app_credentials.client_id', 'sandboxes.company_id', 'sandboxes.project_id'])
    .where('apps.developer_id', '=', developerId)
    .orderBy('apps.id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    created_at: r.created_at,
    sandbox_client_id: r.client_id ?? null,
    company_id: r.company_id === null ? null : Number(r.company_id),
    project_id: r.project_id === null ? null : Number(r.project_id),
  }));
}

export async function appDetail(ctx: AppContext, app: Row<'apps'>, origin: string, productionOrigin: string | null): Promise<AppDetail> {
  const [sandbox, credentialRows] = await Promise.all([
    findSandboxByApp(ctx.db, app.id),
    ctx.db
      .selectFrom('app_credentials')
      .select(['environment', 'client_id', 'created_at', 'rotated_at'])
      .where('app_id', '=', app.id)
      .execute(),
  ]);
  const credential = (environment: Environment): CredentialView | null => {
    const row = credentialRows.find((r) => r.environment === environment);
    return row ? { environment, client_id: row.client_id, created_at: row.created_at, rotated_at: row.rotated_at } : null;
  };
  let sandboxView: AppDetail['sandbox'] = null;
  if (sandbox) {
    const users = await ctx.db
      .selectFrom('users')
      .select(['id', 'email', 'first_name', 'last_name', 'job_title', 'is_company_admin', 'developer_id'])
      .where('sandbox_id', '=', sandbox.id)
      .where('company_id', '=', sandbox.company_id)
      .where('is_service_account', '=', 0)
      .orderBy('id')
      .execute();
    const links = await getPostmanLinks(ctx, app.id, origin);
    sandboxView = {
      id: Number(sandbox.id),
      company_id: Number(sandbox.company_id),
      project_id: Number(sandbox.project_id),
      sandbox_url: origin,
      production_url: productionOrigin,
      created_at: sandbox.created_at,
      reset_at: sandbox.reset_at,
      users: users.map((u) => ({
        id: Number(u.id),
        name: `${u.first_name} ${u.last_name}`.trim(),
        email: u.email,
        job_title: u.job_title,
        is_company_admin: u.is_company_admin === 1,
        is_you: u.developer_id !== null && Number(u.developer_id) === Number(app.developer_id),
      })),
      postman: { collection_url: links.collectionUrl, environment_url: links.environmentUrl },
      explorer_url: `${origin}/explorer`,
    };
  }
  return {
    id: Number(app.id),
    name: app.name,
    created_at: app.created_at,
    updated_at: app.updated_at,
    redirect_uris: parseJsonList(app.redirect_uris),
    grant_types: parseJsonList(app.grant_types),
    credentials: { sandbox: credential('sandbox'), production: credential('production') },
    sandbox: sandboxView,
  };
}
