/**
 * A `multipart/form-data` write body read as the JSON body it stands for, as Rails reads
 * Procore's: bracket keys nest (`file[name]` → `{file: {name}}`, `image[trade_ids][]` → an
 * array), text values take the type the body schema gives them (`file[parent_id]=12` → 12,
 * `true` → true), file parts become `{ filename, mimetype, data }` (the deprecated
 * `file[data]` / `image[data]` direct uploads). Parsed by `@fastify/multipart`, whose limits
 * (`src/server/app.ts`) answer 413.
 *
 * @example curl -F 'file[upload_uuid]=01J…' -F 'file[parent_id]=12' '…/rest/v1.0/files?project_id=5'
 */
import { Kind, type TSchema } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';

/** A file part of a form body. */
export interface FormFile {
  filename: string;
  mimetype: string;
  data: Buffer;
}

export const isFormFile = (v: unknown): v is FormFile =>
  typeof v === 'object' && v !== null && Buffer.isBuffer((v as { data?: unknown }).data) && typeof (v as FormFile).filename === 'string';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 6;

/** `a[b][]` → `['a', 'b', '']`; null when malformed. */
function keyPath(name: string): string[] | null {
  const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
  if (!m) return null;
  const path = [m[1] as string, ...[...(m[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1] as string)];
  if (path.length > MAX_DEPTH || path.some((k) => FORBIDDEN.has(k))) return null;
  return path;
}

type Sch = TSchema & { properties?: Record<string, Sch>; items?: Sch; anyOf?: Sch[]; type?: string };

/** The schema at `path` (array keys step into `items`), unions narrowed to their non-null member. */
function schemaAt(schema: Sch | undefined, path: string[]): Sch | undefined {
  let at = schema;
  for (const key of path) {
    at = nonNull(at);
    if (!at) return undefined;
    at = key === '' || /^\d+$/.test(key) ? (at.items ?? at.properties?.[key]) : at.properties?.[key];
  }
  return nonNull(at);
}

function nonNull(s: Sch | undefined): Sch | undefined {
  if (s?.[Kind] !== 'Union') return s;
  return s.anyOf?.find((o) => o[Kind] !== 'Null');
}

function coerce(value: string, schema: Sch | undefined): unknown {
  const type = schema?.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (type === 'boolean' && /^(true|false|1|0)$/.test(value)) return value === 'true' || value === '1';
  return value;
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !isFormFile(v);

/** Sets `value` at `path` in `out`; a trailing `[]` appends to an array (the only place Rails' `[]` may stand here). */
function assign(out: Record<string, unknown>, path: string[], value: unknown): void {
  const append = path[path.length - 1] === '';
  const keys = append ? path.slice(0, -1) : path;
  if (keys.includes('')) throw ApiError.badRequest('Form field names may end in [] but not contain it', 'body');
  let at = out;
  for (const key of keys.slice(0, -1)) {
    const child = at[key];
    at = isPlain(child) ? child : ((at[key] = {}) as Record<string, unknown>);
  }
  const last = keys[keys.length - 1] as string;
  if (!append) at[last] = value;
  else if (Array.isArray(at[last])) (at[last] as unknown[]).push(value);
  else at[last] = [value];
}

/**
 * A multipart stream's own failure — a truncated form, a missing or wrong boundary (busboy's
 * errors carry no status) — is the client's mistake: 400. Our errors and the plugin's limits
 * (413) keep theirs.
 */
export function multipartFailure(err: unknown): never {
  if (err instanceof ApiError) throw err;
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) throw err;
  throw ApiError.badRequest('Malformed multipart/form-data body', 'body');
}

/** The form body of `request` (multipart), shaped by `schema` (the whole body, root key included). */
export async function formBody(request: FastifyRequest, schema: TSchema): Promise<Record<string, unknown>> {
  try {
    return await readForm(request, schema);
  } catch (err) {
    multipartFailure(err);
  }
}

async function readForm(request: FastifyRequest, schema: TSchema): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for await (const part of request.parts()) {
    const path = keyPath(part.fieldname);
    if (!path) {
      if (part.type === 'file') await part.toBuffer();
      throw ApiError.badRequest(`Malformed form field name: ${part.fieldname.slice(0, 100)}`, 'body');
    }
    const value: unknown =
      part.type === 'file'
        ? { filename: part.filename, mimetype: part.mimetype, data: await part.toBuffer() }
        : coerce(String(part.value), schemaAt(schema as Sch, path));
    assign(out, path, value);
  }
  return out;
}
