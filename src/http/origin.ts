/**
 * The origin the client used to reach us (`http://127.0.0.1:4000`), for absolute links (API
 * `Link` headers and blob URLs, Postman collections, the portal's app details) and the portal's
 * CSRF origin check. The Host header is validated: a malformed one falls back to localhost, so
 * it never reaches a link or a comparison verbatim.
 */
import type { FastifyRequest } from 'fastify';

const HOST_RE = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** `http://host:port` of the request; a malformed Host header falls back to localhost. */
export function requestOrigin(request: FastifyRequest): string {
  const host = request.host;
  return `${request.protocol}://${HOST_RE.test(host) ? host : 'localhost'}`;
}
