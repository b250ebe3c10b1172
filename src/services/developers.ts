/**
 * Developer accounts and the first start: on an empty database, a default developer and a
 * default app (with its sandbox) are created, so `npm start` has something to show.
 */
import { randomBytes } from 'node:crypto';
import { isoSeconds } from '../core/clock.js';
import { hashPassword } from '../core/crypto.js';
import { findDeveloperByEmail, getMeta, insertDeveloper, setMeta } from '../db/repos/developers.js';
import type { Row } from '../db/schema.js';
import type { AppContext } from '../context/context.js';
import { createApp, listAppsOfDeveloper } from './apps.js';

export const DEFAULT_DEVELOPER_EMAIL = 'developer@example.com';
export const DEFAULT_DEVELOPER_NAME = 'Sandbox Developer';
export const DEFAULT_APP_NAME = 'My Sandbox App';
const DEFAULT_PASSWORD_META = 'default_developer_password';

export async function createDeveloper(
  ctx: AppContext,
  input: { email: string; name: string; password: string },
): Promise<Row<'developers'>> {
  return insertDeveloper(ctx.db, {
    email: input.email,
    name: input.name,
    passwordHash: await hashPassword(input.password),
    createdAt: isoSeconds(ctx.clock.nowMs()),
  });
}

export interface DefaultSetup {
  developer: Row<'developers'>;
  /** Known only while the default developer keeps the generated password. */
  developerPassword: string | null;
  /** The developer's first app (created on first start). */
  app: Row<'apps'> | undefined;
  createdNow: boolean;
}

const SETUP_DONE_META = 'default_setup_done';

/**
 * Creates the default developer and app if the database has none; idempotent across processes.
 * The process that creates the developer creates the app and then marks the setup done; another
 * process starting at the same moment waits for that mark (and finishes the job itself if the
 * first one died in between). A developer who later deletes the default app keeps it deleted.
 */
export async function ensureDefaultSetup(ctx: AppContext, options: { waitMs?: number } = {}): Promise<DefaultSetup> {
  let developer = await findDeveloperByEmail(ctx.db, DEFAULT_DEVELOPER_EMAIL);
  let createdNow = false;
  if (!developer) {
    const password = `dev-${randomBytes(9).toString('base64url')}`;
    try {
      developer = await createDeveloper(ctx, { email: DEFAULT_DEVELOPER_EMAIL, name: DEFAULT_DEVELOPER_NAME, password });
      await setMeta(ctx.db, DEFAULT_PASSWORD_META, ctx.secrets.encrypt(password));
      createdNow = true;
    } catch (err) {
      // Another process won the race to create it: use theirs.
      developer = await findDeveloperByEmail(ctx.db, DEFAULT_DEVELOPER_EMAIL);
      if (!developer) throw err;
    }
  }
  if (createdNow) {
    await createApp(ctx, { developerId: developer.id, name: DEFAULT_APP_NAME });
    await setMeta(ctx.db, SETUP_DONE_META, '1');
  } else if ((await getMeta(ctx.db, SETUP_DONE_META)) === undefined) {
    const deadline = Date.now() + (options.waitMs ?? 10_000);
    while ((await getMeta(ctx.db, SETUP_DONE_META)) === undefined && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    if ((await getMeta(ctx.db, SETUP_DONE_META)) === undefined && (await listAppsOfDeveloper(ctx, developer.id)).length === 0) {
      await createApp(ctx, { developerId: developer.id, name: DEFAULT_APP_NAME });
      await setMeta(ctx.db, SETUP_DONE_META, '1');
    }
  }
  const sealed = await getMeta(ctx.db, DEFAULT_PASSWORD_META);
  let developerPassword: string | null = null;
  if (sealed) {
    try {
      developerPassword = ctx.secrets.decrypt(sealed);
    } catch {
      developerPassword = null; // sealed with another server key
    }
  }
  const apps = await listAppsOfDeveloper(ctx, developer.id);
  return { developer, developerPassword, app: apps[0], createdNow };
}
