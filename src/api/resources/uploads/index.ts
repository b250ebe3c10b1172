/**
 * Procore's direct-upload flow, with this server as the storage service:
 *
 * 1. `POST /rest/v1.x/{companies/{company_id}|projects/{project_id}}/uploads`
 *    `{response_filename, response_content_type?, size?, segments?}` → 201 with instructions:
 *    `{uuid, url, fields, status: "ready"}` — `url` is a pre-signed target on this server
 *    (`/rest/v1.0/blobs/uploads/{uuid}?expires=…&signature=…`, an hour) — or, for a segmented
 *    upload, `{uuid, segments: [{size, sha256, md5, url, headers}], status: "ready"}`.
 * 2. The client POSTs `multipart/form-data` (every field of `fields`, then `file`) to `url`
 *    (S3's POST-policy form: 204, or `success_action_status`), or PUTs each segment's bytes to
 *    its `url` (200 with an `ETag`) and then `PATCH …/uploads/{uuid}` `{segments: [{…, etag}]}`.
 *    The bytes become a blob (`blobs`, contents by SHA-256) and the upload is `complete`.
 * 3. Documents and images attach it by `upload_uuid` (`store.ts`: `attachableUpload`).
 *
 * A wrong or expired signature is a 403, bytes over the limit a 413 (JSON both), an upload of
 * another sandbox the one 404.
 */
import { Type } from '@sinclair/typebox';
import type { MultipartFile } from '@fastify/multipart';
import { isoSeconds } from '../../../core/clock.js';
import { defineResource } from '../../compile.js';
import { ApiError, FieldErrors, forbiddenBody } from '../../errors.js';
import { f } from '../../fields.js';
import { multipartFailure } from '../../http/form.js';
import type { ApiContext, ApiVersion, Operation } from '../../resource.js';
import { signBlobPath, verifyBlobSignature } from '../../signing.js';
import { contentDisposition } from '../downloads/index.js';
import {
  findUpload,
  findUploadAnywhere,
  insertUpload,
  md5Hex,
  segmentBytes,
  sha256Hex,
  storeBlob,
  storeSegment,
  ULID_RE,
  UPLOAD_STORAGE,
  UPLOAD_TTL_MS,
  ulid,
  updateUpload,
  type UploadRow,
} from './store.js';

const VERSIONS: readonly ApiVersion[] = ['v1.0', 'v1.1'];
const MAX_SEGMENTS = 10_000;

const Segment = Type.Object({
  size: Type.Integer(),
  sha256: Type.String(),
  md5: Type.Union([Type.String(), Type.Null()]),
  etag: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  url: Type.Optional(Type.String()),
  headers: Type.Optional(Type.Record(Type.String(), Type.String())),
});

/** Create and show answer the same: the upload with its (freshly signed) instructions. */
export const UploadSchema = Type.Object(
  {
    uuid: Type.String({ description: 'ULID of the upload' }),
    status: Type.String({ enum: ['ready', 'complete'] } as never),
    url: Type.Optional(Type.String({ description: 'Pre-signed target for the multipart POST (non-segmented uploads)' })),
    fields: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Form fields to POST with the file' })),
    segments: Type.Optional(Type.Array(Segment)),
    response_filename: Type.String(),
    response_content_type: Type.String(),
    size: Type.Union([Type.Integer(), Type.Null()]),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { title: 'Upload' },
);

const targetPath = (uuid: string) => `/blobs/uploads/${uuid}`;
const segmentPath = (uuid: string, n: number) => `/blobs/uploads/${uuid}/segments/${n}`;

/** The S3-style policy document of a POST target: the key, the content type, the size range. */
function policyOf(c: ApiContext, u: UploadRow, limit: number): { policy: string; signature: string } {
  const doc = {
    expiration: new Date(u.expires_ms).toISOString(),
    conditions: [{ key: `uploads/${u.uuid}` }, { 'Content-Type': u.content_type }, ['content-length-range', 0, u.size ?? limit]],
  };
  const policy = Buffer.from(JSON.stringify(doc)).toString('base64');
  return { policy, signature: c.ctx.secrets.mac(`upload-policy:${policy}`) };
}

/** The most bytes one upload (or segment) may carry: the server's body limit. */
const limitOf = (c: ApiContext) => c.ctx.settings.uploadLimit;

function present(c: ApiContext, u: UploadRow): Record<string, unknown> {
  const now = c.ctx.clock.nowMs();
  const signed = (path: string) => `${c.origin}/rest/v1.0${path}?${signBlobPath(c.ctx, path, now)}`;
  const out: Record<string, unknown> = {
    uuid: u.uuid,
    status: u.status,
    response_filename: u.filename,
    response_content_type: u.content_type,
    size: u.size,
    created_at: u.created_at,
    updated_at: u.updated_at,
  };
  if (u.segments) {
    out['segments'] = u.segments.map((s, i) => ({
      size: s.size,
      sha256: s.sha256,
      md5: s.md5,
      etag: s.etag,
      url: signed(segmentPath(u.uuid, i + 1)),
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(s.size), 'x-amz-content-sha256': s.sha256 },
    }));
    return out;
  }
  const { policy, signature } = policyOf(c, u, limitOf(c));
  const date = new Date(now).toISOString().replace(/[-:]|\.\d{3}/g, '');
  out['url'] = signed(targetPath(u.uuid));
  out['fields'] = {
    key: `uploads/${u.uuid}`,
    'Content-Type': u.content_type,
    'Content-Disposition': contentDisposition(u.filename).replace(/^inline/, u.attachment ? 'attachment' : 'inline'),
    policy,
    'x-amz-algorithm': 'HMAC-SHA256',
    'x-amz-credential': `procore-sandbox/${date.slice(0, 8)}/local/uploads`,
    'x-amz-date': date,
    'x-amz-signature': signature,
  };
  return out;
}

/** The request body of a create: JSON, or the `multipart/form-data` the catalogue documents. */
async function createBody(c: ApiContext): Promise<Record<string, unknown>> {
  if (c.request.isMultipart()) {
    const body: Record<string, unknown> = {};
    try {
      for await (const part of c.request.parts()) {
        if (part.type === 'file') {
          await part.toBuffer().catch(() => undefined);
          continue;
        }
        body[part.fieldname] = part.value;
      }
    } catch (err) {
      multipartFailure(err);
    }
    return body;
  }
  const body = c.request.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw ApiError.badRequest('Request body must be a JSON object', 'body');
  return body as Record<string, unknown>;
}

const intOf = (v: unknown): number | null | undefined =>
  v === undefined || v === null || v === '' ? undefined : typeof v === 'number' ? v : /^\d{1,15}$/.test(String(v)) ? Number(v) : null;
const boolOf = (v: unknown): boolean => v === true || v === 'true' || v === '1' || v === 1;

function readSegments(raw: unknown, errors: FieldErrors, limit: number): UploadRow['segments'] {
  if (raw === undefined || raw === null) return null;
  let list = raw;
  if (typeof raw === 'string') {
    try {
      list = JSON.parse(raw);
    } catch {
      errors.add('segments', 'must be an array');
      return null;
    }
  }
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_SEGMENTS) {
    errors.add('segments', `must be an array of 1 to ${MAX_SEGMENTS} segments`);
    return null;
  }
  return list.map((s: unknown, i) => {
    const seg = (s && typeof s === 'object' ? s : {}) as Record<string, unknown>;
    const size = intOf(seg['size']);
    if (typeof size !== 'number' || size < 1) errors.add(`segments[${i}].size`, 'must be a positive integer');
    else if (size > limit) errors.add(`segments[${i}].size`, `must be at most ${limit} bytes`);
    const sha = typeof seg['sha256'] === 'string' ? seg['sha256'].toLowerCase() : '';
    if (!/^[0-9a-f]{64}$/.test(sha)) errors.add(`segments[${i}].sha256`, 'must be a hex SHA-256');
    const md5 = typeof seg['md5'] === 'string' && /^[0-9a-f]{32}$/i.test(seg['md5']) ? seg['md5'].toLowerCase() : null;
    return { size: typeof size === 'number' ? size : 0, sha256: sha, md5, etag: null };
  });
}

async function create(c: ApiContext, projectId: number | null): Promise<unknown> {
  const body = await createBody(c);
  const errors = new FieldErrors();
  const filename = body['response_filename'];
  if (filename !== undefined && filename !== null && typeof filename !== 'string') errors.add('response_filename', 'must be a string');
  else if (typeof filename === 'string' && (filename.length > 255 || /[\r\n/\\]/.test(filename)))
    errors.add('response_filename', 'must be a file name of at most 255 characters');
  else if ((filename === undefined || filename === null || filename === '') && c.version !== 'v1.0')
    errors.add('response_filename', "can't be blank");
  const type = body['response_content_type'];
  if (type !== undefined && type !== null && (typeof type !== 'string' || !/^[\w.+-]+\/[\w.+-]+$/.test(type) || type.length > 255))
    errors.add('response_content_type', 'must be a media type, e.g. application/pdf');
  const size = intOf(body['size']);
  if (size === null) errors.add('size', 'must be an integer');
  else if (size !== undefined && size > limitOf(c)) errors.add('size', `must be at most ${limitOf(c)} bytes`);
  const segments = readSegments(body['segments'], errors, limitOf(c));
  errors.throwIfAny();
  const now = isoSeconds(c.nowMs());
  const row: Omit<UploadRow, 'id' | 'created_at' | 'updated_at'> = {
    sandbox_id: c.auth.sandboxId,
    project_id: projectId,
    uuid: ulid(c.ctx.clock.nowMs()),
    filename: typeof filename === 'string' && filename !== '' ? filename : 'upload',
    content_type: typeof type === 'string' ? type : 'application/octet-stream',
    attachment: boolOf(body['attachment_content_disposition']),
    size: segments ? segments.reduce((n, s) => n + s.size, 0) : (size ?? null),
    segments,
    status: 'ready',
    blob_id: null,
    created_by_id: c.auth.userId,
    expires_ms: c.ctx.clock.nowMs() + UPLOAD_TTL_MS,
  };
  const id = await c.db.transaction().execute((trx) => insertUpload(trx, row, now));
  return present(c, { ...row, id, created_at: now, updated_at: now });
}

/** The upload of the request's path in its scope (company: any of the sandbox; project: that project's), else 404. */
async function scoped(c: ApiContext): Promise<UploadRow> {
  const uuid = c.rawParams['uuid'] ?? '';
  if (c.params['company_id'] !== undefined && c.params['company_id'] !== c.auth.companyId) throw ApiError.notFound();
  const u = ULID_RE.test(uuid) ? await findUpload(c.db, c.auth.sandboxId, uuid) : undefined;
  if (!u || (c.project && u.project_id !== c.project.id)) throw ApiError.notFound();
  return u;
}

/** `PATCH …/uploads/{uuid}`: completes a segmented upload once every segment's bytes arrived. */
async function complete(c: ApiContext): Promise<unknown> {
  const u = await scoped(c);
  if (u.status === 'complete') return present(c, u);
  if (!u.segments) throw ApiError.unprocessable({ segments: ['this upload is not segmented: POST the file to its url'] });
  if (c.ctx.clock.nowMs() > u.expires_ms)
    throw new ApiError(410, { code: 410, message: 'This upload has expired', errors: ['This upload has expired'] });
  const body = (c.request.body ?? {}) as Record<string, unknown>;
  const sent = body['segments'];
  const errors = new FieldErrors();
  if (sent !== undefined && (!Array.isArray(sent) || sent.length !== u.segments.length))
    errors.add('segments', `must list the upload's ${u.segments.length} segments`);
  u.segments.forEach((s, i) => {
    const given = Array.isArray(sent) ? (sent[i] as Record<string, unknown> | undefined) : undefined;
    if (given && typeof given['sha256'] === 'string' && given['sha256'].toLowerCase() !== s.sha256)
      errors.add(`segments[${i}].sha256`, 'does not match the segment declared');
    if (!s.etag) errors.add(`segments[${i}]`, 'has not been uploaded');
    else if (given && typeof given['etag'] === 'string' && given['etag'].replace(/"/g, '') !== s.etag.replace(/"/g, ''))
      errors.add(`segments[${i}].etag`, 'does not match the uploaded segment');
  });
  errors.throwIfAny();
  const parts: Buffer[] = [];
  for (const [i, s] of u.segments.entries()) {
    const bytes = await segmentBytes(c.db, s.sha256);
    if (!bytes) throw ApiError.unprocessable({ [`segments[${i}]`]: ['has not been uploaded'] });
    parts.push(bytes);
  }
  const now = isoSeconds(c.nowMs());
  const blobId = await c.db.transaction().execute(async (trx) => {
    const id = await storeBlob(
      trx,
      u.sandbox_id,
      { filename: u.filename, contentType: u.content_type, bytes: Buffer.concat(parts) },
      c.nowMs(),
    );
    await updateUpload(trx, u, { status: 'complete', blob_id: id }, now);
    return id;
  });
  return present(c, { ...u, status: 'complete', blob_id: blobId, updated_at: now });
}

/**
 * The upload a storage URL names. Signed: the server signed that path (any sandbox); a bad or
 * expired signature is a 403. Unsigned: the bearer token authorizes (checked by the route's
 * guard), its sandbox's uploads only — another's is the one 404, as for downloads.
 */
async function signedTarget(c: ApiContext, path: string): Promise<UploadRow> {
  const q = c.request.query as Record<string, unknown>;
  const uuid = c.rawParams['uuid'] ?? '';
  if (q['signature'] === undefined) {
    const own = await findUpload(c.db, c.auth.sandboxId, uuid);
    if (!own) throw ApiError.notFound();
    return own;
  }
  const verdict = verifyBlobSignature(c.ctx, path, q['expires'], q['signature'], c.ctx.clock.nowMs());
  if (verdict !== 'ok') {
    const message = verdict === 'expired' ? 'Request has expired: create a new upload' : 'The request signature is invalid';
    throw new ApiError(403, forbiddenBody(message));
  }
  const u = await findUploadAnywhere(c.db, uuid);
  if (!u) throw ApiError.notFound();
  return u;
}

const tooLarge = (limit: number) =>
  new ApiError(413, {
    code: 413,
    message: `The file is larger than this upload allows (${limit} bytes)`,
    errors: [`The file is larger than this upload allows (${limit} bytes)`],
  });

/** `POST` of the multipart form to the target: the fields (checked against the policy), then `file`. */
async function receiveForm(c: ApiContext): Promise<void> {
  const u = await signedTarget(c, targetPath(c.rawParams['uuid'] ?? ''));
  if (u.segments) throw ApiError.badRequest('This upload is segmented: PUT each segment to its url', 'file');
  if (!c.request.isMultipart()) throw ApiError.badRequest('Send the file as multipart/form-data (the fields, then file)', 'file');
  const limit = Math.min(u.size ?? limitOf(c), limitOf(c));
  const fields: Record<string, string> = {};
  let file: { bytes: Buffer; part: MultipartFile } | undefined;
  try {
    for await (const part of c.request.parts({ limits: { fileSize: limit } })) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.fieldname === 'file' && !file) file = { bytes, part };
        continue;
      }
      if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(limit);
    multipartFailure(err);
  }
  if (fields['key'] !== undefined && fields['key'] !== `uploads/${u.uuid}`)
    throw new ApiError(403, forbiddenBody('The key field does not match this upload'));
  if (fields['policy'] !== undefined || fields['x-amz-signature'] !== undefined) {
    const ok =
      typeof fields['policy'] === 'string' &&
      typeof fields['x-amz-signature'] === 'string' &&
      /^[0-9a-f]{64}$/.test(fields['x-amz-signature']) &&
      c.ctx.secrets.verifyMac(`upload-policy:${fields['policy']}`, fields['x-amz-signature']);
    if (!ok) throw new ApiError(403, forbiddenBody('The policy signature is invalid'));
  }
  if (!file) throw ApiError.badRequest('The form has no file field', 'file');
  const type = fields['Content-Type'] || u.content_type || file.part.mimetype || 'application/octet-stream';
  const nowMs = c.ctx.clock.forSandbox(u.sandbox_id).nowMs();
  await c.db.transaction().execute(async (trx) => {
    const blobId = await storeBlob(trx, u.sandbox_id, { filename: u.filename, contentType: type, bytes: file.bytes }, nowMs);
    await updateUpload(trx, u, { status: 'complete', blob_id: blobId, content_type: type }, isoSeconds(nowMs));
  });
  const wanted = Number(fields['success_action_status']);
  if (wanted === 200 || wanted === 201)
    return void c.reply.code(wanted).send({ uuid: u.uuid, key: `uploads/${u.uuid}`, status: 'complete' });
  c.reply.code(204).send();
}

/** `PUT` of one segment's bytes: checked against its declared size and SHA-256; answers its ETag. */
async function receiveSegment(c: ApiContext): Promise<void> {
  const n = c.params['segment'] as number;
  const u = await signedTarget(c, segmentPath(c.rawParams['uuid'] ?? '', n));
  const seg = u.segments?.[n - 1];
  if (!seg) throw ApiError.notFound();
  const body = c.request.body;
  if (!Buffer.isBuffer(body)) throw ApiError.badRequest('Send the segment as application/octet-stream bytes', 'body');
  if (body.length > seg.size) throw tooLarge(seg.size);
  if (body.length !== seg.size || sha256Hex(body) !== seg.sha256) {
    const message = 'The bytes do not match the size and SHA-256 declared for this segment';
    throw new ApiError(400, { code: 400, message, errors: [message], error: 'BadDigest' });
  }
  await storeSegment(c.db, body);
  const etag = `"${md5Hex(body)}"`;
  const segments = (u.segments ?? []).map((s, i) => (i === n - 1 ? { ...s, etag } : s));
  await c.db.transaction().execute((trx) => updateUpload(trx, u, { segments }, isoSeconds(c.ctx.clock.forSandbox(u.sandbox_id).nowMs())));
  c.reply.code(200).header('ETag', etag).send();
}

const companyPath = '/companies/{company_id}/uploads';
const projectPath = '/projects/{project_id}/uploads';

function crud(scope: 'company' | 'project'): Operation[] {
  const path = scope === 'company' ? companyPath : projectPath;
  const Noun = scope === 'company' ? 'Company' : 'Project';
  const project = scope === 'project' ? ({ from: 'path' } as const) : undefined;
  return [
    {
      method: 'POST',
      path,
      operationId: `create${Noun}Upload`,
      summary: `Create ${scope} upload`,
      description:
        'Body (JSON or multipart/form-data, not wrapped): `response_filename`, `response_content_type`, `attachment_content_disposition`, `size`, or `segments[{size, sha256, md5?}]`. Answers the upload instructions: `url` + `fields` (POST them with `file` as multipart/form-data within an hour) or, segmented, one pre-signed `url` per segment (PUT its bytes, then PATCH the upload with the ETags).',
      versions: VERSIONS,
      project,
      status: 201,
      response: UploadSchema,
      async handler(c) {
        if (scope === 'company' && c.params['company_id'] !== c.auth.companyId) throw ApiError.notFound();
        return create(c, c.project?.id ?? null);
      },
    },
    {
      method: 'GET',
      path: `${path}/{uuid}`,
      operationId: `show${Noun}Upload`,
      summary: `Show ${scope} upload`,
      description: 'The upload, its status (`ready` until the bytes arrive, then `complete`) and freshly signed instructions.',
      versions: VERSIONS,
      project,
      response: UploadSchema,
      handler: async (c) => present(c, await scoped(c)),
    },
    {
      method: 'PATCH',
      path: `${path}/{uuid}`,
      operationId: `update${Noun}Upload`,
      summary: `Update ${scope} upload`,
      description:
        'Completes a segmented upload: `{segments: [{size, sha256, etag}]}` once every segment was PUT. 422 naming a segment not uploaded; 410 after the upload expired.',
      versions: VERSIONS,
      project,
      response: UploadSchema,
      handler: complete,
    },
  ];
}

export const uploads = defineResource({
  name: 'uploads',
  tag: 'Uploads',
  noun: ['Upload', 'Uploads'],
  path: '/uploads',
  scope: 'sandbox',
  storage: UPLOAD_STORAGE,
  operations: {},
  fields: { id: f.id() },
  extra: () => [
    ...crud('company'),
    ...crud('project'),
    {
      method: 'POST',
      path: '/blobs/uploads/{uuid}',
      operationId: 'sendUploadFile',
      summary: "Send an upload's file (the storage target of an upload's url)",
      description:
        "multipart/form-data: the `fields` of the upload, then `file`. Pre-signed (`expires`, `signature`; no header needed): a tampered or expired link is a 403, a file over the limit a 413. Without a signature the bearer token authorizes (its sandbox's uploads only). Answers 204 (or `success_action_status` 200/201).",
      versions: ['v1.0'],
      companyHeader: 'exempt',
      public: true,
      raw: true,
      handler: receiveForm,
    },
    {
      method: 'PUT',
      path: '/blobs/uploads/{uuid}/segments/{segment}',
      operationId: 'sendUploadSegment',
      summary: "Send one segment of a segmented upload (the storage target of a segment's url)",
      description:
        'The segment bytes as `application/octet-stream`, checked against its declared size and SHA-256 (400 `BadDigest` otherwise). Pre-signed; answers 200 with the `ETag` to send back when completing the upload.',
      versions: ['v1.0'],
      companyHeader: 'exempt',
      public: true,
      raw: true,
      bodyLimit: (settings) => settings.uploadLimit,
      handler: receiveSegment,
    },
  ],
});
