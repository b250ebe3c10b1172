/**
 * OAuth request parameters from every encoding real clients use, merged into one flat map of
 * strings: query string (old SDKs), `application/x-www-form-urlencoded` (RFC 6749), multipart
 * (`curl -F`) and JSON (`@procore/js-sdk`). No "qs magic" (RFC 6749 §3.1): a parameter sent
 * twice (also once in the query and once in the body), an array, an object or a bracketed name
 * is `invalid_request`.
 */
import type { FastifyRequest } from 'fastify';
import { assertCleanText } from '../http/index.js';
import { InvalidRequest, OAuthError } from './errors.js';

export type OAuthParams = ReadonlyMap<string, string>;

/** Longest accepted parameter value (a 2 KB `state` must round-trip; nothing legit is longer). */
const MAX_VALUE_LENGTH = 8192;
const MAX_PARAMS = 50;

function add(params: Map<string, string>, name: string, value: unknown): void {
  if (/[[\]]/.test(name)) throw new InvalidRequest(`Unsupported parameter name: ${name.slice(0, 64)}`);
  if (value === null || value === undefined) return;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (Array.isArray(value)) throw new InvalidRequest(`Duplicated parameter: ${name.slice(0, 64)}`);
  else throw new InvalidRequest(`Invalid value for parameter: ${name.slice(0, 64)}`);
  if (params.has(name)) throw new InvalidRequest(`Duplicated parameter: ${name.slice(0, 64)}`);
  if (text.length > MAX_VALUE_LENGTH) throw new InvalidRequest(`Parameter is too long: ${name.slice(0, 64)}`);
  if (params.size >= MAX_PARAMS) throw new InvalidRequest('Too many parameters.');
  params.set(name, text);
}

function addObject(params: Map<string, string>, source: unknown): void {
  if (source === null || source === undefined) return;
  if (typeof source !== 'object' || Array.isArray(source)) throw new InvalidRequest('The request body must be a JSON object or a form.');
  for (const [name, value] of Object.entries(source as Record<string, unknown>)) add(params, name, value);
}

/** Query-string parameters only (authorize endpoint). */
export function queryParams(request: FastifyRequest): OAuthParams {
  const params = new Map<string, string>();
  addObject(params, request.query);
  return params;
}

/** Query string merged with the body, whatever its encoding. */
export async function requestParams(request: FastifyRequest, options: { query?: boolean } = {}): Promise<OAuthParams> {
  const params = new Map<string, string>();
  if (options.query !== false) addObject(params, request.query);
  if (request.isMultipart()) {
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          part.file.resume();
          throw new InvalidRequest('File uploads are not accepted here.');
        }
        // Multipart fields bypass the server-wide text check (they are read here, not parsed).
        try {
          assertCleanText('form field', { [part.fieldname]: part.value });
        } catch (err) {
          throw new InvalidRequest((err as Error).message);
        }
        add(params, part.fieldname, part.value);
      }
    } catch (err) {
      // A truncated or malformed multipart body (busboy's errors carry no status) is the client's.
      if (err instanceof OAuthError || (err as { statusCode?: number }).statusCode !== undefined) throw err;
      throw new InvalidRequest('The multipart body is malformed.');
    }
  } else if (typeof request.body === 'string') {
    if (request.body.trim() !== '') throw new InvalidRequest('Unsupported request body: send a form, multipart or JSON.');
  } else if (Buffer.isBuffer(request.body)) {
    throw new InvalidRequest('Unsupported request body: send a form, multipart or JSON.');
  } else {
    addObject(params, request.body);
  }
  return params;
}

/** A non-empty parameter value, or undefined (a blank value counts as missing, as in Doorkeeper). */
export function param(params: OAuthParams, name: string): string | undefined {
  const value = params.get(name);
  return value === undefined || value === '' ? undefined : value;
}

export function requireParam(params: OAuthParams, name: string): string {
  const value = param(params, name);
  if (value === undefined) throw new InvalidRequest(`Missing required parameter: ${name}.`);
  return value;
}
