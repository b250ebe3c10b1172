/**
 * The storage context of a CLI command: the same `--db` / `DATABASE_URL` and server key as
 * `start`, migrated and bootstrapped like a first start, without any listener. Commands work
 * whether a server runs on the same database or not.
 */
import { AdjustableClock } from '../core/clock.js';
import { SecretBox } from '../core/crypto.js';
import { openDatabase, parseDbTarget } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import type { Row } from '../db/schema.js';
import { ensureDefaultSetup } from '../services/developers.js';
import type { AppContext } from '../context/context.js';
import { loadServerKey } from '../server/runtime.js';
import { defaultSettings } from '../context/settings.js';
import { CliError } from './output.js';

export interface DbFlags {
  db: string;
  keyFile?: string;
}

export interface CommandContext {
  ctx: AppContext;
  /** The default developer's first app, when there is one. */
  defaultApp: Row<'apps'> | undefined;
  close(): Promise<void>;
}

export async function openCommandContext(flags: DbFlags): Promise<CommandContext> {
  const target = parseDbTarget(flags.db);
  const key = loadServerKey(target, flags.keyFile);
  const opened = openDatabase(target);
  try {
    await migrateToLatest(opened.db);
    const ctx: AppContext = {
      db: opened.db,
      engine: target.engine,
      clock: new AdjustableClock(),
      secrets: new SecretBox(key),
      settings: defaultSettings(),
    };
    const setup = await ensureDefaultSetup(ctx);
    return { ctx, defaultApp: setup.app, close: () => opened.close() };
  } catch (err) {
    await opened.close();
    throw err;
  }
}

/** Runs `fn` with a command context and always closes the database. */
export async function withCommandContext<T>(flags: DbFlags, fn: (c: CommandContext) => Promise<T>): Promise<T> {
  const c = await openCommandContext(flags);
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

/**
 * The app a command names: by name or client id (either environment); the default app when
 * none is named.
 */
export async function resolveApp(c: CommandContext, ref: string | undefined): Promise<Row<'apps'>> {
  if (ref === undefined) {
    if (!c.defaultApp) throw new CliError('there is no default app (it was deleted): name an app, see `procore-sandbox apps list`');
    return c.defaultApp;
  }
  const db = c.ctx.db;
  const byClient = await db
    .selectFrom('app_credentials')
    .innerJoin('apps', 'apps.id', 'app_credentials.app_id')
    .selectAll('apps')
    .where('app_credentials.client_id', '=', ref)
    .executeTakeFirst();
  if (byClient) return byClient;
  const byName = await db.selectFrom('apps').selectAll().where('name', '=', ref).orderBy('id').execute();
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1)
    throw new CliError(`${byName.length} apps are named "${ref}": name one by its client id (procore-sandbox apps list)`);
  throw new CliError(`no app named or with client id "${ref}" (procore-sandbox apps list shows them)`);
}
