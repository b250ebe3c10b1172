/**
 * Batched lookups of the users and vendors that resources reference, and Procore's compact
 * reference shapes for them (`{id, login, name}`, `{id, name}`). Always scoped to one sandbox.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, Row } from '../db/schema.js';
import type { FieldErrors } from './errors.js';
import type { AnyQuery } from './http/listing.js';
import { selectByIds } from './prepared.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface UserRef {
  id: number;
  login: string;
  name: string;
}

export function fullName(u: Pick<Row<'users'>, 'first_name' | 'last_name'>): string {
  return `${u.first_name} ${u.last_name}`.trim();
}

export function userRef(u: Row<'users'> | undefined): UserRef | null {
  return u ? { id: u.id, login: u.email, name: fullName(u) } : null;
}

/** Parses a JSON id list column; anything malformed reads as empty. */
export function idList(json: string | null | undefined): number[] {
  if (!json) return [];
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is number => Number.isSafeInteger(x)) : [];
  } catch {
    return [];
  }
}

/** Procore's location reference: `name` is the full path (`Building A > Level 1`). */
export interface LocationRef {
  id: number;
  name: string | null;
  node_name: string | null;
  parent_id: number | null;
  created_at: string;
  updated_at: string;
}

/** The `records` resource name of project locations (`src/api/resources/locations/`). */
export const LOCATIONS = 'locations';

function locationRef(row: { id: unknown; data: string; created_at: string; updated_at: string }): LocationRef {
  let d: Record<string, unknown> = {};
  try {
    d = JSON.parse(row.data) as Record<string, unknown>;
  } catch {
    // a malformed row reads as a nameless location
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    id: Number(row.id),
    name: str(d['name']),
    node_name: str(d['node_name']),
    parent_id: typeof d['parent_location_id'] === 'number' ? d['parent_location_id'] : null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Live locations of `ids` in one sandbox (and project, when given). */
export async function locationsById(db: Db, sandboxId: number, ids: number[], projectId?: number): Promise<Map<number, LocationRef>> {
  const want = [...new Set(ids.filter((x) => Number.isSafeInteger(x)))];
  if (!want.length) return new Map();
  let qb = db
    .selectFrom('records')
    .select(['id', 'data', 'created_at', 'updated_at'])
    .where('sandbox_id', '=', sandboxId)
    .where('resource', '=', LOCATIONS)
    .where('deleted_at', 'is', null)
    .where('id', 'in', want);
  if (projectId !== undefined) qb = qb.where('project_id', '=', projectId);
  const rows = await qb.execute();
  return new Map(rows.map((r) => [Number(r.id), locationRef(r)]));
}

export class Refs {
  readonly users = new Map<number, Row<'users'>>();
  readonly vendors = new Map<number, Row<'vendors'>>();
  readonly locations = new Map<number, LocationRef>();

  constructor(
    private readonly db: Db,
    private readonly sandboxId: number,
  ) {}

  loadUsers(ids: Iterable<number | null | undefined>): Promise<this> {
    return this.load('users', this.users, ids);
  }

  loadVendors(ids: Iterable<number | null | undefined>): Promise<this> {
    return this.load('vendors', this.vendors, ids);
  }

  async loadLocations(ids: Iterable<number | null | undefined>): Promise<this> {
    const want = [...ids].filter((x): x is number => typeof x === 'number' && !this.locations.has(x));
    for (const [id, loc] of await locationsById(this.db, this.sandboxId, want)) this.locations.set(id, loc);
    return this;
  }

  location(id: number | null | undefined): LocationRef | null {
    return id == null ? null : (this.locations.get(id) ?? null);
  }

  private readonly pending = { users: new Set<number>(), vendors: new Set<number>() };

  /**
   * Ids to load with the next `loadUsers`/`loadVendors` call (in the same query), e.g. a
   * serializer's own references before a hook loads more of its own: one query, not two.
   */
  want(table: 'users' | 'vendors', ids: Iterable<number | null | undefined>): this {
    for (const id of ids) if (typeof id === 'number') this.pending[table].add(id);
    return this;
  }

  private async load(
    table: 'users' | 'vendors',
    into: Map<number, Row<'users'> | Row<'vendors'>>,
    ids: Iterable<number | null | undefined>,
  ): Promise<this> {
    const pending = this.pending[table];
    for (const id of ids) if (typeof id === 'number') pending.add(id);
    const want = [...pending].filter((x) => !into.has(x));
    pending.clear();
    if (want.length) {
      const rows = (await selectByIds(this.db, table, 'id', this.sandboxId, want)) as (Row<'users'> | Row<'vendors'>)[];
      for (const r of rows) into.set(r.id, r);
    }
    return this;
  }

  user(id: number | null | undefined): UserRef | null {
    return id == null ? null : userRef(this.users.get(id));
  }

  vendor(id: number | null | undefined): { id: number; name: string } | null {
    const v = id == null ? undefined : this.vendors.get(id);
    return v ? { id: v.id, name: v.name } : null;
  }
}

/** Which of `ids` name a row of `table` (users or vendors) of the company. */
async function companyIds(db: Db, table: 'users' | 'vendors', sandboxId: number, companyId: number, ids: number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await db
    .selectFrom(table)
    .select('id')
    .where('sandbox_id', '=', sandboxId)
    .where('company_id', '=', companyId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Set(rows.map((r) => Number(r.id)));
}

/** The ids a write body sends in `field`: one id, a list of ids, or none. */
export function bodyIds(body: Record<string, unknown>, field: string): number[] {
  const v = body[field];
  if (typeof v === 'number') return [v];
  return Array.isArray(v) ? (v as number[]) : [];
}

/**
 * Checks that every id a write body sends in the listed user and vendor fields names a user (or
 * vendor) of the company; adds a 422 message per unknown id to `errors`.
 *
 * @example await checkCompanyRefs(trx, sandboxId, project.company_id, body, { users: ['assignee_ids'], vendors: ['responsible_contractor_id'] }, errors);
 */
export async function checkCompanyRefs(
  db: Db,
  sandboxId: number,
  companyId: number,
  body: Record<string, unknown>,
  fields: { users: string[]; vendors: string[] },
  errors: FieldErrors,
): Promise<void> {
  const kinds = [
    { table: 'users', noun: 'user', fields: fields.users },
    { table: 'vendors', noun: 'vendor', fields: fields.vendors },
  ] as const;
  for (const kind of kinds) {
    const sent = kind.fields.map((field) => [field, bodyIds(body, field)] as const);
    const known = await companyIds(
      db,
      kind.table,
      sandboxId,
      companyId,
      sent.flatMap(([, ids]) => ids),
    );
    for (const [field, ids] of sent)
      for (const id of ids) if (!known.has(id)) errors.add(field, `${kind.noun} ${id} is not a ${kind.noun} of this company`);
  }
}

/**
 * Checks that every location id a write body sends in `fields` names a live location of the
 * project; adds a 422 message per unknown id to `errors`.
 */
export async function checkLocationRefs(
  db: Db,
  sandboxId: number,
  projectId: number | undefined,
  body: Record<string, unknown>,
  fields: string[],
  errors: FieldErrors,
): Promise<void> {
  const sent = fields.map((field) => [field, bodyIds(body, field)] as const);
  const all = sent.flatMap(([, ids]) => ids);
  if (!all.length) return;
  const known = await locationsById(db, sandboxId, all, projectId);
  for (const [field, ids] of sent)
    for (const id of ids) if (!known.has(id)) errors.add(field, `location ${id} is not a location of this project`);
}

/** `<p>a &amp; b</p>` → `a & b`: Procore's `plain_text_body`. */
export function plainText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

export const bool = (v: number | null | undefined): boolean => v === 1;

/** A stored file's name and size (never its bytes), by id. */
export interface BlobInfo {
  id: number;
  filename: string;
  size: number;
  content_type: string;
}

/**
 * The blobs of `ids` in the request's sandbox (name, size, type; not the bytes).
 *
 * @example const blobs = await blobsById(c, rows.map((r) => r.blob_id)); c.blobUrl(id, blobs.get(id)!.filename)
 */
export async function blobsById(c: { from(table: 'blobs'): AnyQuery }, ids: Iterable<unknown>): Promise<Map<number, BlobInfo>> {
  const want = [...new Set([...ids].filter((x): x is number => typeof x === 'number'))];
  if (!want.length) return new Map();
  const rows = (await c.from('blobs').select(['id', 'filename', 'size', 'content_type']).where('id', 'in', want).execute()) as BlobInfo[];
  return new Map(rows.map((b) => [Number(b.id), { ...b, id: Number(b.id), size: Number(b.size) }]));
}
