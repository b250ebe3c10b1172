import sdk from 'postman-collection';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  authParam,
  resolveAuth,
  resolveDeep,
  resolveString,
  scopeFromCollectionVariables,
  scopeFromEnvironment,
  SCOPE_ORDER,
  type Scope,
  type ScopeName,
} from './variables.js';

// The SDK takes any number of scopes (leftmost wins); its published types say two.
const replaceSubstitutions = sdk.Property.replaceSubstitutions as unknown as (text: string, ...scopes: object[]) => string;

const scopes = (values: Partial<Record<ScopeName, Record<string, string>>>): Scope[] =>
  Object.entries(values).map(([scope, v]) => ({ scope: scope as ScopeName, values: v }));

describe('variable precedence (global < collection < environment < data < local)', () => {
  it('the narrowest scope that defines a name wins, whatever order the scopes are given in', () => {
    const all = scopes({
      global: { a: 'g', b: 'g', c: 'g', d: 'g', e: 'g' },
      collection: { a: 'c', b: 'c', c: 'c', d: 'c' },
      environment: { a: 'e', b: 'e', c: 'e' },
      data: { a: 'd', b: 'd' },
      local: { a: 'l' },
    });
    const text = '{{a}} {{b}} {{c}} {{d}} {{e}}';
    expect(resolveString(text, all).value).toBe('l d e c g');
    expect(resolveString(text, [...all].reverse()).value).toBe('l d e c g');
    expect(resolveString(text, all).refs.map((r) => r.scope)).toEqual(['local', 'data', 'environment', 'collection', 'global']);
    expect(SCOPE_ORDER).toEqual(['local', 'data', 'environment', 'collection', 'global']);
  });

  it('agrees with postman-collection (leftmost scope wins) on random scopes', () => {
    const name = fc.constantFrom('a', 'b', 'c', 'base_url', 'project_id');
    const scopeValues = fc.dictionary(
      name,
      fc.string({ maxLength: 8 }).filter((s) => !s.includes('{') && !s.includes('}')),
    );
    fc.assert(
      fc.property(scopeValues, scopeValues, scopeValues, fc.array(name, { maxLength: 5 }), (env, coll, glob, names) => {
        const text = names.map((n) => `{{${n}}}/`).join('') + '{{unknown}}';
        const ours = resolveString(text, scopes({ environment: env, collection: coll, global: glob })).value;
        const theirs = replaceSubstitutions(text, { ...env }, { ...coll }, { ...glob });
        expect(ours).toBe(theirs);
      }),
      { numRuns: 200 },
    );
  });

  it('resolves nested references in values, leaves unknown names as written, and stops on cycles', () => {
    const s = scopes({ environment: { url: '{{host}}/rest', host: 'https://{{sub}}.procore.com', sub: 'sandbox', loop: '{{loop}}' } });
    expect(resolveString('{{url}}/v1.0', s).value).toBe('https://sandbox.procore.com/rest/v1.0');
    expect(resolveString('{{missing}}/x', s)).toEqual({
      value: '{{missing}}/x',
      refs: [{ name: 'missing', start: 0, end: 11, scope: null, value: null }],
    });
    expect(resolveString('{{loop}}', s).value).toBe('{{loop}}');
    // The same nesting through the SDK.
    const v = new sdk.VariableScope({
      values: [
        { key: 'url', value: '{{host}}/rest' },
        { key: 'host', value: 'https://{{sub}}.procore.com' },
        { key: 'sub', value: 'sandbox' },
      ],
    });
    expect((v as unknown as { replaceIn(s: string): string }).replaceIn('{{url}}/v1.0')).toBe('https://sandbox.procore.com/rest/v1.0');
  });

  it('reports each reference with offsets, source scope and resolved value (hover)', () => {
    const r = resolveString(
      '{{base_url}}/projects/{{project_id}}',
      scopes({ environment: { base_url: 'http://x' }, collection: { project_id: '7' } }),
    );
    expect(r.refs).toEqual([
      { name: 'base_url', start: 0, end: 12, scope: 'environment', value: 'http://x' },
      { name: 'project_id', start: 22, end: 36, scope: 'collection', value: '7' },
    ]);
  });

  it('supplies dynamic variables', () => {
    const r = resolveString('{{$guid}} {{$timestamp}} {{$randomInt}} {{$isoTimestamp}}', []);
    const [guid, ts, int, iso] = r.value.split(' ');
    expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(5);
    expect(Number(int)).toBeGreaterThanOrEqual(0);
    expect(Number.isNaN(Date.parse(iso!))).toBe(false);
    expect(r.refs.every((x) => x.scope === 'dynamic')).toBe(true);
  });

  it('environment scopes use current values over initial ones and skip disabled variables', () => {
    const env = {
      name: 'e',
      values: [
        { key: 'a', value: 'initial', type: 'default', enabled: true },
        { key: 'b', value: 'on', type: 'secret', enabled: true },
        { key: 'c', value: 'off', type: 'default', enabled: false },
        { key: 'd', value: 'keep', type: 'default' },
      ],
      current: { a: 'current', c: 'ignored' },
    };
    expect(scopeFromEnvironment(env)).toEqual({ a: 'current', b: 'on', d: 'keep' });
    expect(
      scopeFromCollectionVariables([
        { key: 'x', value: '1' },
        { id: 'y', value: 2 },
        { key: 'z', value: '3', disabled: true },
      ]),
    ).toEqual({ x: '1', y: '2' });
  });

  it('resolves every string of a JSON value', () => {
    const s = scopes({ environment: { id: '42' } });
    expect(resolveDeep({ rfi: { subject: 'RFI {{id}}', ids: ['{{id}}', 3] } }, s)).toEqual({ rfi: { subject: 'RFI 42', ids: ['42', 3] } });
  });
});

describe('auth inheritance (request → folders → collection)', () => {
  const oauth = { type: 'oauth2', oauth2: [{ key: 'accessToken', value: '{{access_token}}', type: 'string' }] };
  const bearer = { type: 'bearer', bearer: [{ key: 'token', value: 'folder-token', type: 'string' }] };
  const collection = {
    info: { name: 'c', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    auth: oauth,
    item: [
      {
        id: 'f1',
        name: 'Folder with bearer',
        auth: bearer,
        item: [
          { id: 'r1', name: 'inherits folder', request: { url: 'https://x.procore.com/a', method: 'GET' } },
          { id: 'r2', name: 'no auth', request: { url: 'https://x.procore.com/b', method: 'GET', auth: { type: 'noauth' } } },
        ],
      },
      {
        id: 'f2',
        name: 'Plain folder',
        item: [{ id: 'r3', name: 'inherits collection', request: { url: 'https://x.procore.com/c', method: 'GET', auth: null } }],
      },
      {
        id: 'r4',
        name: 'own basic',
        request: {
          url: 'https://x.procore.com/d',
          method: 'GET',
          auth: { type: 'basic', basic: [{ key: 'username', value: 'u', type: 'string' }] },
        },
      },
    ],
  };

  it('resolves like the SDK’s Item.getAuth()', () => {
    const sdkCollection = new sdk.Collection(collection as never);
    for (const id of ['r1', 'r2', 'r3', 'r4']) {
      const ours = resolveAuth(collection, id);
      const item = sdkCollection.oneDeep(id) as InstanceType<typeof sdk.Item>;
      const theirs = item.getAuth();
      const theirType = theirs?.type;
      expect(ours.auth?.type ?? 'noauth', id).toBe(theirType ?? 'noauth');
    }
    expect(resolveAuth(collection, 'r1')).toMatchObject({ source: 'folder', sourceName: 'Folder with bearer', auth: bearer });
    expect(resolveAuth(collection, 'r2')).toEqual({ auth: null, source: 'request', sourceName: 'no auth' });
    expect(resolveAuth(collection, 'r3')).toEqual({ auth: oauth, source: 'collection' });
    expect(resolveAuth(collection, 'r4').source).toBe('request');
    expect(authParam(resolveAuth(collection, 'r3').auth, 'accessToken')).toBe('{{access_token}}');
    expect(authParam({ type: 'bearer', bearer: { token: 'v2.0 form' } }, 'token')).toBe('v2.0 form');
    expect(resolveAuth({ item: [] })).toEqual({ auth: null, source: 'none' });
  });
});
