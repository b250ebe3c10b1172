/**
 * A Procore resource, declared once: its operations (path, scope, TypeBox schemas, filters,
 * sort keys, handler). `mount.ts` turns each declaration into routes on both `/rest/v1.0` and
 * `/vapid` with auth, the company header, tenant scope, rate limits, pagination, validation,
 * serialization and an OpenAPI entry.
 *
 * @example
 * export default defineResource({ name: 'rfis', tag: 'RFIs', operations: [
 *   { method: 'GET', path: '/projects/{project_id}/rfis', operationId: 'listRfis', summary: 'List RFIs',
 *     project: { from: 'path' }, response: Type.Array(Rfi), list: { filters, sort },
 *     handler: (c) => c.list(base, select, serialize) },
 * ]});
 */
import type { TObject, TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { BearerAuth } from '../oauth/bearer.js';
import type { Database, Row } from '../db/schema.js';
import type { AppContext } from '../server/context.js';
import type { AnyQuery, FilterDef, Page, ParsedFilter, SortDef } from './http/listing.js';
import type { QueryTree } from './http/query.js';

/** `vapid` (legacy, 2017) or `v1.0` (`/rest/v1.0`). */
export type ApiVersion = 'vapid' | 'v1.0';

export interface ProjectScope {
  /** `path`: `{project_id}` in the path; `query`: `?project_id=`. */
  from: 'path' | 'query';
  /** For `query`: when the parameter is mandatory (default `always`). */
  required?: 'always' | 'vapid' | 'never';
}

export interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Procore's path template under the version prefix, e.g. `/projects/{project_id}/rfis/{id}`. */
  path: string;
  /** OpenAPI operationId (the version is prefixed). */
  operationId: string;
  summary: string;
  description?: string;
  /** `required` (default): `Procore-Company-Id` must be sent on `/rest/v1.0`. */
  companyHeader?: 'required' | 'exempt';
  project?: ProjectScope;
  /** Documented query parameters besides paging, filters and sort (all read by the handler). */
  query?: Record<string, TSchema>;
  /** Wrapped write body: `{[root]: schema}`. */
  body?: { root: string; schema: TObject };
  /** Success body schema; omit for 204 and raw downloads. */
  response?: TSchema;
  /** Success status (default 200; 201 for POST). */
  status?: 200 | 201 | 204;
  /** Paginated list: filters and sort keys offered. */
  list?: { filters?: Record<string, FilterDef>; sort?: SortDef; maxPerPage?: number };
  /** The handler writes the reply itself (file downloads). */
  raw?: boolean;
  handler(c: ApiContext): Promise<unknown>;
}

export interface Resource {
  name: string;
  /** OpenAPI tag. */
  tag: string;
  operations: Operation[];
}

/** Declares a resource; the identity function exists for type checking and grep-ability. */
export function defineResource(resource: Resource): Resource {
  return resource;
}

/** Everything a handler may use for one request. */
export interface ApiContext {
  request: FastifyRequest;
  reply: FastifyReply;
  ctx: AppContext;
  db: Kysely<Database>;
  auth: BearerAuth;
  version: ApiVersion;
  /** `/rest/v1.0` or `/vapid`. */
  prefix: string;
  /** `http://host:port` of this request, for absolute URLs. */
  origin: string;
  /** Path parameters as positive integers (a malformed id is already a 404). */
  params: Record<string, number>;
  /** Raw path parameters (e.g. a download's file name). */
  rawParams: Record<string, string>;
  query: QueryTree;
  /** The scoped project when the operation declares `project` (null if optional and absent). */
  project: Row<'projects'> | null;
  /** The validated inner object of a wrapped body (`body.rfi`). */
  body: Record<string, unknown>;
  page: Page;
  filters: Map<string, ParsedFilter>;
  sort: [string, 'asc' | 'desc'][];
  /** The scoped project, or 400 naming `project_id`. */
  requireProject(): Row<'projects'>;
  /** Loads a project of the token's sandbox visible to its user, else 404. */
  loadProject(id: number): Promise<Row<'projects'>>;
  /** The token's company row. */
  company(): Promise<Row<'companies'>>;
  /**
   * Runs a paginated list: applies filters to `base`, counts, sorts, pages, sets `Total`,
   * `Per-Page` and `Link`, and maps the page's rows with `serialize`.
   */
  list<R>(base: AnyQuery, select: (qb: AnyQuery) => AnyQuery, serialize: (rows: R[]) => Promise<unknown[]> | unknown[]): Promise<unknown[]>;
  /** Absolute URL of a path under this request's version prefix. */
  apiUrl(path: string): string;
  /** Absolute, bearer-protected download URL of a stored blob. */
  blobUrl(blobId: number, filename: string): string;
  nowMs(): number;
}
