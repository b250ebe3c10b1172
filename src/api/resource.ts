/**
 * A Procore resource, declared once: its path, scope, storage, versions, operations and a field
 * table (see `fields.ts`). `compile.ts` turns the declaration into operations — response schemas
 * per view, a compiled serializer, body schemas and Rails-style validation, body→column writes,
 * reference checks, filters, sort keys, tenant scope, recycle bin, seed rows — and `mount.ts`
 * serves each operation on the prefixes of its versions with auth, the company header, rate
 * limits, pagination, serialization and an OpenAPI entry.
 *
 * @example
 * export const submittals = defineResource({
 *   name: 'submittals', tag: 'Submittals', noun: ['Submittal', 'Submittals'],
 *   path: '/projects/{project_id}/submittals', scope: 'project', body: 'submittal',
 *   storage: table('submittals', { softDelete: true }),
 *   operations: { list: {}, show: {}, create: {}, update: {}, delete: { versions: ['vapid', 'v1.1'] } },
 *   fields: { id: f.id(), title: f.text({ write: true, sort: true, search: true }) },
 * });
 */
import type { TProperties, TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { BearerAuth } from './bearer.js';
import type { Database, Row } from '../db/schema.js';
import type { AppContext } from '../context/context.js';
import type { FieldErrors } from './errors.js';
import type { AnyRow, BodyOf, ExtraBodyOf, FieldSpec, View } from './fields.js';
import type { AnyQuery, FilterDef, Page, ParsedFilter, SortDef } from './http/listing.js';
import type { QueryTree } from './http/query.js';
import type { Refs } from './refs.js';
import type { Scope, Storage } from './storage.js';

/** `vapid` (legacy, 2017) and the prefixes of Procore's current API: `v1.0` (`/rest/v1.0`) … `v2.1`. */
export type ApiVersion = 'vapid' | 'v1.0' | 'v1.1' | 'v1.2' | 'v1.3' | 'v2.0' | 'v2.1';
export const API_VERSIONS: readonly ApiVersion[] = ['v1.0', 'v1.1', 'v1.2', 'v1.3', 'v2.0', 'v2.1', 'vapid'];

/** `/vapid` or `/rest/v1.x`. */
export const prefixOf = (version: ApiVersion): string => (version === 'vapid' ? '/vapid' : `/rest/${version}`);

export interface ProjectScope {
  /** `path`: `{project_id}` in the path; `query`: `?project_id=`. */
  from: 'path' | 'query';
  /** For `query`: when the parameter is mandatory (default `always`). */
  required?: 'always' | 'vapid' | 'never';
}

/** One served operation (what `mount.ts` mounts). Declarations produce these; special ones are written out. */
export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Procore's path template under the version prefix, e.g. `/projects/{project_id}/rfis/{id}`. */
  path: string;
  /** OpenAPI operationId (the version is prefixed). */
  operationId: string;
  summary: string;
  description?: string;
  /** Versions serving it (default `v1.0` and `vapid`). */
  versions?: readonly ApiVersion[];
  /** `required` (default): `Procore-Company-Id` must be sent on `/rest/*` (service accounts: always). */
  companyHeader?: 'required' | 'exempt';
  project?: ProjectScope;
  /** Documented query parameters besides paging, filters and sort (all read by the handler). */
  query?: Record<string, TSchema>;
  /** Wrapped write body: `{[root]: schema}`. */
  body?: { root: string; schema: TSchema };
  /** Success body schema; omit for 204 and raw downloads. */
  response?: TSchema;
  /** Success status (default 200; 201 for POST). */
  status?: 200 | 201 | 204;
  /** Paginated list: filters and sort keys offered. */
  list?: { filters?: Record<string, FilterDef>; sort?: SortDef; maxPerPage?: number };
  /** The handler writes the reply itself (file downloads). */
  raw?: boolean;
  /** No bearer token: the handler authorizes the request itself (signed download URLs). */
  public?: boolean;
  handler(c: ApiContext): Promise<unknown>;
}

export interface Resource {
  name: string;
  /** OpenAPI tag. */
  tag: string;
  operations: Operation[];
  /** Seed rows of a fresh sandbox, by table (declared resources only). */
  seed?: (s: SeedContext) => SeedRows;
  /** The compiled pieces of a declared resource, for other resources' hooks (e.g. nested objects). */
  helpers?: ResourceHelpers;
}

/** Rows to insert for a fresh sandbox, by table. */
export type SeedRows = { table: keyof Database; rows: Record<string, unknown>[] }[];

/** What a declaration's `seed` sees: the seeded company, project, users and vendors, and time. */
export interface SeedContext {
  sandboxId: number;
  companyId: number;
  projectId: number;
  users: Record<'arch' | 'sub' | 'demo', number>;
  vendors: Record<'gc' | 'design' | 'sub', number>;
  /** Creation time of the sandbox (`YYYY-MM-DDTHH:MM:SSZ`). */
  created: string;
  /** `YYYY-MM-DD`, `n` days after the sandbox's creation day. */
  day(n: number): string;
  /** The sandbox's creation day, 00:00 UTC, in ms. */
  day0Ms: number;
  /** The next id of the sandbox's seed block. */
  nextId(): number;
}

/** Everything a handler may use for one request. */
export interface ApiContext<B = Record<string, unknown>> {
  request: FastifyRequest;
  reply: FastifyReply;
  ctx: AppContext;
  db: Kysely<Database>;
  auth: BearerAuth;
  version: ApiVersion;
  /** `/rest/v1.0`, `/rest/v1.1` or `/vapid`. */
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
  body: B;
  page: Page;
  filters: Map<string, ParsedFilter>;
  sort: [string, 'asc' | 'desc'][];
  /** The scoped project, or 400 naming `project_id`. */
  requireProject(): Row<'projects'>;
  /** Loads a project of the token's sandbox visible to its user, else 404. */
  loadProject(id: number): Promise<Row<'projects'>>;
  /** The token's company row. */
  company(): Promise<Row<'companies'>>;
  /** `select … from <table> where sandbox_id = <the token's sandbox>`: the one way handlers read other tables. */
  from<T extends keyof Database>(table: T): AnyQuery;
  /** The same within a write transaction. */
  fromIn<T extends keyof Database>(trx: Db, table: T): AnyQuery;
  /**
   * Runs a paginated list: applies filters to `base`, counts, sorts, pages, sets `Total`,
   * `Per-Page` and `Link`, and maps the page's rows with `serialize`.
   */
  list<R>(base: AnyQuery, select: (qb: AnyQuery) => AnyQuery, serialize: (rows: R[]) => Promise<unknown[]> | unknown[]): Promise<unknown[]>;
  /** Absolute URL of a path under this request's version prefix. */
  apiUrl(path: string): string;
  /** Absolute, pre-signed (expiring, no header needed) download URL of a stored blob. */
  blobUrl(blobId: number, filename: string): string;
  nowMs(): number;
}

export type Db = Kysely<Database> | Transaction<Database>;

// ---- Declarations ---------------------------------------------------------------------------

/** The standard operations a declaration can ask for. */
export type Action = 'list' | 'show' | 'create' | 'update' | 'delete' | 'recycle' | 'retrieve' | 'recycle_bin';

export interface ActionOptions {
  versions?: readonly ApiVersion[];
  /** Success status when Procore documents another than the action's usual one (e.g. a create answering 200). */
  status?: 200 | 201 | 204;
  companyHeader?: 'exempt';
  summary?: string;
  description?: string;
}

/** A write in progress, as hooks see it. */
export interface Write<B> {
  c: ApiContext<B>;
  trx: Transaction<Database>;
  body: B;
  /** Column values about to be stored (hooks may add or change some). */
  set: Record<string, unknown>;
  errors: FieldErrors;
  scope: Scope;
  /** The row before an update (decoded); null on create. */
  row: AnyRow | null;
  /** The id of the row (allocated before `beforeInsert`). */
  id: number;
  now: string;
}

export interface Hooks<B> {
  /** Narrows a list beyond filters (e.g. a `search` parameter, visibility rules). */
  narrow?(c: ApiContext, qb: AnyQuery, use: 'list' | 'find'): AnyQuery | Promise<AnyQuery>;
  /** Loads what computed fields of a page of rows need; the result is `x.extra` in readers. */
  prepare?(c: ApiContext, rows: AnyRow[], view: View, refs: Refs): Promise<unknown>;
  /** Domain checks of a create or update, after the field checks; add to `w.errors`. */
  validate?(w: Write<B>): Promise<void> | void;
  /** Inside the write transaction, before the row is inserted (numbering, derived columns). */
  beforeInsert?(w: Write<B>): Promise<void> | void;
  /** Before an update's columns are stored (state transitions). */
  beforeUpdate?(w: Write<B>): Promise<void> | void;
  /** After the row is inserted or updated, same transaction (child rows). */
  afterWrite?(w: Write<B>): Promise<void>;
  /** After a row is recycled, retrieved or destroyed, same transaction (e.g. its sublocations). */
  afterRemove?(c: ApiContext, trx: Transaction<Database>, id: number, how: 'recycle' | 'retrieve' | 'destroy'): Promise<void>;
  /** Child rows of a seeded row (e.g. the RFI's question). */
  seedChildren?(row: Record<string, unknown>, body: B, s: SeedContext): SeedRows;
}

export interface Declaration<Fs extends Record<string, FieldSpec>, Extra extends TProperties> {
  name: string;
  tag: string;
  /** operationId and summary nouns: `['Submittal', 'Submittals']`. */
  noun: readonly [string, string];
  /** Collection path; the member path appends `/{id}` (or `/{<param>}`). */
  path: string;
  /** Member id parameter (default `id`). */
  idParam?: string;
  /** `project`: the token's sandbox + membership of `{project_id}`/`?project_id=`, else the one 404. */
  scope: 'project' | 'sandbox';
  /** For `scope: 'project'` via `?project_id=`: when it is mandatory (default always). */
  projectRequired?: 'always' | 'vapid' | 'never';
  /** Rows under a parent row named in the path (`{rfi_id}`), found in the same scope. */
  parent?: { param: string; storage: Storage; name: string };
  storage: Storage;
  /** Root key of write bodies: `{"submittal": {...}}`. */
  body?: string;
  /** Versions of every operation unless an action says otherwise (default `v1.0`, `vapid`). */
  versions?: readonly ApiVersion[];
  operations: Partial<Record<Action, ActionOptions>>;
  fields: Fs;
  /** Body properties that are not fields (e.g. the RFI's `question`); `required` names those needed on create. */
  extraBody?: Extra;
  required?: readonly string[];
  /** Update-only body properties. */
  updateBody?: TProperties;
  /** Extra body keys holding user or vendor ids of the company (checked like reference fields). */
  refs?: { users?: readonly string[]; vendors?: readonly string[] };
  /** Filters beyond those the fields offer (custom `apply`). */
  filters?: Record<string, FilterDef>;
  /** Text search over the fields declared `search: true`: as `filters[<filter>]` or `?<param>=`. */
  search?: { filter?: string; param?: string; description?: string };
  sort?: { style?: 'sort' | 'attribute'; default?: [string, 'asc' | 'desc'][]; keys?: Record<string, string> };
  /** Extra documented query parameters (read by hooks). */
  query?: Record<string, TSchema>;
  /** A compact view chosen by `?<param>=compact`, showing only `fields`. */
  compact?: { param: 'view' | 'serializer_view'; fields: readonly string[] };
  /** OpenAPI titles of the list and show schemas. */
  titles?: { list?: string; show?: string };
  maxPerPage?: number;
  hooks?: Hooks<BodyOf<Fs> & ExtraBodyOf<Extra>>;
  /** Seed bodies (write keys, as a client would send them) of a fresh sandbox. */
  seed?: (s: SeedContext) => (BodyOf<Fs> & ExtraBodyOf<Extra> & Record<string, unknown>)[];
  /** Operations with their own handler (replies, downloads, …), mounted with the resource. */
  extra?: (helpers: ResourceHelpers) => Operation[];
}

/** What a declaration's own operations may reuse of the compiled resource. */
export interface ResourceHelpers {
  /** The row with this id in the request's scope, or the one 404. */
  find(c: ApiContext, id: number, db?: Db): Promise<AnyRow>;
  /** Serializes rows in a view (refs loaded, `prepare` run). */
  serialize(c: ApiContext, rows: AnyRow[], view: View): Promise<unknown[]>;
  /** The request's storage scope. */
  scope(c: ApiContext, deleted?: Scope['deleted']): Scope;
  /** The rows in the request's scope (no columns selected yet; `select` adds them). */
  rows(c: ApiContext): AnyQuery;
  select(qb: AnyQuery): AnyQuery;
  decode(row: Record<string, unknown>): AnyRow;
  schemas: { list: TSchema; show: TSchema };
}
