/**
 * The parts of the server's OpenAPI 3 document (`GET /openapi.json`) the explorer reads: which
 * operation a request is (for the response-schema badge) and which fields its JSON body takes
 * at a given key path (completion inside `{"rfi":{…}}`).
 */

export interface SchemaObject {
  $ref?: string;
  type?: string;
  properties?: Record<string, SchemaObject>;
  items?: SchemaObject;
  required?: string[];
  description?: string;
  enum?: unknown[];
  format?: string;
  nullable?: boolean;
  anyOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  allOf?: SchemaObject[];
}

export interface OperationObject {
  operationId?: string;
  summary?: string;
  parameters?: { name: string; in: string; description?: string; schema?: SchemaObject; required?: boolean }[];
  requestBody?: { content?: Record<string, { schema?: SchemaObject }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: SchemaObject }> }>;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

export interface FoundOperation {
  method: string;
  template: string;
  operation: OperationObject;
  params: Record<string, string>;
}

/** The operation serving `method` + `path` (a concrete path like `/rest/v1.0/projects/5/rfis`). */
export function findOperation(doc: OpenApiDocument, method: string, path: string): FoundOperation | null {
  const clean = path.replace(/[?#].*$/, '').replace(/\/+$/, '') || '/';
  const m = method.toLowerCase();
  let best: FoundOperation | null = null;
  let bestLiteral = -1;
  for (const [template, ops] of Object.entries(doc.paths)) {
    const op = ops[m];
    if (!op) continue;
    const t = template.split('/');
    const p = clean.split('/');
    if (t.length !== p.length) continue;
    const params: Record<string, string> = {};
    let literal = 0;
    let ok = true;
    for (let i = 0; i < t.length && ok; i++) {
      const seg = t[i]!;
      const pm = /^\{(.+)\}$/.exec(seg);
      if (pm) params[pm[1]!] = decodeURIComponent(p[i]!);
      else if (seg === p[i]) literal++;
      else ok = false;
    }
    // Prefer the most literal match (`/rfis/count` over `/rfis/{id}`).
    if (ok && literal > bestLiteral) {
      best = { method: m, template, operation: op, params };
      bestLiteral = literal;
    }
  }
  return best;
}

export function deref(doc: OpenApiDocument, schema: SchemaObject | undefined, depth = 0): SchemaObject | undefined {
  if (!schema || depth > 20) return schema;
  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/components\/schemas\//, '');
    return deref(doc, doc.components?.schemas?.[name], depth + 1);
  }
  const alt = schema.allOf ?? schema.anyOf ?? schema.oneOf;
  if (alt && !schema.properties) {
    const merged: SchemaObject = { type: 'object', properties: {} };
    for (const part of alt) {
      const d = deref(doc, part, depth + 1);
      if (d?.properties) Object.assign(merged.properties!, d.properties);
      if (d?.type && d.type !== 'object' && alt.length === 1) return d;
    }
    return Object.keys(merged.properties!).length ? merged : schema;
  }
  return schema;
}

export function jsonBodySchema(doc: OpenApiDocument, op: OperationObject): SchemaObject | undefined {
  const content = op.requestBody?.content ?? {};
  const entry = content['application/json'] ?? Object.values(content)[0];
  return deref(doc, entry?.schema);
}

/** The schema at a key path of a JSON body (`['rfi']` → the RFI's writable fields). */
export function schemaAt(
  doc: OpenApiDocument,
  root: SchemaObject | undefined,
  keys: readonly (string | number)[],
): SchemaObject | undefined {
  let s = deref(doc, root);
  for (const k of keys) {
    if (!s) return undefined;
    if (typeof k === 'number') s = deref(doc, s.items);
    else s = deref(doc, s.properties?.[k]);
  }
  return s;
}

export interface FieldSuggestion {
  name: string;
  type: string;
  required: boolean;
  description?: string;
}

/** Field names allowed at `keys` of the request body of `op`. */
export function fieldsAt(doc: OpenApiDocument, op: OperationObject, keys: readonly (string | number)[]): FieldSuggestion[] {
  const s = schemaAt(doc, jsonBodySchema(doc, op), keys);
  if (!s?.properties) return [];
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties).map(([name, prop]) => {
    const d = deref(doc, prop);
    return {
      name,
      type: d?.type ?? (d?.enum ? 'enum' : 'any'),
      required: required.has(name),
      ...(d?.description ? { description: d.description } : {}),
    };
  });
}

/** The path part of a resolved URL (`http://h:1/rest/v1.0/me?x` → `/rest/v1.0/me`). */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.replace(/^[a-z]+:\/\/[^/]*/i, '').replace(/[?#].*$/, '');
  }
}
