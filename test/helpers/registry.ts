/**
 * The route registry of a built app (`app.routeRegistry`, filled by the `onRoute` hook in
 * `src/server/app.ts`) as test cases: one entry per method and URL pattern, with the path
 * parameters, the documented query keys and, for API writes, the wrapped body schema. Suites
 * generate their cases from it, so a new route is covered without editing them.
 */
import type { FastifyInstance } from 'fastify';

export type RouteFamily = 'api' | 'oauth' | 'portal' | 'postman' | 'web' | 'meta';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  [key: string]: unknown;
}

export interface RouteCase {
  /** `sandbox` or `production` listener. */
  environment: 'sandbox' | 'production';
  method: string;
  /** Fastify pattern, e.g. `/rest/v1.0/projects/:project_id/rfis/:id` or `/*`. */
  url: string;
  family: RouteFamily;
  params: string[];
  /** Query keys of the route's `querystring` schema (e.g. `filters[assigned_id]`, `sort`). */
  query: string[];
  /** API writes: the wrapped body `{[root]: schema}`. */
  body?: { root: string; schema: JsonSchema };
  operationId?: string;
  /** Headers the route's schema documents (e.g. `Procore-Company-Id`). */
  headers: string[];
}

export function familyOf(url: string): RouteFamily {
  if (url.startsWith('/rest/') || url.startsWith('/vapid')) return 'api';
  if (url.startsWith('/oauth')) return 'oauth';
  if (url.startsWith('/api/portal')) return 'portal';
  if (url.startsWith('/postman')) return 'postman';
  if (url === '/health' || url === '/openapi.json') return 'meta';
  return 'web';
}

/** Every route of `app` as cases (HEAD routes Fastify adds for GETs included). */
export function routeCases(app: FastifyInstance, environment: 'sandbox' | 'production'): RouteCase[] {
  const out: RouteCase[] = [];
  const seen = new Set<string>();
  for (const r of app.routeRegistry) {
    for (const method of r.methods) {
      const key = `${method} ${r.url}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const params = [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
      const qs = r.schema?.querystring as JsonSchema | undefined;
      const hs = r.schema?.headers as JsonSchema | undefined;
      const bodySchema = r.schema?.body as JsonSchema | undefined;
      const root = bodySchema?.properties ? Object.keys(bodySchema.properties)[0] : undefined;
      out.push({
        environment,
        method,
        url: r.url,
        family: familyOf(r.url),
        params,
        query: Object.keys(qs?.properties ?? {}),
        headers: Object.keys(hs?.properties ?? {}),
        ...(root && bodySchema?.properties?.[root] ? { body: { root, schema: bodySchema.properties[root] } } : {}),
        ...(typeof r.schema?.operationId === 'string' ? { operationId: r.schema.operationId } : {}),
      });
    }
  }
  return out;
}

/** Fills `:param` segments (and a trailing `*`) of a pattern. */
export function fillPath(url: string, values: Record<string, string>, wildcard = ''): string {
  return url.replace(/:(\w+)/g, (_m, name: string) => values[name] ?? '').replace(/\*$/, wildcard);
}
