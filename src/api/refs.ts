/**
 * Batched lookups of the users and vendors that resources reference, and Procore's compact
 * reference shapes for them (`{id, login, name}`, `{id, name}`). Always scoped to one sandbox.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, Row } from '../db/schema.js';

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

export class Refs {
  readonly users = new Map<number, Row<'users'>>();
  readonly vendors = new Map<number, Row<'vendors'>>();

  constructor(
    private readonly db: Db,
    private readonly sandboxId: number,
  ) {}

  async loadUsers(ids: Iterable<number | null | undefined>): Promise<this> {
    const want = [...new Set([...ids].filter((x): x is number => typeof x === 'number' && !this.users.has(x)))];
    if (want.length) {
      const rows = await this.db.selectFrom('users').selectAll().where('sandbox_id', '=', this.sandboxId).where('id', 'in', want).execute();
      for (const r of rows) this.users.set(r.id, r);
    }
    return this;
  }

  async loadVendors(ids: Iterable<number | null | undefined>): Promise<this> {
    const want = [...new Set([...ids].filter((x): x is number => typeof x === 'number' && !this.vendors.has(x)))];
    if (want.length) {
      const rows = await this.db
        .selectFrom('vendors')
        .selectAll()
        .where('sandbox_id', '=', this.sandboxId)
        .where('id', 'in', want)
        .execute();
      for (const r of rows) this.vendors.set(r.id, r);
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

/** Users of a company (active directory members), for validating ids sent in write bodies. */
export async function companyUserIds(db: Db, sandboxId: number, companyId: number, ids: number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('sandbox_id', '=', sandboxId)
    .where('company_id', '=', companyId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Set(rows.map((r) => Number(r.id)));
}

export async function companyVendorIds(db: Db, sandboxId: number, companyId: number, ids: number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await db
    .selectFrom('vendors')
    .select('id')
    .where('sandbox_id', '=', sandboxId)
    .where('company_id', '=', companyId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Set(rows.map((r) => Number(r.id)));
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
