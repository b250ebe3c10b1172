/**
 * The admin key: given (`--admin-key`, `PROCORE_SANDBOX_ADMIN_KEY`, `startSandbox({ adminKey })`)
 * or generated on first start and stored sealed with the server key in `server_meta`, so every
 * process on the same database prints and accepts the same key.
 */
import { randomBytes } from 'node:crypto';
import { constantTimeEqual } from '../core/crypto.js';
import type { AppContext } from '../context/context.js';
import { automationOf } from './state.js';

const META_KEY = 'admin_key';
const KEY_RE = /^[\x21-\x7e]{16,256}$/;

/** Why a given admin key is unusable, or null. */
export function adminKeyProblem(key: string): string | null {
  return KEY_RE.test(key) ? null : 'the admin key must be 16 to 256 printable characters without spaces';
}

/** Resolves the server's admin key (generating and storing one if needed) and arms the admin API. */
export async function ensureAdminKey(ctx: AppContext, given?: string | null): Promise<string> {
  let key: string;
  if (given) {
    const problem = adminKeyProblem(given);
    if (problem) throw new Error(problem);
    key = given;
  } else {
    const fresh = `adm_${randomBytes(24).toString('base64url')}`;
    await ctx.db
      .insertInto('server_meta')
      .values({ key: META_KEY, value: ctx.secrets.encrypt(fresh) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    // Another process may have stored its key first: use whichever is stored.
    const row = await ctx.db.selectFrom('server_meta').select('value').where('key', '=', META_KEY).executeTakeFirstOrThrow();
    try {
      key = ctx.secrets.decrypt(row.value);
    } catch {
      // Sealed with another server key: replace it.
      await ctx.db
        .updateTable('server_meta')
        .set({ value: ctx.secrets.encrypt(fresh) })
        .where('key', '=', META_KEY)
        .execute();
      key = fresh;
    }
  }
  automationOf(ctx).adminKey = key;
  return key;
}

/** Constant-time check of a presented key (compared as hashes, so lengths leak nothing). */
export function adminKeyMatches(expected: string | null, presented: string | null): boolean {
  if (expected === null || presented === null) return false;
  return constantTimeEqual(presented, expected);
}
