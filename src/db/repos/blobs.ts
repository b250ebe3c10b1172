/**
 * File bytes. Seed files are the same in every sandbox, so their bytes live once in
 * `blob_contents` (by SHA-256) and a sandbox's `blobs` rows keep an empty `data`; bytes written
 * into `blobs.data` itself (older databases, files stored later) are read as they are.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, NewRow, Row } from '../schema.js';

type Db = Kysely<Database> | Transaction<Database>;

const EMPTY = Buffer.alloc(0);

/**
 * Stores the bytes of `blobs` in `blob_contents` (only those not there yet) and returns the
 * rows to insert into `blobs`, with empty `data`.
 */
export async function storeBlobContents(db: Db, blobs: NewRow<'blobs'>[]): Promise<NewRow<'blobs'>[]> {
  if (!blobs.length) return blobs;
  const bySha = new Map(blobs.map((b) => [b.sha256, b.data]));
  const present = await db
    .selectFrom('blob_contents')
    .select('sha256')
    .where('sha256', 'in', [...bySha.keys()])
    .execute();
  for (const p of present) bySha.delete(p.sha256);
  for (const [sha256, data] of bySha) {
    await db
      .insertInto('blob_contents')
      .values({ sha256, data })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
  }
  return blobs.map((b) => (b.size === 0 ? b : { ...b, data: EMPTY }));
}

/** The bytes of a `blobs` row, from the row itself or from `blob_contents`. */
export async function blobBytes(db: Db, blob: Pick<Row<'blobs'>, 'data' | 'size' | 'sha256'>): Promise<Buffer> {
  const own = Buffer.isBuffer(blob.data) ? blob.data : Buffer.from(blob.data as Uint8Array);
  if (own.length > 0 || Number(blob.size) === 0) return own;
  const row = await db.selectFrom('blob_contents').select('data').where('sha256', '=', blob.sha256).executeTakeFirst();
  if (!row) return own;
  return Buffer.isBuffer(row.data) ? row.data : Buffer.from(row.data as Uint8Array);
}
