/**
 * Import links for an app's collection and environment: `/postman/<token>/collection.json` and
 * `/postman/<token>/environment.json`. The token is 256 random bits, one per app, stored as a
 * SHA-256 (lookup) plus a copy sealed with the server key (so the owner sees the link again);
 * regenerating it kills the old links, deleting the app deletes it. See
 * docs/decisions/postman-links.md.
 */
import { randomBytes } from 'node:crypto';
import { isoSeconds } from '../core/clock.js';
import { sha256Hex } from '../core/crypto.js';
import { findSandboxByApp } from '../db/repos/sandboxes.js';
import type { Row } from '../db/schema.js';
import { revealCredentials } from '../services/apps.js';
import type { AppContext } from '../context/context.js';
import {
  buildCollection,
  buildEnvironment,
  uuidFromSeed,
  type PostmanCollection,
  type PostmanEnvironment,
  type SandboxFacts,
} from './collection.js';

/** 43 URL-safe characters = 32 random bytes. */
export const LINK_TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export interface PostmanLinks {
  collectionUrl: string;
  environmentUrl: string;
}

function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The app's link token, created on first use (idempotent across processes). */
export async function ensurePostmanLinkToken(ctx: AppContext, appId: number): Promise<string> {
  const existing = await ctx.db.selectFrom('postman_links').select('token_enc').where('app_id', '=', appId).executeTakeFirst();
  if (existing) return ctx.secrets.decrypt(existing.token_enc);
  const token = newLinkToken();
  await ctx.db
    .insertInto('postman_links')
    .values({
      app_id: appId,
      token_hash: sha256Hex(token),
      token_enc: ctx.secrets.encrypt(token),
      created_at: isoSeconds(ctx.clock.nowMs()),
    })
    .onConflict((oc) => oc.column('app_id').doNothing())
    .execute();
  // Another process may have won the race: read back whichever token is stored.
  const row = await ctx.db.selectFrom('postman_links').select('token_enc').where('app_id', '=', appId).executeTakeFirstOrThrow();
  return ctx.secrets.decrypt(row.token_enc);
}

/** Replaces the app's link token; the old links answer 404 from now on. */
export async function regeneratePostmanLinkToken(ctx: AppContext, appId: number): Promise<string> {
  const token = newLinkToken();
  const values = { token_hash: sha256Hex(token), token_enc: ctx.secrets.encrypt(token), created_at: isoSeconds(ctx.clock.nowMs()) };
  await ctx.db
    .insertInto('postman_links')
    .values({ app_id: appId, ...values })
    .onConflict((oc) => oc.column('app_id').doUpdateSet(values))
    .execute();
  return token;
}

export async function deletePostmanLinks(ctx: AppContext, appId: number): Promise<void> {
  await ctx.db.deleteFrom('postman_links').where('app_id', '=', appId).execute();
}

export function postmanLinksFor(token: string, baseUrl: string): PostmanLinks {
  const base = `${baseUrl.replace(/\/+$/, '')}/postman/${token}`;
  return { collectionUrl: `${base}/collection.json`, environmentUrl: `${base}/environment.json` };
}

/**
 * The import links of an app (created on first call), for the portal and the CLI banner.
 *
 * @example
 * const { collectionUrl, environmentUrl } = await getPostmanLinks(ctx, app.id, 'http://127.0.0.1:4000');
 * // newman run <collectionUrl> -e <environmentUrl>
 */
export async function getPostmanLinks(ctx: AppContext, appId: number, baseUrl: string): Promise<PostmanLinks> {
  return postmanLinksFor(await ensurePostmanLinkToken(ctx, appId), baseUrl);
}

/** The app (still existing) a link token belongs to, or undefined. */
export async function findAppByLinkToken(ctx: AppContext, token: string): Promise<Row<'apps'> | undefined> {
  if (!LINK_TOKEN_RE.test(token)) return undefined;
  return ctx.db
    .selectFrom('postman_links')
    .innerJoin('apps', 'apps.id', 'postman_links.app_id')
    .selectAll('apps')
    .where('postman_links.token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
}

/** Everything the builders need about an app's sandbox, read from storage. */
export async function loadSandboxFacts(ctx: AppContext, app: Row<'apps'>, baseUrl: string): Promise<SandboxFacts | undefined> {
  const sandbox = await findSandboxByApp(ctx.db, app.id);
  const credentials = await revealCredentials(ctx, app.id, 'sandbox');
  if (!sandbox || !credentials) return undefined;
  const [area, category] = await Promise.all([
    ctx.db
      .selectFrom('drawing_areas')
      .select('id')
      .where('sandbox_id', '=', sandbox.id)
      .where('project_id', '=', sandbox.project_id)
      .orderBy('id')
      .executeTakeFirst(),
    ctx.db
      .selectFrom('image_categories')
      .select('id')
      .where('sandbox_id', '=', sandbox.id)
      .where('project_id', '=', sandbox.project_id)
      .orderBy('id')
      .executeTakeFirst(),
  ]);
  // Keyed with the server key so the ids are stable per sandbox but reveal nothing.
  const seed = ctx.secrets.mac(`postman:sandbox:${sandbox.id}`);
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    appName: app.name,
    companyId: Number(sandbox.company_id),
    projectId: Number(sandbox.project_id),
    drawingAreaId: Number(area?.id ?? 0),
    imageCategoryId: Number(category?.id ?? 0),
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    collectionId: uuidFromSeed(`${seed}:collection`),
    environmentId: uuidFromSeed(`${seed}:environment`),
  };
}

export async function buildAppCollection(ctx: AppContext, app: Row<'apps'>, baseUrl: string): Promise<PostmanCollection | undefined> {
  const facts = await loadSandboxFacts(ctx, app, baseUrl);
  return facts && buildCollection(facts);
}

export async function buildAppEnvironment(ctx: AppContext, app: Row<'apps'>, baseUrl: string): Promise<PostmanEnvironment | undefined> {
  const facts = await loadSandboxFacts(ctx, app, baseUrl);
  return facts && buildEnvironment(facts, new Date(ctx.clock.nowMs()).toISOString());
}
