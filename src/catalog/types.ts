/**
 * The shapes of Procore's current API catalogue (`reference/procore-2026/`) as this module
 * serves them: plain data, no framework types, so the resource engine, the coverage script and
 * the explorer can all consume it.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `v1.0` … `v2.1` for `/rest/vX.Y/…`; null for the login service (`/oauth/…`). */
export type CatalogVersion = 'v1.0' | 'v1.1' | 'v1.2' | 'v1.3' | 'v2.0' | 'v2.1';

export const CATALOG_VERSIONS: readonly CatalogVersion[] = ['v1.0', 'v1.1', 'v1.2', 'v1.3', 'v2.0', 'v2.1'];

/** A JSON Schema fragment as the catalogue writes it (descriptions dropped by the compiler). */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';
  format?: string;
  enum?: (string | number | boolean | null)[];
  default?: unknown;
  required?: string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
  [key: string]: unknown;
}

export type ParamType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'any';

/** A path, query or header parameter of an operation. */
export interface CatalogParam {
  /** As sent: `project_id`, `filters[status]`, `sort`. */
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  type: ParamType;
  format?: string;
  enum?: (string | number | boolean)[];
  /** Element type of an array parameter (`filters[id][]=1&filters[id][]=2`). */
  items?: { type: ParamType; format?: string; enum?: (string | number | boolean)[] };
  default?: unknown;
}

/** A `filters[…]` parameter of a list, by its inner name (`status`, `created_at`). */
export interface CatalogFilter extends CatalogParam {
  /** `status` for `filters[status]`; `created_at][gte` stays as written for nested ones. */
  key: string;
}

/**
 * How a list sorts: `sort=name` / `sort=-name` (`param`, 168 operations) or
 * `sort[attribute]=…&sort[direction]=asc|desc` (`attribute`). `keys` is null when the
 * catalogue does not enumerate them.
 */
export interface CatalogSort {
  style: 'param' | 'attribute';
  keys: string[] | null;
}

export interface CatalogBody {
  contentType: 'application/json' | 'multipart/form-data' | 'application/merge-patch+json' | string;
  required: boolean;
  schema: JsonSchema;
}

/** What an operation does to its resource, derived from method and path shape. */
export type OperationKind = 'list' | 'show' | 'create' | 'update' | 'delete' | 'action';

/** One operation of the catalogue, compiled. */
export interface CatalogOperation {
  operationId: string;
  method: HttpMethod;
  /** Full path template: `/rest/v1.0/projects/{project_id}/rfis/{id}`. */
  path: string;
  /** `/rest/v1.0`, or `` for `/oauth/…`. */
  prefix: string;
  version: CatalogVersion | null;
  /** The path below the prefix: `/projects/{project_id}/rfis/{id}`. */
  template: string;
  summary: string;
  /** `Project Management/RFI/rfis`. */
  tag: string;
  category: string;
  module: string;
  pathParams: CatalogParam[];
  /** Every query parameter, filters and sort included. */
  query: CatalogParam[];
  headers: CatalogParam[];
  /** Query parameters the catalogue marks required (`company_id` of `GET /rest/v1.1/projects`). */
  requiredQuery: string[];
  /** Offers `page` / `per_page`. */
  paginated: boolean;
  filters: CatalogFilter[];
  sort: CatalogSort | null;
  /** Offers `search`. */
  search: boolean;
  body: CatalogBody | null;
  /** The documented success status (200, 201, 202, 204…). */
  successStatus: number;
  /** The documented success body's top-level type, when the catalogue gives one. */
  responseType: 'array' | 'object' | 'string' | null;
}

/** What `dist/catalog.json` stores of an operation; the rest is derived on load (`deriveOperation`). */
export type StoredOperation = Omit<
  CatalogOperation,
  'prefix' | 'version' | 'template' | 'requiredQuery' | 'paginated' | 'filters' | 'sort' | 'search'
>;

/** The compiled catalogue as written to `dist/catalog.json` by the build. */
export interface CompiledCatalog {
  /** Format version of this file. */
  v: 1;
  /** sha1 of `reference/procore-2026/catalog.json`: a stale compiled file is ignored. */
  sourceHash: string;
  operations: StoredOperation[];
}
