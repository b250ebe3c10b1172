/**
 * fast-check arbitraries for hostile HTTP requests, generated from the route registry
 * (`test/helpers/registry.ts`): any route of either listener, any method, filled or junk path
 * parameters, bracket queries, odd numbers, unicode, NUL, invalid UTF-8 (raw bytes), bad
 * Authorization / Procore-Company-Id / Content-Type headers, bodies built from the route's own
 * schema with junk mixed in, malformed / deep / huge JSON, form and multipart junk — each with
 * the tenant's valid credentials or without.
 */
import fc from 'fast-check';
import { fillPath, type JsonSchema, type RouteCase } from '../helpers/registry.js';
import type { Tenant } from '../helpers/world.js';

export interface FuzzRequest {
  environment: 'sandbox' | 'production';
  route: RouteCase;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** What the generator put in, for oracles and reports (e.g. `bad-text`, `huge-body`). */
  tags: string[];
}

/** Strings that broke parsers somewhere: numbers, encodings, separators, injections. */
export const JUNK_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  '1',
  '1e20',
  '1e300',
  '-0',
  '0x10',
  'NaN',
  'Infinity',
  '1.5',
  '9007199254740993',
  '99999999999999999999999',
  ' 1',
  '+1',
  '1,2',
  '01',
  'null',
  'true',
  '[]',
  '{}',
  'a\u0000b',
  '\u0000',
  'é',
  'e\u0301',
  '😀',
  '\u202e\u200b',
  '．．／',
  '../../etc/passwd',
  '..\\..\\win.ini',
  '<img src=x onerror=alert(1)>',
  "' OR 1=1 --",
  '{{7*7}}',
  '\r\nX-Injected: 1',
  '__proto__',
  'constructor',
  'x'.repeat(3000),
  '2026-02-30',
  '2026-13-01T25:61:00Z',
  'asc',
  'desc',
];

/** Strings containing what a server must refuse in text: NUL and lone surrogates. */
export const BAD_TEXT = ['a\u0000b', '\u0000', '\ud800', 'x\udfffy', '\ud83d'];

/** Bytes that are not UTF-8 (overlong, lone continuation, surrogate, truncated). */
const INVALID_UTF8 = [
  Buffer.from([0xff]),
  Buffer.from([0xc0, 0xae]),
  Buffer.from([0x80]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
];

/** Numbers for JSON bodies: ids beyond bigint, negative, fractional, unsafe. */
const JUNK_NUMBERS = [0, -1, 1.5, 1e20, 1e300, -1e300, 2 ** 53 + 2, 2 ** 31, 2 ** 63, Number.MAX_SAFE_INTEGER];

/** UTF-8 bytes of a string, keeping lone surrogates as their 3-byte (invalid) encoding. */
export function wtf8(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Buffer.from(out);
}

/** Percent-encodes every byte outside unreserved (lone surrogates become invalid UTF-8). */
export function pct(s: string): string {
  let out = '';
  for (const b of wtf8(s)) {
    const ch = String.fromCharCode(b);
    out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function hasBadText(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}

export interface GenContext {
  /** The tenant whose credentials the fuzzer holds. */
  self: Tenant;
  /** Another tenant: its ids go where ids go. */
  other: Tenant;
}

const weighted = <T>(...pairs: [number, fc.Arbitrary<T>][]) => fc.oneof(...pairs.map(([weight, arbitrary]) => ({ weight, arbitrary })));

function idPool(g: GenContext, param: string): number[] {
  const s = g.self.ids;
  const byParam: Record<string, number[] | undefined> = {
    project_id: [g.self.projectId],
    company_id: [g.self.companyId],
    rfi_id: s['rfis'],
    drawing_area_id: s['drawing_areas'],
    blob_id: s['blobs'],
  };
  const all = Object.values(s).flat();
  return [...(byParam[param] ?? []), ...all];
}

function idValue(g: GenContext, param: string): fc.Arbitrary<string> {
  const own = idPool(g, param);
  const other = Object.values(g.other.ids).flat();
  return weighted(
    [6, fc.constantFrom(...own).map(String)],
    [1, fc.constantFrom(...other).map(String)],
    [3, fc.constantFrom(...JUNK_STRINGS)],
    [1, fc.constantFrom(...BAD_TEXT)],
    [1, fc.string({ unit: 'binary', maxLength: 12 })],
  );
}

/** A JSON value for a schema: usually of the right shape, sometimes junk. */
export function valueFor(schema: JsonSchema | undefined, g: GenContext, field: string, depth = 0): fc.Arbitrary<unknown> {
  const junk = weighted<unknown>(
    [3, fc.constantFrom<unknown>(...JUNK_NUMBERS, null, true, false, {}, [], '')],
    [2, fc.constantFrom(...JUNK_STRINGS)],
    [2, fc.constantFrom(...BAD_TEXT)],
    [1, fc.jsonValue({ maxDepth: 2 })],
  );
  if (!schema || depth > 4) return junk;
  const right = shaped(schema, g, field, depth);
  return weighted([5, right], [1, junk]);
}

function shaped(schema: JsonSchema, g: GenContext, field: string, depth: number): fc.Arbitrary<unknown> {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length) return fc.oneof(...variants.map((v) => shaped(v, g, field, depth)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const props = schema.properties ?? {};
      const entries = Object.entries(props).map(([k, v]) => [k, valueFor(v, g, k, depth + 1)] as const);
      const record = fc.record(Object.fromEntries(entries), { requiredKeys: [] });
      const extra = fc
        .tuple(record, fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'id', 'x', 'é'), fc.jsonValue({ maxDepth: 1 })))
        .map(([a, b]): Record<string, unknown> => ({ ...a, ...b }));
      return weighted<Record<string, unknown>>([6, record], [1, extra]);
    }
    case 'array': {
      const item = schema.items ? shaped(schema.items, g, field, depth + 1) : fc.jsonValue({ maxDepth: 1 });
      return weighted([6, fc.array(item, { maxLength: 4 })], [1, fc.array(item, { minLength: 250, maxLength: 400 })]);
    }
    case 'integer':
    case 'number': {
      if (/(^|_)ids?$/.test(field)) {
        const own = Object.values(g.self.ids).flat();
        const other = Object.values(g.other.ids).flat();
        return weighted([5, fc.constantFrom(...own)], [2, fc.constantFrom(...other)], [2, fc.constantFrom(...JUNK_NUMBERS)]);
      }
      return weighted([4, fc.integer({ min: -5, max: 100_000 })], [1, fc.double()], [2, fc.constantFrom(...JUNK_NUMBERS)]);
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'string':
    default: {
      if (schema.format === 'date' || schema.format === 'date-time')
        return fc.constantFrom('2026-01-31', '2026-02-30', '2026-01-31T10:00:00Z', 'tomorrow', '', '0000-00-00');
      return weighted(
        [4, fc.string({ maxLength: 24 })],
        [2, fc.string({ unit: 'grapheme', maxLength: 24 })],
        [2, fc.constantFrom(...JUNK_STRINGS)],
        [1, fc.constantFrom(...BAD_TEXT)],
      );
    }
  }
}

/** Ids a well-formed write would reference, by field name (users for people, vendors for companies). */
function refPool(g: GenContext, field: string): number[] {
  const ids = g.self.ids;
  if (/contractor|vendor|company/.test(field)) return ids['vendors'] ?? [];
  if (/location/.test(field)) return [];
  if (/status/.test(field)) return [1, 2, 3];
  // The sandbox's permission templates (src/api/resources/users/).
  if (/permission_template/.test(field)) return [1, 2, 3];
  // Project roles and memberships name the project's own users.
  if (field === 'user_id' && ids['project_users']?.length) return ids['project_users'];
  return ids['users'] ?? [];
}

/** A value the schema accepts, with ids from this tenant (so that writes can succeed). */
export function validValue(schema: JsonSchema | undefined, g: GenContext, field: string, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 5) return fc.constant('x');
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length) return fc.oneof(...variants.map((v) => validValue(v, g, field, depth)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const props = schema.properties ?? {};
      const required = schema.required ?? [];
      // An optional reference we hold no id for (e.g. location_id) is left out.
      const known = Object.entries(props).filter(([k]) => required.includes(k) || !/_ids?$/.test(k) || refPool(g, k).length > 0);
      return fc.record(Object.fromEntries(known.map(([k, v]) => [k, validValue(v, g, k, depth + 1)])), {
        requiredKeys: required.filter((k) => k in props),
      });
    }
    case 'array':
      return fc.array(validValue(schema.items, g, field, depth + 1), { maxLength: 3 });
    case 'integer':
    case 'number': {
      const pool = refPool(g, field);
      if (/_ids?$/.test(field) && pool.length) return fc.constantFrom(...pool);
      const min = Math.max(0, schema.minimum ?? 0);
      return fc.integer({ min, max: Math.max(min, Math.min(1000, schema.maximum ?? 1000)) });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      if (schema.format === 'date') return fc.constantFrom('2026-01-31', '2027-12-01');
      if (schema.format === 'date-time') return fc.constant('2026-01-31T10:00:00Z');
      if (/email/.test(field)) return fc.stringMatching(/^[a-z0-9]{1,12}$/).map((s) => `${s}@example.com`);
      // A blank string is no value where the schema wants text (`pattern: \\S`): keep one letter.
      return fc
        .string({
          minLength: Math.max(1, Number(schema['minLength'] ?? 1)),
          maxLength: Math.min(40, Number(schema.maxLength ?? 40)),
        })
        .map((s) => (/\S/.test(s) ? s : `x${s}`.slice(0, Math.min(40, Number(schema.maxLength ?? 40)))));
  }
}

/** A body the route would accept, wrapped in its root. */
function nearValidBase(route: RouteCase, g: GenContext): fc.Arbitrary<Record<string, unknown>> {
  const body = route.body!;
  return validValue(body.schema, g, body.root || 'body').map((v) => wrap(body.root, v) as Record<string, unknown>);
}

/** A body the route would accept, with up to two fields swapped for hostile values. */
function nearValid(route: RouteCase, g: GenContext): fc.Arbitrary<unknown> {
  const body = route.body!;
  const props = Object.keys(body.schema.properties ?? {});
  const base = validValue(body.schema, g, body.root || 'body');
  if (!props.length) return base.map((v) => wrap(body.root, v));
  const override = fc.constantFrom(...props).chain((k) => valueFor(body.schema.properties?.[k], g, k).map((v) => [k, v] as const));
  return fc.tuple(base, fc.array(override, { maxLength: 2 })).map(([b, overrides]) => ({
    ...(wrap(body.root, { ...(b as object), ...Object.fromEntries(overrides) }) as object),
  }));
}

/** Form fields the OAuth and portal routes read (they carry no schema); new ones get generic junk. */
function formFields(route: RouteCase, g: GenContext): fc.Arbitrary<Record<string, unknown>> {
  const t = g.self;
  const clientId = fc.constantFrom(t.credentials.clientId, t.productionCredentials.clientId, g.other.credentials.clientId, 'nope');
  const secret = fc.constantFrom(
    t.credentials.clientSecret,
    g.other.credentials.clientSecret,
    'wrong',
    '',
    'x'.repeat(1000),
    'é'.repeat(44),
  );
  const text = weighted([3, fc.constantFrom(...JUNK_STRINGS)], [1, fc.constantFrom(...BAD_TEXT)], [2, fc.string({ maxLength: 30 })]);
  const fields: Record<string, fc.Arbitrary<unknown>> = {
    client_id: clientId,
    client_secret: secret,
    grant_type: fc.constantFrom('authorization_code', 'refresh_token', 'client_credentials', 'password', 'junk', ''),
    code: text,
    refresh_token: text,
    token: text,
    token_type_hint: fc.constantFrom('access_token', 'refresh_token', 'junk'),
    redirect_uri: fc.constantFrom('http://localhost', 'urn:ietf:wg:oauth:2.0:oob', 'http://evil.test/cb', 'http://localhost/cb?x=1', ''),
    response_type: fc.constantFrom('code', 'token', 'junk'),
    code_verifier: text,
    code_challenge: text,
    code_challenge_method: fc.constantFrom('S256', 'plain', 'junk'),
    state: text,
    email: fc.constantFrom('sandbox+demo@example.com', 'developer@example.com', 'nobody@example.com', 'a\u0000@example.com', ''),
    password: fc.constantFrom('wrong-password', t.userPassword, '', 'x'.repeat(200)),
    name: text,
    redirect_uris: fc.array(fc.constantFrom('http://localhost', 'javascript:alert(1)', 'https://app.test/cb#f', '*'), { maxLength: 3 }),
    grant_types: fc.array(fc.constantFrom('authorization_code', 'implicit', 'junk'), { maxLength: 3 }),
    decision: fc.constantFrom('approve', 'deny', 'junk'),
    session: text,
    csrf: text,
    _csrf: text,
  };
  void route;
  return fc.record(fields, { requiredKeys: [] });
}

function encodeForm(obj: Record<string, unknown>): string {
  return Object.entries(obj)
    .flatMap(([k, v]) =>
      Array.isArray(v) ? v.map((x) => `${pct(k)}=${pct(String(x))}`) : [`${pct(k)}=${pct(typeof v === 'string' ? v : JSON.stringify(v))}`],
    )
    .join('&');
}

const QUERY_EXTRAS = [
  'filters[x][]',
  'filters[id][]',
  'filters[assigned_id][]',
  'filters[ball_in_court_id][]',
  'filters[status]',
  'filters[created_at]',
  'filters[__proto__][x]',
  '__proto__[x]',
  'constructor[prototype][x]',
  'sort',
  'sort[attribute]',
  'sort[direction]',
  'page',
  'per_page',
  'project_id',
  'company_id',
  'a[b][c][d][e][f][g]',
  'a[1000000]',
  'view',
];

function queryArb(route: RouteCase, g: GenContext): fc.Arbitrary<{ qs: string; tags: string[] }> {
  const keys = [...new Set([...route.query, ...QUERY_EXTRAS])];
  const value = weighted(
    [3, idValue(g, 'id')],
    [2, fc.constantFrom(...JUNK_STRINGS)],
    [1, fc.constantFrom('-number', 'number', 'created_at,-updated_at', 'asc', 'desc', '10001', '100')],
  );
  const pair = fc.tuple(fc.constantFrom(...keys), value).map(([k, v]) => `${pct(k)}=${pct(v)}`);
  const normal = fc.array(pair, { maxLength: 6 }).map((p) => ({ qs: p.join('&'), tags: [] as string[] }));
  const ids = Object.values(g.self.ids).flat();
  const bomb = fc
    .tuple(
      fc.constantFrom('filters[assigned_id][]', 'filters[ball_in_court_id][]', 'filters[id][]', 'filters[x][]', 'filters[status][]'),
      fc.integer({ min: 200, max: 1200 }),
    )
    .map(([k, n]) => ({
      qs: Array.from({ length: n }, (_, i) => `${pct(k)}=${ids[i % ids.length] ?? i}`).join('&'),
      tags: ['query-bomb'],
    }));
  const sortKeys = route.query.includes('sort') ? ['number', '-number', 'created_at', 'subject', 'title'] : ['x'];
  const longSort = fc
    .integer({ min: 500, max: 2500 })
    .map((n) => ({ qs: `sort=${Array.from({ length: n }, (_, i) => sortKeys[i % sortKeys.length]).join(',')}`, tags: ['long-sort'] }));
  const manyParams = fc
    .integer({ min: 150, max: 3000 })
    .map((n) => ({ qs: Array.from({ length: n }, (_, i) => `p${i}=${i}`).join('&'), tags: ['many-params'] }));
  const rawJunk = fc
    .constantFrom('%', '%ZZ', '%ff%fe', 'a=%c0%ae', '&&&', '=', '[]=1', 'a[=1', 'a]=1', 'a[b=1', '%00=%00', 'page=1&page=2')
    .map((qs) => ({ qs, tags: ['raw-query'] }));
  return weighted([14, normal], [1, bomb], [1, longSort], [1, manyParams], [2, rawJunk]);
}

const AUTH_JUNK = [
  'Bearer',
  'Bearer ',
  'bearer x',
  'Basic Zm9vOmJhcg==',
  'Basic !!!',
  'Token abc',
  'Bearer a b',
  'Bearer ' + 'x'.repeat(5000),
  'Bearer %00',
];

/**
 * Credentials appear as `{{name}}` placeholders that the runner fills at send time, so a
 * re-issued session or token needs no new arbitraries: `token`, `productionToken`, `otherToken`,
 * `portalCookie`, `otherPortalCookie`.
 */
export const SECRET_RE = /\{\{(\w+)\}\}/g;

function headersArb(route: RouteCase, g: GenContext): fc.Arbitrary<{ headers: Record<string, string>; tags: string[] }> {
  const t = g.self;
  const [own, wrongEnv] = route.environment === 'production' ? ['{{productionToken}}', '{{token}}'] : ['{{token}}', '{{productionToken}}'];
  const auth = weighted(
    [10, fc.constant(`Bearer ${own}`)],
    [3, fc.constant(undefined)],
    [1, fc.constant(`Bearer ${wrongEnv}`)],
    [1, fc.constant('Bearer {{otherToken}}')],
    [1, fc.constant(`Bearer ${own}x`)],
    [1, fc.constant(`bearer ${own}`)],
    [1, fc.constant(`Basic ${Buffer.from(`${t.credentials.clientId}:${t.credentials.clientSecret}`).toString('base64')}`)],
    [2, fc.constantFrom(...AUTH_JUNK)],
  );
  const company = weighted(
    [10, fc.constant(String(t.companyId))],
    [3, fc.constant(undefined)],
    [1, fc.constant(String(g.other.companyId))],
    [
      3,
      fc.constantFrom(
        'abc',
        '-1',
        '0',
        '1e20',
        ` ${t.companyId} `,
        `${t.companyId},${t.companyId}`,
        `${t.companyId}x`,
        '99999999999999999999',
        '0x10',
        '',
      ),
    ],
  );
  const cookie = weighted(
    [3, fc.constant('{{portalCookie}}')],
    [2, fc.constant(undefined)],
    [1, fc.constant('{{otherPortalCookie}}')],
    [1, fc.constant('psb_portal=junk; x=%ZZ')],
  );
  const extra = fc.dictionary(
    fc.constantFrom(
      'x-requested-with',
      'origin',
      'sec-fetch-site',
      'accept',
      'accept-encoding',
      'content-encoding',
      'x-forwarded-for',
      'host',
      'range',
    ),
    fc.constantFrom(
      'XMLHttpRequest',
      'http://localhost:80',
      'http://evil.test',
      'cross-site',
      'same-origin',
      'text/html',
      'application/json',
      '*/*',
      'gzip',
      'br',
      '127.0.0.1, 10.0.0.1',
      'evil.test',
      'bytes=0-1',
      'bytes=99999999-',
      '',
    ),
    { maxKeys: 3 },
  );
  return fc.record({ auth, company, cookie, extra }).map(({ auth, company, cookie, extra }) => {
    const headers: Record<string, string> = { ...extra };
    const tags: string[] = [];
    if (auth !== undefined) headers['authorization'] = auth;
    if (company !== undefined) headers['procore-company-id'] = company;
    if (cookie !== undefined) headers['cookie'] = cookie;
    if (auth === `Bearer ${own}`) tags.push('valid-token');
    return { headers, tags };
  });
}

interface Body {
  payload?: string | Buffer;
  contentType?: string;
  tags: string[];
}

const DEEP = 12_000;
const HUGE = 'x'.repeat(1_100_000);

function bodyArb(route: RouteCase, method: string, g: GenContext): fc.Arbitrary<Body> {
  const none = fc.constant<Body>({ tags: [] });
  const schemaBody = route.body
    ? route.body.root
      ? valueFor({ type: 'object', properties: { [route.body.root]: route.body.schema } }, g, route.body.root)
      : valueFor(route.body.schema, g, 'body')
    : fc.jsonValue({ maxDepth: 3 });
  const good = route.body ? nearValid(route, g) : schemaBody;
  const json = fc.oneof(schemaBody, good, good).map((v): Body => {
    const s = JSON.stringify(v) ?? 'null';
    return {
      payload: s,
      contentType: 'application/json',
      tags: hasBadText(s) || /\\u(0000|d[89ab][0-9a-f]{2}|d[c-f][0-9a-f]{2})/i.test(s) ? ['bad-text'] : [],
    };
  });
  const invalidUtf8 = fc.tuple(schemaBody, fc.constantFrom(...INVALID_UTF8)).map(([v, bytes]): Body => {
    const s = JSON.stringify(v) ?? '""';
    // Put the bytes inside the first string literal, else wrap them in one.
    const i = s.indexOf('"', s.indexOf(':') + 1);
    const payload =
      i > 0
        ? Buffer.concat([Buffer.from(s.slice(0, i + 1)), bytes, Buffer.from(s.slice(i + 1))])
        : Buffer.concat([Buffer.from(`{"${route.body?.root || 'x'}":{"subject":"`), bytes, Buffer.from('"}}')]);
    return { payload, contentType: 'application/json', tags: ['bad-text', 'invalid-utf8'] };
  });
  const malformed = fc
    .constantFrom(
      '{',
      '{"a":',
      '[1,2',
      '{"a":1,}',
      "{'a':1}",
      'nul',
      '"unterminated',
      '{"a":1}{"b":2}',
      '\ufeff{}',
      '{"__proto__":{"x":1}}',
      '{"constructor":{"prototype":{"x":1}}}',
      'null',
      '[]',
      '1',
      '"s"',
    )
    .map((payload): Body => ({ payload, contentType: 'application/json', tags: ['malformed-json'] }));
  const deep = fc.constantFrom('[', '{"a":').map((open): Body => {
    const close = open === '[' ? ']' : '}';
    return {
      payload: open.repeat(DEEP) + (open === '[' ? '' : '1') + close.repeat(DEEP),
      contentType: 'application/json',
      tags: ['deep-json'],
    };
  });
  const wide = fc.constantFrom('array', 'keys').map((kind): Body => {
    const root = route.body?.root || 'x';
    const payload =
      kind === 'array'
        ? `{"${root}":{"distribution_ids":[${Array.from({ length: 100_000 }, (_, i) => i).join(',')}]}}`
        : `{"${root}":{${Array.from({ length: 20_000 }, (_, i) => `"k${i}":${i}`).join(',')}}}`;
    return { payload, contentType: 'application/json', tags: ['wide-json'] };
  });
  const huge = fc.constant(null).map((): Body => ({
    payload: `{"${route.body?.root || 'x'}":{"subject":"${HUGE}"}}`,
    contentType: 'application/json',
    tags: ['huge-body'],
  }));
  const reads = route.family === 'oauth' || route.family === 'portal';
  const fields = reads ? formFields(route, g) : fc.record({ x: fc.constantFrom(...JUNK_STRINGS, ...BAD_TEXT) });
  const form = fields.map((f): Body => {
    const payload = encodeForm(f);
    return {
      payload,
      contentType: 'application/x-www-form-urlencoded',
      tags: Object.values(f).some((v) => typeof v === 'string' && hasBadText(v)) ? ['bad-text'] : [],
    };
  });
  const formJson = fields.map((f): Body => {
    const s = JSON.stringify(f);
    return { payload: s, contentType: 'application/json', tags: hasBadText(s) ? ['bad-text'] : [] };
  });
  const boundary = 'fuzzBOUNDARY';
  const multipart = fc
    .constantFrom(
      `--${boundary}\r\nContent-Disposition: form-data; name="rfi[subject]"\r\n\r\nhello\r\n--${boundary}--\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="../../x.txt"\r\nContent-Type: text/plain\r\n\r\nabc\r\n--${boundary}--\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\ntruncated`,
      `--other\r\n\r\n--other--`,
      `junk without boundaries`,
      `--${boundary}\r\nContent-Disposition: form-data; name="__proto__"\r\n\r\n{"x":1}\r\n--${boundary}--\r\n`,
    )
    .chain((payload) =>
      fc
        .constantFrom(`multipart/form-data; boundary=${boundary}`, 'multipart/form-data', 'multipart/form-data; boundary=')
        .map((contentType): Body => ({ payload, contentType, tags: ['multipart'] })),
    );
  const mismatch = fc
    .tuple(
      schemaBody,
      fc.constantFrom(
        'text/plain',
        'application/xml',
        'application/x-www-form-urlencoded',
        'application/json; charset=latin1',
        'application/vnd.api+json',
        'application/octet-stream',
        'x/y; a=b',
        '',
      ),
    )
    .map(([v, contentType]): Body => ({ payload: JSON.stringify(v) ?? '', contentType, tags: ['content-type-mismatch'] }));
  const bytes = fc
    .uint8Array({ maxLength: 64 })
    .map((u): Body => ({ payload: Buffer.from(u), contentType: 'application/json', tags: ['random-bytes'] }));

  const writes = ['POST', 'PATCH', 'PUT', 'DELETE'].includes(method);
  return weighted<Body>(
    [writes ? 2 : 8, none],
    [route.body ? 12 : 3, json],
    [3, invalidUtf8],
    [2, malformed],
    [1, deep],
    [writes ? 1 : 0, wide],
    [writes ? 1 : 0, huge],
    [reads ? 8 : 1, form],
    [reads ? 4 : 1, formJson],
    [2, multipart],
    [2, mismatch],
    [1, bytes],
  );
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'];

function wildcardPath(): fc.Arbitrary<string> {
  return weighted(
    [
      3,
      fc
        .array(
          fc.constantFrom(
            'signin',
            'apps',
            'rest',
            'v1.0',
            'me',
            'oauth',
            'authorize',
            'assets',
            'index.html',
            'favicon.ico',
            '..',
            '.',
            '%2e%2e',
            '..%2f',
            '%2F',
            'x;y',
            '%00',
            '%ff',
            'é',
            '😀',
          ),
          { maxLength: 4 },
        )
        .map((s) => s.join('/')),
    ],
    [1, fc.string({ maxLength: 20 }).map(pct)],
    [1, fc.constantFrom('/rest/v1.0/me', '/./rest/v1.0/me', 'rest/v1.0/../v1.0/me', 'rest%2Fv1.0%2Fme', 'rest/v1.0/me/', 'rest/v1.0/me;x')],
  );
}

/** URL segments of field resources whose `records()` name differs (`/checklist/lists/:id` → checklist_lists). */
const RECORD_SEGMENTS: [RegExp, string, string][] = [
  [/\/rfis\//, 'replies', 'rfi_replies'],
  [/\/checklist\//, 'list_templates', 'checklist_list_templates'],
  [/\/checklist\//, 'lists', 'checklist_lists'],
  [/\/checklist\//, 'sections', 'checklist_sections'],
  [/\/checklist\//, 'items', 'checklist_items'],
  [/\/incidents\//, 'actions', 'incident_actions'],
  [/\/incidents\//, 'injuries', 'incident_injuries'],
  [/\/incidents\//, 'witness_statements', 'incident_witness_statements'],
  [/\/incidents\//, 'action_types', 'incident_action_types'],
  [/^/, 'meeting_attendee_records', 'meeting_attendees'],
];

/**
 * Own ids for a path parameter, by the collection named before it: a table or a records()
 * resource (`/rfis/:id` → rfis, `/project_roles/:id` → project_roles); under a project, the
 * project's own members where the world lists them (`/projects/:project_id/users/:id` →
 * project_users, not every company user); under `inactive`, the inactive ones
 * (`/projects/:project_id/vendors/inactive/:id` → inactive_project_vendors); under `recycle_bin`,
 * the recycled ones (`…/recycle_bin/incidents/:id` → recycled_incidents). See
 * `test/helpers/world.ts` for the keys. Field resources whose records() name differs from the
 * segment are mapped by `RECORD_SEGMENTS` (`/checklist/lists/:id` → checklist_lists).
 */
export function ownIdsFor(route: RouteCase, param: string, g: GenContext): (number | string)[] {
  const ids = g.self.ids;
  if (param === 'uuid') return route.url.includes('/companies/') ? g.self.uploads.company : g.self.uploads.project;
  if (param === 'project_id') return [g.self.projectId];
  if (param === 'company_id') return [g.self.companyId];
  if (param === 'rfi_id') return ids['rfis'] ?? [];
  if (param === 'drawing_area_id') return ids['drawing_areas'] ?? [];
  if (param === 'blob_id') return ids['blobs'] ?? [];
  if (route.family === 'portal') return ids['apps'] ?? [];
  // Line items are stored by their holder's kind (`/work_order_contracts/:…/line_items/:id` → work_order_contract_line_items).
  const lines = /\/(\w+?)s\/:\w+\/line_items\/:id$/.exec(route.url);
  if (param === 'id' && lines && ids[`${lines[1]}_line_items`]?.length) return ids[`${lines[1]}_line_items`] ?? [];
  const segments = route.url.split('/');
  let at = segments.indexOf(`:${param}`) - 1;
  const inactive = segments[at] === 'inactive';
  if (inactive) at--;
  const segment = segments[at] ?? '';
  const name = RECORD_SEGMENTS.find(([where, seg]) => seg === segment && where.test(route.url))?.[2] ?? segment;
  const keys = [
    ...(segments.includes('recycle_bin') ? [`recycled_${name}`] : []),
    ...(segments[at - 1] === ':project_id' ? [`project_${name}`] : []),
    name,
    // A singular path over plural rows (`/prime_contract/:id` → prime_contracts).
    `${name}s`,
  ];
  for (const key of inactive ? [...keys.map((k) => `inactive_${k}`), ...keys] : keys) if (ids[key]?.length) return ids[key];
  return Object.values(ids).flat();
}

/** A body in its root key (API writes), or as it is (a flat body: root ''). */
function wrap(root: string, v: unknown): unknown {
  return root ? { [root]: v } : v;
}

/** The wrapped body object of a draft (made an object if the schema's example was not one). */
function innerBody(d: Draft, root: string): Record<string, unknown> {
  // Another mutation may have replaced the body by a string, an array or null: start afresh.
  if (typeof d.body !== 'object' || d.body === null || Array.isArray(d.body)) d.body = {};
  if (root === '') return d.body;
  const inner = d.body[root];
  if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) return inner as Record<string, unknown>;
  const fresh: Record<string, unknown> = {};
  d.body[root] = fresh;
  return fresh;
}

type Mutation = { kind: string; apply(r: Draft): void };
interface Draft {
  params: Record<string, string>;
  query: string[];
  headers: Record<string, string>;
  body?: Record<string, unknown>;
  raw?: Body;
  /** OAuth/portal fields, sent as a form (OAuth) or JSON (portal) unless `formAs` says. */
  form?: Record<string, unknown>;
  formAs?: 'form' | 'json';
}

/**
 * A request the route would accept (own ids, valid token and company, a near-valid body) with
 * exactly one hostile element: the deep paths (handlers, SQL) see hostile input only this way.
 */
function focusedArb(route: RouteCase, g: GenContext): fc.Arbitrary<FuzzRequest> {
  const params = fc.record(
    Object.fromEntries(
      route.params.map((p) => [
        p,
        p === 'token'
          ? fc.constant(g.self.postmanToken)
          : p === 'environment'
            ? fc.constantFrom('sandbox', 'production')
            : p === 'filename'
              ? fc.constant('x.pdf')
              : fc.constantFrom(...ownIdsFor(route, p, g)).map(String),
      ]),
    ),
    { requiredKeys: route.params },
  );
  const body = route.body ? nearValid(route, g) : fc.constant(undefined);
  const filterKeys = route.query.filter((k) => k.startsWith('filters['));
  const text = fc.constantFrom(...BAD_TEXT, ...JUNK_STRINGS);
  const mutations: fc.Arbitrary<Mutation>[] = [
    fc
      .tuple(fc.constantFrom(...(filterKeys.length ? filterKeys : ['filters[id]'])), fc.integer({ min: 240, max: 1100 }), fc.boolean())
      .map(([k, n, junkIds]) => ({
        kind: 'query-bomb',
        apply: (d: Draft) => {
          const ids = Object.values(g.self.ids).flat();
          for (let i = 0; i < n; i++)
            d.query.push(
              `${pct(`${k}[]`)}=${junkIds && i % 7 === 0 ? pct(JUNK_STRINGS[i % JUNK_STRINGS.length]!) : (ids[i % ids.length] ?? i + 1)}`,
            );
        },
      })),
    fc.integer({ min: 300, max: 3000 }).map((n) => ({
      kind: 'long-sort',
      apply: (d: Draft) =>
        d.query.push(
          `sort=${Array.from({ length: n }, (_, i) => ['number', '-number', 'created_at', 'title', 'subject', 'x'][i % 6]).join(',')}`,
        ),
    })),
    fc
      .tuple(fc.constantFrom(...route.query, ...QUERY_EXTRAS), text)
      .map(([k, v]) => ({ kind: 'query-value', apply: (d: Draft) => d.query.push(`${pct(k)}=${pct(v)}`) })),
    ...(route.params.length
      ? [
          fc
            .tuple(fc.constantFrom(...route.params), text)
            .map(([p, v]) => ({ kind: 'path-value', apply: (d: Draft) => (d.params[p] = pct(v)) })),
        ]
      : []),
    fc
      .tuple(
        fc.constantFrom('authorization', 'procore-company-id', 'content-type', 'cookie'),
        fc.constantFrom(...AUTH_JUNK, ...JUNK_STRINGS.filter((x) => /^[\x20-\x7e]*$/.test(x))),
      )
      .map(([h, v]) => ({
        kind: 'header-value',
        apply: (d: Draft) => (d.headers[h] = v),
      })),
    ...(route.body
      ? [
          fc
            .tuple(
              fc.constantFrom(...Object.keys(route.body.schema.properties ?? { x: {} })),
              fc.constantFrom<unknown>(...BAD_TEXT, ...JUNK_NUMBERS, ...JUNK_STRINGS, null, {}, [], true),
            )
            .map(([k, v]) => ({
              kind: 'body-field',
              apply: (d: Draft) => {
                const inner = innerBody(d, route.body!.root);
                const q = inner['question'];
                // Reach nested text too (rfi.question.body).
                if (k === 'question' && typeof v === 'string' && typeof q === 'object' && q !== null)
                  (q as Record<string, unknown>)['body'] = v;
                else inner[k] = v;
              },
            })),
          fc.constantFrom(...INVALID_UTF8).map((bytes) => ({
            kind: 'invalid-utf8-field',
            apply: (d: Draft) => {
              const s = JSON.stringify(d.body ?? {});
              const i = s.indexOf('":"');
              d.raw = {
                payload:
                  i > 0
                    ? Buffer.concat([Buffer.from(s.slice(0, i + 3)), bytes, Buffer.from(s.slice(i + 3))])
                    : Buffer.concat([Buffer.from('{"x":"'), bytes, Buffer.from('"}')]),
                contentType: 'application/json',
                tags: ['bad-text', 'invalid-utf8'],
              };
            },
          })),
        ]
      : []),
  ];
  const needsForm = route.method === 'POST' && (route.family === 'oauth' || route.family === 'portal');
  const form = needsForm ? formFields(route, g) : fc.constant({});
  return fc
    .record({ params, body, mutation: fc.oneof(...mutations), form })
    .map(({ params: p, body: b, mutation, form: f }) => assemble(route, g, p as Record<string, string>, b, mutation, f));
}

/** A request of the one-mutation mode: valid parts plus `mutation`. */
function assemble(
  route: RouteCase,
  g: GenContext,
  params: Record<string, string>,
  body: unknown,
  mutation: Mutation,
  form: Record<string, unknown>,
): FuzzRequest {
  const auth = route.environment === 'production' ? '{{productionToken}}' : '{{token}}';
  const needsForm = route.method === 'POST' && (route.family === 'oauth' || route.family === 'portal');
  const d: Draft = {
    params: { ...params },
    query: [],
    headers: {
      authorization: `Bearer ${auth}`,
      'procore-company-id': String(g.self.companyId),
      cookie: '{{portalCookie}}',
      'x-requested-with': 'XMLHttpRequest',
    },
    ...(body !== undefined ? { body: structuredClone(body) as Record<string, unknown> } : {}),
    ...(needsForm ? { form: { ...form } } : {}),
  };
  if (route.url === '/rest/v1.0/projects' || route.url === '/vapid/projects') d.query.push(`company_id=${g.self.companyId}`);
  mutation.apply(d);
  let payload: string | Buffer | undefined;
  const tags = ['focused', mutation.kind];
  if (d.raw) {
    payload = d.raw.payload;
    d.headers['content-type'] ??= 'application/json';
  } else if (d.body) {
    payload = JSON.stringify(d.body);
    d.headers['content-type'] ??= 'application/json';
  } else if (d.form) {
    const asJson = d.formAs === 'json' || (d.formAs === undefined && route.family === 'portal');
    payload = asJson ? JSON.stringify(d.form) : encodeForm(d.form);
    d.headers['content-type'] ??= asJson ? 'application/json' : 'application/x-www-form-urlencoded';
  }
  if (typeof payload === 'string' && (hasBadText(payload) || /\\u(0000|d[89a-f][0-9a-f]{2})/i.test(payload))) tags.push('bad-text');
  if (d.raw) tags.push(...d.raw.tags);
  if (d.headers['authorization'] === `Bearer ${auth}`) tags.push('valid-token');
  const path = fillPath(route.url, d.params);
  return {
    environment: route.environment,
    route,
    method: route.method,
    url: d.query.length ? `${path}?${d.query.join('&')}` : path,
    headers: d.headers,
    ...(payload !== undefined ? { payload } : {}),
    tags: [...new Set(tags)],
  };
}

/** Portal routes whose JSON body carries text they store or compare. */
export const PORTAL_TEXT_ROUTES = new Set(['/api/portal/signup', '/api/portal/signin', '/api/portal/apps', '/api/portal/apps/:id']);

const CORPUS_TEXT = ['a\u0000b', 'x\ud800y'];
const CORPUS_NUMBERS = ['1e20', '9007199254740993', '-1'];

/**
 * The deterministic corpus: for each route, every known-hostile value in every place — each
 * path id, each query key (and a 300-id bomb on each filter, a 2,000-key sort), the company and
 * Authorization headers, each body field (NUL, lone surrogate, 1e20, 1e300, wrong types,
 * `constructor`), invalid UTF-8 bytes, each OAuth/portal form field as form and as JSON. Run
 * before the random requests, so every known defect class is tried on every route every run.
 */
export function corpus(routes: RouteCase[], g: GenContext, level: 'sample' | 'full' = 'full'): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  const values = level === 'full' ? [...CORPUS_NUMBERS, ...CORPUS_TEXT] : ['1e20', CORPUS_TEXT[0]!];
  const ownIds = Object.values(g.self.ids).flat();
  for (const route of routes) {
    const params = Object.fromEntries(
      route.params.map((p) => [
        p,
        p === 'token'
          ? g.self.postmanToken
          : p === 'environment'
            ? 'sandbox'
            : p === 'filename'
              ? 'x.pdf'
              : String(ownIdsFor(route, p, g)[0]),
      ]),
    );
    const body = route.body ? fc.sample(nearValidBase(route, g), { numRuns: 1, seed: 42 })[0] : undefined;
    const needsForm = route.method === 'POST' && (route.family === 'oauth' || route.family === 'portal');
    const form = needsForm ? (fc.sample(formFields(route, g), { numRuns: 1, seed: 42 })[0] ?? {}) : {};
    const ms: Mutation[] = [{ kind: 'corpus-baseline', apply: () => {} }];
    for (const p of route.params.filter((x) => x !== 'token' && x !== 'environment'))
      for (const v of values) ms.push({ kind: 'path-value', apply: (d) => (d.params[p] = pct(v)) });
    for (const k of route.query)
      for (const v of [...CORPUS_NUMBERS, ...CORPUS_TEXT])
        ms.push({ kind: 'query-value', apply: (d) => d.query.push(`${pct(k)}=${pct(v)}`) });
    for (const k of route.query.filter((x) => x.startsWith('filters[')))
      ms.push({
        kind: 'query-bomb',
        apply: (d) => {
          for (let i = 0; i < 300; i++) d.query.push(`${pct(`${k}[]`)}=${ownIds[i % ownIds.length]}`);
        },
      });
    if (route.query.includes('sort'))
      ms.push({
        kind: 'long-sort',
        apply: (d) => d.query.push(`sort=${Array.from({ length: 2000 }, (_, i) => (i % 2 ? '-number' : 'number')).join(',')}`),
      });
    if (route.family === 'api') {
      for (const v of ['1e20', 'abc', ' 1 ', '']) ms.push({ kind: 'header-value', apply: (d) => (d.headers['procore-company-id'] = v) });
      for (const v of ['Bearer', 'Basic !!!', 'Bearer {{token}}x'])
        ms.push({ kind: 'header-value', apply: (d) => (d.headers['authorization'] = v) });
    }
    if (route.body) {
      const root = route.body.root;
      for (const k of Object.keys(route.body.schema.properties ?? {}))
        for (const v of [...CORPUS_TEXT, 1e20, 1e300, -1, {}, [], true, 'constructor'])
          ms.push({
            kind: 'body-field',
            apply: (d) => {
              const inner = innerBody(d, root);
              const q = inner['question'];
              if (k === 'question' && typeof v === 'string') inner['question'] = { ...(typeof q === 'object' && q ? q : {}), body: v };
              else inner[k] = v;
            },
          });
      ms.push({
        kind: 'invalid-utf8-field',
        apply: (d) => {
          const s = JSON.stringify(d.body);
          const i = s.indexOf('":"');
          d.raw = {
            payload: Buffer.concat([Buffer.from(s.slice(0, i + 3)), Buffer.from([0xff, 0xfe]), Buffer.from(s.slice(i + 3))]),
            contentType: 'application/json',
            tags: ['bad-text', 'invalid-utf8'],
          };
        },
      });
    }
    // Form fields where they are read: every OAuth POST, the portal routes that store text.
    if (needsForm && (route.family === 'oauth' || PORTAL_TEXT_ROUTES.has(route.url)))
      for (const k of Object.keys(form).length
        ? [...Object.keys(form), 'state', 'email', 'password', 'name']
        : ['state', 'email', 'password', 'name'])
        for (const v of CORPUS_TEXT)
          for (const as of ['form', 'json'] as const)
            ms.push({
              kind: 'form-field',
              apply: (d) => {
                d.form = { ...(d.form ?? {}), [k]: v };
                d.formAs = as;
              },
            });
    for (const m of ms) out.push(assemble(route, g, params, body, m, form));
  }
  return out;
}

/** One hostile request for some route in `routes` (arbitraries built once per route and method). */
export function requestArb(routes: RouteCase[], g: GenContext): fc.Arbitrary<FuzzRequest> {
  const perRoute = routes.map((route) => {
    const bodies = new Map<string, fc.Arbitrary<Body>>();
    const bodyOf = (method: string) => {
      let b = bodies.get(method);
      if (!b) bodies.set(method, (b = bodyArb(route, method, g)));
      return b;
    };
    const method = weighted([7, fc.constant(route.method)], [2, fc.constantFrom(...METHODS)]);
    const params = fc.record(Object.fromEntries(route.params.map((p) => [p, paramValue(route, p, g)])), { requiredKeys: route.params });
    const parts = fc.record({
      params,
      wildcard: route.url.endsWith('*') ? wildcardPath() : fc.constant(''),
      query: queryArb(route, g),
      h: headersArb(route, g),
      trailing: weighted([12, fc.constant('')], [1, fc.constantFrom('/', '//', '/.', ';x', '%2F')]),
    });
    const chaos = fc.tuple(method, parts).chain(([m, r]) =>
      bodyOf(m).map((body): FuzzRequest => {
        const path = fillPath(route.url, r.params as Record<string, string>, r.wildcard) + r.trailing;
        const headers = { ...r.h.headers };
        if (body.contentType !== undefined) headers['content-type'] = body.contentType;
        const url = r.query.qs ? `${path}?${r.query.qs}` : path;
        return {
          environment: route.environment,
          route,
          method: m,
          url: url.startsWith('/') ? url : `/${url}`,
          headers,
          ...(body.payload !== undefined ? { payload: body.payload } : {}),
          tags: [...r.query.tags, ...r.h.tags, ...body.tags, ...(r.trailing ? ['odd-path'] : [])],
        };
      }),
    );
    return weighted([4, chaos], [6, focusedArb(route, g)]);
  });
  return fc.integer({ min: 0, max: perRoute.length - 1 }).chain((i) => perRoute[i]!);
}

function paramValue(route: RouteCase, param: string, g: GenContext): fc.Arbitrary<string> {
  if (param === 'token')
    return weighted(
      [4, fc.constant(g.self.postmanToken)],
      [1, fc.constant(g.other.postmanToken)],
      [2, fc.constantFrom(...JUNK_STRINGS).map(pct)],
    );
  if (param === 'environment') return fc.constantFrom('sandbox', 'production', 'staging', '', '%00');
  if (param === 'filename')
    return fc.constantFrom('file.pdf', 'a%20b.png', '..%2f..%2fetc%2fpasswd', '%2e%2e%2f', '%00', '..%5c', 'x'.repeat(600), 'é.jpg');
  if (route.family === 'portal' && param === 'id')
    return weighted(
      [5, fc.constantFrom(...(g.self.ids['apps'] ?? [1])).map(String)],
      [2, fc.constantFrom(...(g.other.ids['apps'] ?? [1])).map(String)],
      [2, fc.constantFrom(...JUNK_STRINGS).map(pct)],
    );
  return idValue(g, param).map(pct);
}
