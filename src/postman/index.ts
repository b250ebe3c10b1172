/**
 * Import links (sandbox environment only): the bare collection and environment as JSON at
 * `GET /postman/<token>/collection.json` and `GET /postman/<token>/environment.json`, usable by
 * Postman's Import → Link and by `newman run <url> -e <url>`. `?download=1` adds
 * `Content-Disposition: attachment`. Unknown or revoked tokens → 404 JSON.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requestOrigin } from '../http/origin.js';
import { buildAppCollection, buildAppEnvironment, findAppByLinkToken } from './links.js';

export { getPostmanLinks, type PostmanLinks } from './links.js';

/** RFC 6266 / RFC 5987 `filename*` (always percent-encoded, so no header splitting). */
export function attachmentHeader(filename: string): string {
  const ascii = filename.replace(/[^A-Za-z0-9._ -]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

function safeFilePart(name: string): string {
  return (
    name
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, ' ')
      .trim()
      .slice(0, 80) || 'app'
  );
}

function notFound(reply: FastifyReply) {
  return reply.code(404).send({ code: 404, error: 'Not Found', message: 'Unknown or revoked Postman link' });
}

export default async function postmanRoutes(app: FastifyInstance): Promise<void> {
  const querystring = {
    type: 'object',
    properties: { download: { type: 'string', maxLength: 8 } },
  } as const;
  const params = { type: 'object', properties: { token: { type: 'string', maxLength: 100 } }, required: ['token'] } as const;

  const serve = (kind: 'collection' | 'environment') => async (request: FastifyRequest, reply: FastifyReply) => {
    const { token } = request.params as { token: string };
    const { download } = request.query as { download?: string };
    reply.header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer').header('X-Content-Type-Options', 'nosniff');
    const owner = await findAppByLinkToken(app.ctx, token);
    if (!owner) return notFound(reply);
    const origin = requestOrigin(request);
    const body =
      kind === 'collection' ? await buildAppCollection(app.ctx, owner, origin) : await buildAppEnvironment(app.ctx, owner, origin);
    if (!body) return notFound(reply);
    if (download === '1' || download === 'true') {
      const filename =
        kind === 'collection'
          ? `Procore Sandbox Test Project - ${safeFilePart(owner.name)}.postman_collection.json`
          : `Procore Sandbox - ${safeFilePart(owner.name)}.postman_environment.json`;
      reply.header('Content-Disposition', attachmentHeader(filename));
    }
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(body, null, 2));
  };

  app.get('/postman/:token/collection.json', { schema: { params, querystring } }, serve('collection'));
  app.get('/postman/:token/environment.json', { schema: { params, querystring } }, serve('environment'));
}
