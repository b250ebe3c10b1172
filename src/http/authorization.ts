/**
 * The Authorization header of a request: the raw value (an array when it was sent more than
 * once) and the token of a well-formed `Bearer` credential. Shared by the REST API's guard
 * (`src/api/bearer.ts`), the login service's token info and the admin API.
 */
import type { FastifyRequest } from 'fastify';
import { MAX_TOKEN_LENGTH } from '../core/tokens.js';

const TOKEN_RE = /^[A-Za-z0-9\-._~+/]+=*$/;

/** The token of a single, well-formed `Authorization: Bearer <token>` header, or null. */
export function parseBearerHeader(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null; // missing, or sent twice
  const m = /^Bearer ([^ ]+)$/i.exec(header);
  const token = m?.[1];
  if (!token || token.length > MAX_TOKEN_LENGTH || !TOKEN_RE.test(token)) return null;
  return token;
}

/**
 * The request's Authorization header, or an array when it was sent more than once (Node keeps
 * only the first of duplicated Authorization headers, so count them in the raw headers).
 */
export function authorizationHeader(request: FastifyRequest): string | string[] | undefined {
  const raw = request.raw.rawHeaders;
  const values: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'authorization') values.push(raw[i + 1] ?? '');
  if (values.length > 1) return values;
  return request.headers.authorization;
}
