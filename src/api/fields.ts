/**
 * Field constructors: a resource's fields, each declared once. A field says what the response
 * carries (its schema and which views show it), where it is stored, how a write body sets it,
 * and whether it filters, sorts or searches. `compile.ts` derives everything else from them.
 *
 * Fields are plain data (`FieldSpec`), so a field table can also be built from a catalogue.
 *
 * @example
 * fields: {
 *   id: f.id(),
 *   title: f.text({ write: true, max: 255, sort: true, search: true }),
 *   due_date: f.date({ write: true, sort: true }),
 *   submittal_manager: f.user({ write: 'submittal_manager_id', filter: 'ids' }),
 *   created_at: f.createdAt({ filter: 'datetime', sort: true }),
 *   ...unmodelled({ approvers: Type.Array(AnyObject()), location: Location }),
 * }
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FilterDef } from './http/listing.js';
import type { LocationRef } from './refs.js';
import type { ApiContext } from './resource.js';
import {
  BodyDate,
  BodyId,
  BodyIds,
  BodyNullable,
  DateOnly,
  Id,
  Location,
  NBool,
  NInt,
  NNum,
  NStr,
  NUserRef,
  NVendorRef,
  Nullable,
  Timestamp,
  UserRef,
} from './schemas.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRow = Record<string, any>;

/** `list`: list elements (Procore's "normal" view); `show`: show/create/update ("extended"). */
export type View = 'list' | 'show';

/** How a stored value is kept: as is, as a 0/1 flag, or as JSON (lists, small objects). */
export type Store = 'plain' | 'bool' | 'json';

/** What the serializer puts in the response for a field (compiled once per view). */
export type Reader =
  | { kind: 'column' }
  | { kind: 'bool' }
  | { kind: 'json' }
  | { kind: 'const'; value: unknown }
  | { kind: 'user' }
  | { kind: 'users' }
  | { kind: 'vendor' }
  | { kind: 'location' }
  | { kind: 'fn'; fn: (row: AnyRow, x: ReadContext) => unknown };

/** Per-request helpers the compiled serializer hands to readers. */
export interface ReadContext {
  user(id: unknown): { id: number; login: string; name: string } | null;
  users(ids: unknown): { id: number; login: string; name: string }[];
  vendor(id: unknown): { id: number; name: string } | null;
  /** A project location `{id, name, node_name, parent_id, …}` (see `refs.ts`). */
  location(id: unknown): LocationRef | null;
  json(value: unknown): unknown;
  /** What the resource's `prepare` hook loaded for this page of rows. */
  extra: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The request's context (origin, prefix, project, url helpers). */
  c: ApiContext;
}

export interface FieldWrite {
  /** Body key (`submittal_manager_id` for the field `submittal_manager`). */
  key: string;
  /** Body schema of the value (TypeBox; validation messages are derived from it). */
  schema: TSchema;
  /** `true`: required on create. */
  required?: boolean;
  /** Body value → stored value (before the storage's own encoding); default identity. */
  toColumn?: (value: unknown) => unknown;
  /** The field references users or vendors of the company (or locations of the project): every id is checked. */
  refs?: 'users' | 'vendors' | 'locations';
}

/** A filter a field offers; the compiler adds its column. */
export interface FilterKind {
  kind: FilterDef['kind'];
  values?: readonly string[];
  date?: boolean;
  apply?: FilterDef['apply'];
}

/** A resolved field: everything the machinery needs, as data. */
export interface FieldSpec {
  /** Response key when it differs from the field's name (two views, two shapes, one key). */
  key?: string;
  schema: TSchema;
  in: readonly View[];
  /** Stored column (typed tables) or `data` key (records); null when not stored. */
  column: string | null;
  store: Store;
  /** SQL type for filters and sorts on records storage. */
  sqlType: 'text' | 'int' | 'num' | 'bool';
  read: Reader;
  write?: FieldWrite;
  /** Stored value on insert when the body does not set it. */
  insert?: { value: unknown } | 'creator';
  /** Filter offered as `filters[name]` (name defaults to the write key, else the field name). */
  filter?: { name?: string; def: FilterKind };
  /** Sort keys that order by this field's column. */
  sort?: string[];
  search?: boolean;
  /** Users/vendors/locations ids the serializer needs loaded: read from the column. */
  loads?: 'users' | 'vendors' | 'locations';
}

/** Phantom types: the body key and value type a field adds to create/update bodies. */
export interface Field<Key extends string = never, Value = never> extends FieldSpec {
  readonly __write?: { key: Key; value: Value };
}

type WriteOpt = boolean | 'required';
interface Common {
  /** Stored column (default: the field name; `<name>_id` for references). */
  column?: string;
  /** Body schema replacing the type's own (e.g. a number that also takes an integer). */
  body?: TSchema;
  /** Body value → stored value. */
  toColumn?: (value: unknown) => unknown;
  in?: readonly View[];
  sort?: boolean | string | string[];
  description?: string;
}

const views = (o: Common): readonly View[] => o.in ?? ['list', 'show'];
const sortKeys = (name: string | undefined, s: Common['sort']): string[] | undefined =>
  s === undefined || s === false ? undefined : s === true ? (name ? [name] : ['']) : typeof s === 'string' ? [s] : s;

/** The field name is not known to a constructor: `compile.ts` fills in defaults (column, sort key). */
function spec(o: Common, rest: Omit<FieldSpec, 'in' | 'column' | 'sort'> & { column?: string | null }): FieldSpec {
  return { ...rest, in: views(o), column: rest.column === undefined ? (o.column ?? '') : rest.column, sort: sortKeys(undefined, o.sort) };
}

function writeOf(
  o: { write?: WriteOpt | string; body?: TSchema; toColumn?: (v: unknown) => unknown },
  schema: TSchema,
  extra: Partial<FieldWrite> = {},
): FieldWrite | undefined {
  if (!o.write) return undefined;
  const key = typeof o.write === 'string' && o.write !== 'required' ? o.write : '';
  const w: FieldWrite = { key, schema, required: o.write === 'required', ...extra };
  if (o.body) w.schema = o.body;
  if (o.toColumn) w.toColumn = o.toColumn;
  return w;
}

type Key<W, Self extends string = ''> = W extends string ? (W extends 'required' ? Self : W) : W extends true ? Self : never;

interface TextOpts extends Common {
  write?: WriteOpt | string;
  /** Maximum length of a written value (default 255; 100,000 for `long`). */
  max?: number;
  long?: boolean;
  search?: boolean;
  filter?: 'search';
  /** Stored value when not written (default null). */
  default?: string | null;
  /** Never null in responses. */
  required?: boolean;
}

interface ScalarOpts<F extends string = string> extends Common {
  /** `true`: written under the field's name; a string: under that body key. */
  write?: WriteOpt | string;
  filter?: F;
  default?: unknown;
}

interface RefOpts extends Common {
  /** Body key of the id, e.g. `submittal_manager_id`. */
  write?: string;
  filter?: 'ids';
  /** Filter name, when it differs from the write key. */
  filterName?: string;
  /** Set on insert to the token's user. */
  creator?: boolean;
}

export const f = {
  /** `id`: the row id. */
  id: (o: { filter?: 'ids' } = {}): Field => ({
    ...spec({}, { schema: Id, column: 'id', store: 'plain', sqlType: 'int', read: { kind: 'column' } }),
    filter: o.filter ? { def: { kind: 'ids' } } : undefined,
  }),

  text<const O extends TextOpts>(o: O = {} as O): Field<Key<O['write']>, string | null> {
    const max = o.max ?? (o.long ? 100_000 : 255);
    const schema =
      o.write === 'required'
        ? Type.String({ minLength: 1, maxLength: max, pattern: '\\S' })
        : BodyNullable(Type.String({ maxLength: max }));
    return {
      ...spec(o, {
        schema: o.required ? Type.String() : NStr(o.description),
        store: 'plain',
        sqlType: 'text',
        read: { kind: 'column' },
        write: writeOf(o, schema, o.required && o.write !== 'required' ? { schema: Type.String({ maxLength: max }) } : {}),
        insert: { value: o.default ?? null },
      }),
      search: o.search,
      filter: o.filter === 'search' ? { def: { kind: 'search' } } : undefined,
    };
  },

  int<const O extends ScalarOpts<'int'> & { min?: number; max?: number }>(o: O = {} as O): Field<Key<O['write']>, number | null> {
    const schema = BodyNullable(Type.Integer({ minimum: o.min ?? -2_147_483_648, maximum: o.max ?? 2_147_483_647 }));
    return {
      ...spec(o, { schema: NInt(o.description), store: 'plain', sqlType: 'int', read: { kind: 'column' }, write: writeOf(o, schema) }),
      insert: { value: o.default ?? null },
      filter: o.filter ? { def: { kind: 'int' } } : undefined,
    };
  },

  number<const O extends ScalarOpts>(o: O = {} as O): Field<Key<O['write']>, number | null> {
    return spec(o, {
      schema: NNum(o.description),
      store: 'plain',
      sqlType: 'num',
      read: { kind: 'column' },
      write: writeOf(o, BodyNullable(Type.Number())),
      insert: { value: o.default ?? null },
    });
  },

  bool<const O extends ScalarOpts<'bool'>>(o: O = {} as O): Field<Key<O['write']>, boolean> {
    return {
      ...spec(o, { schema: Type.Boolean(), store: 'bool', sqlType: 'bool', read: { kind: 'bool' }, write: writeOf(o, Type.Boolean()) }),
      insert: { value: o.default ?? false },
      filter: o.filter ? { def: { kind: 'bool' } } : undefined,
    };
  },

  /** `YYYY-MM-DD`. */
  date<const O extends ScalarOpts<'date'>>(o: O = {} as O): Field<Key<O['write']>, string | null> {
    return {
      ...spec(o, { schema: DateOnly(), store: 'plain', sqlType: 'text', read: { kind: 'column' }, write: writeOf(o, BodyDate) }),
      insert: { value: null },
      filter: o.filter ? { def: { kind: 'datetime', date: true } } : undefined,
    };
  },

  /** `YYYY-MM-DDTHH:MM:SSZ`, not written by bodies. */
  datetime(o: ScalarOpts<'datetime'> = {}): Field {
    return {
      ...spec(o, { schema: Timestamp(), store: 'plain', sqlType: 'text', read: { kind: 'column' } }),
      insert: { value: null },
      filter: o.filter ? { def: { kind: 'datetime' } } : undefined,
    };
  },

  /** One of `values` (stored as the string). */
  enum<const V extends readonly string[], const O extends ScalarOpts<'enum'>>(
    values: V,
    o: O = {} as O,
  ): Field<Key<O['write']>, V[number]> {
    const body = Type.Union(values.map((v) => Type.Literal(v)));
    return {
      ...spec(o, {
        // A field whose default is null answers null (not "") until written.
        schema:
          'default' in o && o.default === null
            ? Type.Unsafe({ type: ['string', 'null'], enum: [...values, null] })
            : Type.String({ enum: [...values] } as never),
        store: 'plain',
        sqlType: 'text',
        read: { kind: 'column' },
        write: writeOf(o, body),
      }),
      insert: { value: 'default' in o ? o.default : values[0] },
      filter: o.filter ? { def: { kind: 'enum', values } } : undefined,
    };
  },

  createdAt: (o: Omit<ScalarOpts<'datetime'>, 'write'> = {}) => f.datetime({ ...o, column: 'created_at' }),
  updatedAt: (o: Omit<ScalarOpts<'datetime'>, 'write'> = {}) => f.datetime({ ...o, column: 'updated_at' }),

  /** A user reference `{id, login, name}` from a user id column. */
  user<const O extends RefOpts>(o: O = {} as O): Field<Key<O['write']>, number | null> {
    return {
      ...spec(o, {
        schema: NUserRef,
        store: 'plain',
        sqlType: 'int',
        read: { kind: 'user' },
        write: writeOf({ write: o.write, body: o.body }, BodyNullable(BodyId), { refs: 'users' }),
        insert: o.creator ? 'creator' : { value: null },
      }),
      loads: 'users',
      filter: o.filter ? { name: o.filterName, def: { kind: 'ids' } } : undefined,
    };
  },

  /** A list of user references from a JSON list of user ids. */
  users<const O extends Omit<RefOpts, 'creator' | 'filter'>>(o: O = {} as O): Field<Key<O['write']>, readonly number[]> {
    return {
      ...spec(o, {
        schema: Type.Array(UserRef),
        store: 'json',
        sqlType: 'text',
        read: { kind: 'users' },
        write: writeOf({ write: o.write, body: o.body }, BodyIds, { refs: 'users', toColumn: (v) => [...new Set(v as number[])] }),
        insert: { value: [] },
      }),
      loads: 'users',
    };
  },

  /** A vendor (company) reference `{id, name}` from a vendor id column. */
  vendor<const O extends Omit<RefOpts, 'creator'>>(o: O = {} as O): Field<Key<O['write']>, number | null> {
    return {
      ...spec(o, {
        schema: NVendorRef,
        store: 'plain',
        sqlType: 'int',
        read: { kind: 'vendor' },
        write: writeOf({ write: o.write, body: o.body }, BodyNullable(BodyId), { refs: 'vendors' }),
        insert: { value: null },
      }),
      loads: 'vendors',
      filter: o.filter ? { name: o.filterName, def: { kind: 'ids' } } : undefined,
    };
  },

  /** A project location (Procore's `Location`, `name` its full path) from a location id column; written ids must be the project's. */
  location<const O extends Omit<RefOpts, 'creator'>>(o: O = {} as O): Field<Key<O['write']>, number | null> {
    return {
      ...spec(o, {
        schema: Location,
        store: 'plain',
        sqlType: 'int',
        read: { kind: 'location' },
        write: writeOf({ write: o.write, body: o.body }, BodyNullable(BodyId), { refs: 'locations' }),
        insert: { value: null },
      }),
      loads: 'locations',
      filter: o.filter ? { name: o.filterName, def: { kind: 'ids' } } : undefined,
    };
  },

  /** A stored id that is not a reference (e.g. `status_id`, `location_id`). */
  ref<const O extends ScalarOpts<'ids'>>(o: O = {} as O): Field<Key<O['write']>, number | null> {
    return {
      ...spec(o, {
        schema: NInt(o.description),
        store: 'plain',
        sqlType: 'int',
        read: { kind: 'column' },
        write: writeOf(o, BodyNullable(BodyId)),
      }),
      insert: { value: o.default ?? null },
      filter: o.filter ? { def: { kind: 'ids' } } : undefined,
    };
  },

  /** A JSON object or list kept in one column, returned as stored. */
  json<S extends TSchema, const O extends ScalarOpts>(schema: S, o: O = {} as O): Field<Key<O['write']>, unknown> {
    return spec(o, {
      schema,
      store: 'json',
      sqlType: 'text',
      read: { kind: 'json' },
      write: writeOf(o, o.body ?? schema),
      insert: { value: o.default ?? null },
    });
  },

  /** A value computed from the row (and what `prepare` loaded); not stored, not written. */
  computed(
    schema: TSchema,
    fn: (row: AnyRow, x: ReadContext) => unknown,
    o: Pick<Common, 'in' | 'sort' | 'column'> & { key?: string } = {},
  ): Field {
    return { ...spec(o, { schema, store: 'plain', sqlType: 'text', read: { kind: 'fn', fn } }), column: o.column ?? null, key: o.key };
  },

  /** A stored column the response does not show (e.g. a foreign key the body writes). */
  hidden<const O extends ScalarOpts<'ids' | 'int'> & { store?: Store }>(o: O = {} as O): Field<Key<O['write']>, unknown> {
    return {
      ...spec(
        { ...o, in: [] },
        {
          schema: Type.Unknown(),
          store: o.store ?? 'plain',
          sqlType: 'int',
          read: { kind: 'column' },
          write: writeOf(o, o.body ?? BodyNullable(BodyId)),
          insert: { value: o.default ?? null },
        },
      ),
      filter: o.filter ? { def: { kind: o.filter } } : undefined,
    };
  },
};

/** A documented field the sandbox does not model: always its empty value (`null`, `[]`, `{}`, `false`, `0`). */
export function constant(schema: TSchema, value: unknown, o: Pick<Common, 'in'> = {}): Field {
  return { ...spec(o, { schema, store: 'plain', sqlType: 'text', read: { kind: 'const', value } }), column: null };
}

function emptyOf(schema: TSchema): unknown {
  const type = (schema as { type?: unknown }).type;
  const t = Array.isArray(type) ? (type.includes('null') ? 'null' : type[0]) : type;
  if (t === 'array') return [];
  if (t === 'boolean') return false;
  if (t === 'integer' || t === 'number') return 0;
  if (t === 'object' && !(schema as { anyOf?: unknown }).anyOf) return {};
  return null;
}

/**
 * Documented-but-not-stored fields, each answered with its schema's empty value.
 *
 * @example ...unmodelled({ approvers: Type.Array(AnyObject()), location: Location })
 */
export function unmodelled<const P extends Record<string, TSchema>>(props: P, o: Pick<Common, 'in'> = {}): { [K in keyof P]: Field } {
  return Object.fromEntries(Object.entries(props).map(([k, s]) => [k, constant(s, emptyOf(s), o)])) as { [K in keyof P]: Field };
}

/** `Nullable` for schemas of unmodelled objects, re-exported for declarations. */
export { Nullable, NBool };

// ---- Static body types -------------------------------------------------------------------

type WriteKeyOf<K, F> = F extends { readonly __write?: { key: infer W } }
  ? [W] extends [never]
    ? never
    : W extends ''
      ? K
      : W extends string
        ? W
        : never
  : never;
type WriteValueOf<F> = F extends { readonly __write?: { value: infer V } } ? V : never;

/** The create/update body a field table accepts (every key optional), for hooks. */
export type BodyOf<Fs> = { [K in keyof Fs as WriteKeyOf<K, Fs[K]>]?: WriteValueOf<Fs[K]> };

/** The static type of extra body properties declared as TypeBox schemas. */
export type ExtraBodyOf<E> = { [K in keyof E]?: E[K] extends TSchema ? Static<E[K]> : never };
