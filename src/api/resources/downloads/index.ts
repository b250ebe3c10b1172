/**
 * Downloads of stored file bytes (file versions, drawing sheets, images). The `url` fields point
 * here with a pre-signed, expiring query (`expires`, `signature`) that needs no header, as
 * Procore's file URLs do; without one, the bearer token authorizes (its sandbox's blobs only).
 */
import { defineResource, table } from '../../compile.js';
import { ApiError, forbiddenBody } from '../../errors.js';
import { f } from '../../fields.js';
import type { ApiContext } from '../../resource.js';
import { SIGNED_URL_TTL_SECONDS, verifyBlobSignature } from '../../signing.js';

/** RFC 6266 `Content-Disposition` with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** The blob a request may read: by signature (any sandbox: the server signed that path) or by token. */
async function authorizedBlob(c: ApiContext) {
  const id = c.params['blob_id'] as number;
  const q = c.request.query as Record<string, unknown>;
  if (q['signature'] === undefined) return c.from('blobs').selectAll().where('id', '=', id).executeTakeFirst();
  const path = `/blobs/${id}/${encodeURIComponent(c.rawParams['filename'] ?? '')}`;
  const verdict = verifyBlobSignature(c.ctx, path, q['expires'], q['signature'], c.ctx.clock.nowMs());
  if (verdict !== 'ok') {
    const message = verdict === 'expired' ? 'This download link has expired' : 'This download link is invalid';
    throw new ApiError(403, forbiddenBody(message));
  }
  return c.db.selectFrom('blobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export const downloads = defineResource({
  name: 'blobs',
  tag: 'Downloads',
  noun: ['Download', 'Downloads'],
  path: '/blobs',
  scope: 'sandbox',
  storage: table('blobs', { project: false }),
  operations: {},
  fields: { id: f.id() },
  extra: () => [
    {
      method: 'GET',
      path: '/blobs/{blob_id}/{filename}',
      operationId: 'downloadBlob',
      summary: 'Download stored file bytes (file versions, drawing sheets, images)',
      description: `The \`url\` fields of files, drawings and images point here, pre-signed for ${SIGNED_URL_TTL_SECONDS / 60} minutes (\`expires\`, \`signature\`: no header needed; a tampered or expired link is a 403). Without a signature the bearer token authorizes; a blob of another sandbox is a 404. No Procore-Company-Id header needed.`,
      companyHeader: 'exempt',
      public: true,
      raw: true,
      async handler(c) {
        const blob = await authorizedBlob(c);
        if (!blob || blob['filename'] !== c.rawParams['filename']) throw ApiError.notFound();
        const data = Buffer.isBuffer(blob['data']) ? blob['data'] : Buffer.from(blob['data'] as Uint8Array);
        const type = String(blob['content_type']);
        return c.reply
          .code(200)
          .header('Content-Type', type.startsWith('text/') ? `${type}; charset=utf-8` : type)
          .header('Content-Disposition', contentDisposition(String(blob['filename'])))
          .header('X-Content-Type-Options', 'nosniff')
          .header('Content-Security-Policy', "default-src 'none'; sandbox")
          .header('Cache-Control', 'private, max-age=3600')
          .header('ETag', `"${blob['sha256']}"`)
          .send(data);
      },
    },
  ],
});
