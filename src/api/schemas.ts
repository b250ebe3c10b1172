/**
 * TypeBox building blocks shared by the resource schemas. Response objects list every field
 * Procore documents for them; fields are optional in the schema (so a compact view can omit
 * them) and the serializer drops anything not listed, so nothing internal leaks.
 */
import { Type, type TSchema, type TProperties, type TObject } from '@sinclair/typebox';

/** An object whose listed properties may each be absent (responses) — extra keys are dropped. */
export function Obj<P extends TProperties>(properties: P, options: { description?: string; title?: string } = {}): TObject {
  const optional: TProperties = {};
  for (const [k, v] of Object.entries(properties)) optional[k] = Type.Optional(v);
  return Type.Object(optional, options);
}

/** `schema` or JSON null, written as a type list so fast-json-stringify stays on its fast path. */
export function Nullable(schema: TSchema): TSchema {
  const { type } = schema as { type?: string | string[] };
  if (typeof type !== 'string') return Type.Union([schema, Type.Null()]);
  return Type.Unsafe({ ...schema, type: [type, 'null'] });
}

export const NStr = (description?: string) => Nullable(Type.String(description ? { description } : {}));
export const NInt = (description?: string) => Nullable(Type.Integer(description ? { description } : {}));
export const NNum = (description?: string) => Nullable(Type.Number(description ? { description } : {}));
export const NBool = () => Nullable(Type.Boolean());
export const Id = Type.Integer({ description: 'Unique identifier' });
/** `2026-11-27T10:00:00Z` */
export const Timestamp = () => Nullable(Type.String({ format: 'date-time' }));
/** `2026-11-27` */
export const DateOnly = () => Nullable(Type.String({ format: 'date' }));

/** Procore's user reference `{id, login, name}`. */
export const UserRef = Obj({ id: Id, login: Type.String(), name: Type.String() }, { title: 'User' });
export const NUserRef = Nullable(UserRef);
/** Vendor/company reference `{id, name}`. */
export const VendorRef = Obj({ id: Id, name: Type.String() }, { title: 'VendorCompact' });
export const NVendorRef = Nullable(VendorRef);
/** Any small `{id, name}` reference that may be null (cost code, project stage, …). */
export const NIdName = () => Nullable(Obj({ id: NInt(), name: NStr() }));
export const Location = Nullable(
  Obj(
    { id: Id, name: NStr(), node_name: NStr(), parent_id: NInt(), created_at: Timestamp(), updated_at: Timestamp() },
    { title: 'Location' },
  ),
);
/** Free-form object (custom fields). */
export const AnyObject = () => Type.Object({}, { additionalProperties: true });
/** Attachments `{id, name, url, filename}`. */
export const Attachment = Obj({ id: Id, name: NStr(), url: NStr(), filename: NStr() }, { title: 'Attachment' });

/** Every REST error: `{code, message}` plus Procore's per-status extras (procore-api.md §3.3). */
export const ErrorSchema = Type.Object(
  {
    code: Type.Integer(),
    message: Type.String(),
    error: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Unknown()),
    fields: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
  },
  { title: 'Error' },
);

/** Request-body helpers: strict, no coercion (`"5"` is not an integer). */
/** A positive id; ids are 64-bit in Procore, and here they stay within JavaScript's safe integers. */
export const BodyId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
export const BodyIds = Type.Array(BodyId, { maxItems: 1000 });
export const BodyDate = Type.Union([Type.String({ format: 'date' }), Type.Null()]);
/** Optional nullable body value (TypeBox-checkable, unlike the response-side `Nullable`). */
export const BodyNullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const BodyText = (max = 10_000) => Type.String({ maxLength: max });
/** Every property optional: an update body from the write fields (`BodyOptional(fields)`). */
export const BodyOptional = (props: TProperties): TProperties =>
  Object.fromEntries(Object.entries(props).map(([k, v]) => [k, Type.Optional(v)]));
