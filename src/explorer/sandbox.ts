/**
 * The sandbox's own collection and environment, pre-installed in a developer's explorer once per
 * app (built by the same builders as the Postman import links, src/postman/collection.ts). A
 * deletion is honoured: the install is remembered in `explorer_installs`, and "Restore sandbox
 * collection" creates a fresh copy on request. Installing also registers the explorer's own
 * OAuth callback (`<origin>/explorer/oauth/callback`) for the app when that URI is acceptable
 * (http://localhost, http://127.0.0.1 or https), so the explorer's popup login can finish.
 */
import { isoSeconds } from '../core/clock.js';
import { findSandboxByApp } from '../db/repos/sandboxes.js';
import type { Row } from '../db/schema.js';
import { checkRedirectUri, MAX_REDIRECT_URIS } from '../portal/redirect-uris.js';
import { buildCollection, buildEnvironment, COLLECTION_NAME, uuidFromSeed, type SandboxFacts } from '../postman/collection.js';
import { loadSandboxFacts } from '../postman/links.js';
import type { AppContext } from '../context/context.js';
import { createRecord, listRecords, type ExplorerRecord } from './store.js';

export const EXPLORER_CALLBACK_PATH = '/explorer/oauth/callback';

export interface ExplorerApp {
  id: number;
  name: string;
  company_id: number | null;
  project_id: number | null;
  /** The pre-installed records of this app still present, else null. */
  collection_id: string | null;
  environment_id: string | null;
  /** The explorer's callback URL, when it is registered for the app. */
  callback_url: string | null;
}

export function collectionRecordName(app: Row<'apps'>): string {
  return `${COLLECTION_NAME} (${app.name})`;
}

function sandboxCollection(facts: SandboxFacts) {
  return buildCollection(facts) as unknown as Record<string, unknown>;
}

function sandboxEnvironment(ctx: AppContext, facts: SandboxFacts) {
  return { ...buildEnvironment(facts, new Date(ctx.clock.nowMs()).toISOString()), current: {} } as Record<string, unknown>;
}

export async function listDeveloperApps(ctx: AppContext, developerId: number): Promise<Row<'apps'>[]> {
  return ctx.db.selectFrom('apps').selectAll().where('developer_id', '=', developerId).orderBy('id').execute();
}

/** Adds `<origin>/explorer/oauth/callback` to the app's redirect URIs when acceptable and missing. */
export async function registerExplorerCallback(ctx: AppContext, app: Row<'apps'>, origin: string): Promise<void> {
  const callback = `${origin}${EXPLORER_CALLBACK_PATH}`;
  if (!checkRedirectUri(callback).ok) return;
  const uris = JSON.parse(app.redirect_uris) as string[];
  if (uris.includes(callback) || uris.length >= MAX_REDIRECT_URIS) return;
  await ctx.db
    .updateTable('apps')
    .set({ redirect_uris: JSON.stringify([...uris, callback]), updated_at: isoSeconds(ctx.clock.nowMs()) })
    .where('id', '=', app.id)
    .execute();
}

/** Installs the sandbox collection and environment of every app not installed yet. */
export async function ensureSandboxInstalled(ctx: AppContext, developerId: number, origin: string): Promise<void> {
  const apps = await listDeveloperApps(ctx, developerId);
  if (apps.length === 0) return;
  const installed = new Set(
    (await ctx.db.selectFrom('explorer_installs').select('app_id').where('developer_id', '=', developerId).execute()).map((r) =>
      Number(r.app_id),
    ),
  );
  for (const app of apps) {
    if (installed.has(Number(app.id))) continue;
    // Read everything first: on SQLite a transaction holds the only connection.
    const facts = await loadSandboxFacts(ctx, app, origin);
    if (!facts) continue;
    await registerExplorerCallback(ctx, app, origin);
    const collection = sandboxCollection(facts);
    const environment = sandboxEnvironment(ctx, facts);
    await ctx.db.transaction().execute(async (trx) => {
      const marked = await trx
        .insertInto('explorer_installs')
        .values({ developer_id: developerId, app_id: app.id, installed_at: isoSeconds(ctx.clock.nowMs()) })
        .onConflict((oc) => oc.columns(['developer_id', 'app_id']).doNothing())
        .executeTakeFirst();
      // Another request installed it meanwhile.
      if (Number(marked.numInsertedOrUpdatedRows ?? 0) === 0) return;
      await createRecord(ctx, developerId, 'collections', { name: collectionRecordName(app), data: collection, appId: app.id }, trx);
      await createRecord(ctx, developerId, 'environments', { name: String(environment['name']), data: environment, appId: app.id }, trx);
    });
  }
}

/** A fresh copy of the app's sandbox collection; the environment too when it was deleted. */
export async function restoreSandbox(
  ctx: AppContext,
  developerId: number,
  app: Row<'apps'>,
  origin: string,
): Promise<{ collection: ExplorerRecord; environment: ExplorerRecord } | undefined> {
  const facts = await loadSandboxFacts(ctx, app, origin);
  if (!facts) return undefined;
  const collection = await createRecord(ctx, developerId, 'collections', {
    name: collectionRecordName(app),
    data: sandboxCollection(facts),
    appId: app.id,
  });
  const existing = (await listRecords(ctx, developerId, 'environments')).find((r) => r.app_id === Number(app.id));
  const env = sandboxEnvironment(ctx, facts);
  const environment =
    existing ?? (await createRecord(ctx, developerId, 'environments', { name: String(env['name']), data: env, appId: app.id }));
  return { collection, environment };
}

/** The developer's globals record, created empty on first use (one per developer). */
export async function ensureGlobals(ctx: AppContext, developerId: number): Promise<ExplorerRecord> {
  const found = (await listRecords(ctx, developerId, 'globals', { limit: 1 }))[0];
  if (found) return found;
  const id = uuidFromSeed(`${ctx.secrets.mac(`explorer:globals:${developerId}`)}`);
  try {
    return await createRecord(ctx, developerId, 'globals', { id, name: 'Globals', data: { name: 'Globals', values: [], current: {} } });
  } catch (err) {
    // Lost a race with a concurrent first read: the fixed id is taken.
    const again = (await listRecords(ctx, developerId, 'globals', { limit: 1 }))[0];
    if (again) return again;
    throw err;
  }
}

/** The developer's apps with their sandbox ids and pre-installed record ids. */
export async function describeApps(
  ctx: AppContext,
  developerId: number,
  origin: string,
  collections: readonly ExplorerRecord[],
  environments: readonly ExplorerRecord[],
): Promise<ExplorerApp[]> {
  const apps = await listDeveloperApps(ctx, developerId);
  const callback = `${origin}${EXPLORER_CALLBACK_PATH}`;
  return Promise.all(
    apps.map(async (app) => {
      const sandbox = await findSandboxByApp(ctx.db, app.id);
      const uris = JSON.parse(app.redirect_uris) as string[];
      return {
        id: Number(app.id),
        name: app.name,
        company_id: sandbox ? Number(sandbox.company_id) : null,
        project_id: sandbox ? Number(sandbox.project_id) : null,
        collection_id: collections.find((r) => r.app_id === Number(app.id))?.id ?? null,
        environment_id: environments.find((r) => r.app_id === Number(app.id))?.id ?? null,
        callback_url: uris.includes(callback) ? callback : null,
      };
    }),
  );
}
