/**
 * Where uploads live: one `records` row per upload (resource `uploads`, no migration), its bytes
 * in `blobs` + `blob_contents` (by SHA-256, as the seed files are: `src/db/repos/blobs.ts`).
 * Documents and photos attach an upload by its UUID through `attachableUpload`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { jsonValue } from '../../../db/connect.js';
import { storeBlobContents } from '../../../db/repos/blobs.js';
import { allocateIds } from '../../../db/repos/sandboxes.js';
import { isoSeconds } from '../../../core/clock.js';
import type { FieldErrors } from '../../errors.js';
import type { Db } from '../../resource.js';
import { records } from '../../storage.js';

/** An upload as stored (the `records` row's data, with its id and scope). */
export interface UploadRow {
  id: number;
  sandbox_id: number;
  project_id: number | null;
  uuid: string;
  filename: string;
  content_type: string;
  /** `attachment_content_disposition`: downloads as an attachment rather than inline. */
  attachment: boolean;
  /** Declared size (bytes), or null. */
  size: number | null;
  /** Declared segments (segmented uploads); `etag` once the segment's bytes arrived. */
  segments: { size: number; sha256: string; md5: string | null; etag: string | null }[] | null;
  status: 'ready' | 'complete';
  blob_id: number | null;
  created_by_id: number;
  created_at: string;
  updated_at: string;
  /** Server time (ms) after which the bytes can no longer be sent. */
  expires_ms: number;
}

/** Bytes must be sent within an hour of the upload's creation; the upload attached within a week. */
export const UPLOAD_TTL_MS = 3600_000;
export const ATTACH_TTL_MS = 7 * 24 * 3600_000;

export const UPLOAD_STORAGE = records();
const bound = UPLOAD_STORAGE.bind('uploads', [{ column: 'uuid', store: 'plain', sqlType: 'text', queried: true }]);

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ULID_RE = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** A ULID (26 characters, time-ordered), as Procore's upload UUIDs are. */
export function ulid(nowMs: number): string {
  let t = Math.max(0, Math.floor(nowMs));
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const rnd = randomBytes(16);
  let r = '';
  for (let i = 0; i < 16; i++) r += CROCKFORD[(rnd[i] as number) % 32];
  return time + r;
}

export const sha256Hex = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
export const md5Hex = (b: Buffer): string => createHash('md5').update(b).digest('hex');

function decode(row: Record<string, unknown>, sandboxId: number): UploadRow {
  const d = bound.decode(row);
  return { ...(d as unknown as UploadRow), sandbox_id: sandboxId };
}

/** The upload `uuid` of one sandbox, or undefined. */
export async function findUpload(db: Db, sandboxId: number, uuid: string): Promise<UploadRow | undefined> {
  if (!ULID_RE.test(uuid)) return undefined;
  const row = await bound.select(bound.rows(db, { sandboxId }).where('uuid', '=', uuid)).executeTakeFirst();
  return row ? decode(row as Record<string, unknown>, sandboxId) : undefined;
}

/** The upload `uuid` of any sandbox: for the storage target, which a signed URL authorizes. */
export async function findUploadAnywhere(db: Db, uuid: string): Promise<UploadRow | undefined> {
  if (!ULID_RE.test(uuid)) return undefined;
  const row = await db
    .selectFrom('records')
    .select(['id', 'sandbox_id', 'project_id', 'parent_id', 'data', 'created_at', 'updated_at', 'deleted_at'])
    .where('resource', '=', 'uploads')
    .where((eb) => eb(jsonValue(db, 'data', 'uuid', 'text') as never, '=', uuid as never))
    .executeTakeFirst();
  return row ? decode(row as Record<string, unknown>, Number(row.sandbox_id)) : undefined;
}

export async function insertUpload(trx: Db, u: Omit<UploadRow, 'id' | 'created_at' | 'updated_at'>, now: string): Promise<number> {
  const id = await allocateIds(trx, u.sandbox_id, 1);
  const { sandbox_id, project_id, ...data } = u;
  await bound.insert(trx, { sandboxId: sandbox_id, projectId: project_id ?? undefined }, id, data, now);
  return id;
}

export async function updateUpload(trx: Db, u: UploadRow, set: Partial<UploadRow>, now: string): Promise<void> {
  await bound.update(trx, { sandboxId: u.sandbox_id }, u.id, set, now);
}

/** Stores `bytes` as a new blob of the sandbox (contents deduplicated by SHA-256); its id. */
export async function storeBlob(
  trx: Db,
  sandboxId: number,
  b: { filename: string; contentType: string; bytes: Buffer },
  nowMs: number,
): Promise<number> {
  const id = await allocateIds(trx, sandboxId, 1);
  const [row] = await storeBlobContents(trx, [
    {
      id,
      sandbox_id: sandboxId,
      filename: b.filename,
      content_type: b.contentType,
      size: b.bytes.length,
      sha256: sha256Hex(b.bytes),
      data: b.bytes,
      created_at: isoSeconds(nowMs),
    },
  ]);
  await trx.insertInto('blobs').values(row!).execute();
  return id;
}

/** Keeps the bytes of one segment until the upload is completed (by SHA-256, like every blob). */
export async function storeSegment(db: Db, bytes: Buffer): Promise<string> {
  const sha256 = sha256Hex(bytes);
  await db
    .insertInto('blob_contents')
    .values({ sha256, data: bytes })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  return sha256;
}

export async function segmentBytes(db: Db, sha256: string): Promise<Buffer | undefined> {
  const row = await db.selectFrom('blob_contents').select('data').where('sha256', '=', sha256).executeTakeFirst();
  if (!row) return undefined;
  return Buffer.isBuffer(row.data) ? row.data : Buffer.from(row.data as Uint8Array);
}

/** A completed upload's blob, for a document or image to point at. */
export interface Attachable {
  /** Null for a file sent in the body itself. */
  upload: UploadRow | null;
  blobId: number;
  filename: string;
  contentType: string;
  size: number;
}

/**
 * A file sent in the write body itself (the deprecated `file[data]` / `image[data]` multipart
 * part): stored as a blob and attached as an upload would be.
 */
export async function attachableData(
  db: Db,
  sandboxId: number,
  data: { filename: string; mimetype: string; data: Buffer },
  nowMs: number,
): Promise<Attachable> {
  const filename = data.filename.replace(/[\r\n/\\]/g, '_').slice(0, 255) || 'file';
  const contentType = /^[\w.+-]+\/[\w.+-]+$/.test(data.mimetype) ? data.mimetype : 'application/octet-stream';
  const blobId = await storeBlob(db, sandboxId, { filename, contentType, bytes: data.data }, nowMs);
  return { upload: null, blobId, filename, contentType, size: data.data.length };
}

/**
 * The completed upload `uuid` of the token's sandbox, or a 422 naming `field` (unknown — which
 * includes another sandbox's —, not complete, or older than a week). Errors go to `errors`.
 */
export async function attachableUpload(
  db: Db,
  sandboxId: number,
  uuid: unknown,
  field: string,
  errors: FieldErrors,
  nowMs: number,
): Promise<Attachable | undefined> {
  if (typeof uuid !== 'string' || uuid.trim() === '') {
    errors.add(field, "can't be blank");
    return undefined;
  }
  const upload = await findUpload(db, sandboxId, uuid.trim());
  if (!upload) {
    errors.add(field, 'does not match an upload of this sandbox');
    return undefined;
  }
  if (upload.status !== 'complete' || upload.blob_id === null) {
    errors.add(field, 'refers to an upload whose file has not been sent yet');
    return undefined;
  }
  if (nowMs - Date.parse(upload.created_at) > ATTACH_TTL_MS) {
    errors.add(field, 'refers to an upload older than a week');
    return undefined;
  }
  const blob = await db
    .selectFrom('blobs')
    .select(['id', 'filename', 'content_type', 'size'])
    .where('id', '=', upload.blob_id)
    .where('sandbox_id', '=', sandboxId)
    .executeTakeFirst();
  if (!blob) {
    errors.add(field, 'does not match an upload of this sandbox');
    return undefined;
  }
  return { upload, blobId: blob.id, filename: blob.filename, contentType: blob.content_type, size: Number(blob.size) };
}
