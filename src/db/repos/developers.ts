import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Emails compare case-insensitively; stored as typed, looked up lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function insertDeveloper(db: Db, input: { email: string; name: string; passwordHash: string; createdAt: string }) {
  return db
    .insertInto('developers')
    .values({ email: normalizeEmail(input.email), name: input.name, password_hash: input.passwordHash, created_at: input.createdAt })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findDeveloperByEmail(db: Db, email: string) {
  return db.selectFrom('developers').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
}

export function findDeveloperById(db: Db, id: number) {
  return db.selectFrom('developers').selectAll().where('id', '=', id).executeTakeFirst();
}

export function countDevelopers(db: Db) {
  return db
    .selectFrom('developers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

export async function getMeta(db: Db, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('server_meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function setMeta(db: Db, key: string, value: string): Promise<void> {
  await db
    .insertInto('server_meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
