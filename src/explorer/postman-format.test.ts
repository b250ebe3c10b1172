import sdk from 'postman-collection';
import { describe, expect, it } from 'vitest';
import { buildCollection, COLLECTION_SCHEMA_URL, type SandboxFacts } from '../postman/collection.js';
import { authToV21, exportEnvironment, FormatError, normalizeCollection, normalizeEnvironment, schemaVersion } from './postman-format.js';

const facts: SandboxFacts = {
  baseUrl: 'http://127.0.0.1:4000',
  appName: 'My App',
  companyId: 4000001,
  projectId: 4000002,
  drawingAreaId: 4000010,
  imageCategoryId: 4000020,
  clientId: 'cid',
  clientSecret: 'csecret',
  collectionId: '11111111-2222-8333-8444-555555555555',
  environmentId: '11111111-2222-8333-8444-666666666666',
};

/** Every oauth2 key Postman writes (docs/explorer.md, from postman-runtime and real exports). */
const OAUTH2_FULL = [
  { key: 'grant_type', value: 'authorization_code_with_pkce', type: 'string' },
  { key: 'authUrl', value: '{{base_url}}/oauth/authorize', type: 'string' },
  { key: 'accessTokenUrl', value: '{{base_url}}/oauth/token', type: 'string' },
  { key: 'refreshTokenUrl', value: '{{base_url}}/oauth/token', type: 'string' },
  { key: 'clientId', value: '{{client_id}}', type: 'string' },
  { key: 'clientSecret', value: '{{client_secret}}', type: 'string' },
  { key: 'scope', value: 'read write', type: 'string' },
  { key: 'state', value: 'xyz', type: 'string' },
  { key: 'redirect_uri', value: 'https://oauth.pstmn.io/v1/callback', type: 'string' },
  { key: 'useBrowser', value: true, type: 'boolean' },
  { key: 'challengeAlgorithm', value: 'S256', type: 'string' },
  { key: 'code_verifier', value: 'a'.repeat(43), type: 'string' },
  { key: 'client_authentication', value: 'body', type: 'string' },
  { key: 'addTokenTo', value: 'queryParams', type: 'string' },
  { key: 'headerPrefix', value: 'Token', type: 'string' },
  { key: 'tokenType', value: 'Bearer', type: 'string' },
  { key: 'tokenName', value: 'Procore sandbox', type: 'string' },
  { key: 'username', value: 'u', type: 'string' },
  { key: 'password', value: 'p', type: 'string' },
  { key: 'authRequestParams', value: [{ key: 'audience', value: 'api', enabled: true, send_as: 'request_url' }], type: 'any' },
  { key: 'tokenRequestParams', value: [{ key: 'resource', value: 'x', enabled: false, send_as: 'request_body' }], type: 'any' },
  { key: 'refreshRequestParams', value: [{ key: 'h', value: 'v', enabled: true, send_as: 'request_header' }], type: 'any' },
  { key: 'accessToken', value: '{{access_token}}', type: 'string' },
];

describe('collections: v2.1 kept as is (lossless)', () => {
  it('the sandbox collection round-trips unchanged', () => {
    const c = buildCollection(facts);
    const json = JSON.parse(JSON.stringify(c));
    expect(normalizeCollection(json)).toEqual(json);
  });

  it('keeps every oauth2 key, value and type, unknown fields, scripts, saved responses and nested folder auth', () => {
    const input = {
      info: {
        _postman_id: 'abc',
        name: 'Full',
        schema: COLLECTION_SCHEMA_URL,
        description: { content: 'd', type: 'text/markdown' },
        x_custom: 1,
      },
      auth: { type: 'oauth2', oauth2: OAUTH2_FULL },
      event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: ['pm.environment.set("a", 1)'], packages: {} } }],
      variable: [{ key: 'base_url', value: 'http://x', type: 'string' }],
      protocolProfileBehavior: { disableBodyPruning: true },
      item: [
        {
          name: 'Folder',
          auth: { type: 'bearer', bearer: [{ key: 'token', value: 't', type: 'string' }] },
          item: [
            {
              name: 'Req',
              request: { method: 'PROPFIND', header: [{ key: 'A', value: 'b', disabled: true }], url: 'https://api.procore.com/x' },
              response: [
                {
                  name: 'ex',
                  originalRequest: { method: 'GET', url: 'https://api.procore.com/x' },
                  code: 200,
                  body: '{}',
                  _postman_previewlanguage: 'json',
                },
              ],
            },
          ],
        },
      ],
    };
    const out = normalizeCollection(input);
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
  });

  it('sets info.schema to the exact v2.1.0 URL for the postman.com spelling', () => {
    const out = normalizeCollection({
      info: { name: 'x', schema: 'https://schema.postman.com/collection/json/v2.1.0/draft-07/collection.json' },
      item: [],
    });
    expect((out['info'] as { schema: string }).schema).toBe(COLLECTION_SCHEMA_URL);
  });

  it('unwraps the Postman API form {"collection": …}', () => {
    const c = buildCollection(facts);
    expect(normalizeCollection({ collection: c })).toEqual(JSON.parse(JSON.stringify(c)));
  });
});

describe('collections: v2.0 → v2.1', () => {
  const v20 = {
    info: { _postman_id: 'id-20', name: 'Old', schema: 'https://schema.getpostman.com/json/collection/v2.0.0/collection.json' },
    auth: {
      type: 'oauth2',
      oauth2: { accessToken: '{{access_token}}', addTokenTo: 'header', useBrowser: false, grant_type: 'authorization_code' },
    },
    item: [
      {
        name: 'F',
        auth: { type: 'basic', basic: { username: 'u', password: 'p' } },
        item: [
          {
            name: 'R',
            request: { url: 'https://api.procore.com/rest/v1.0/me', method: 'GET', auth: { type: 'bearer', bearer: { token: 'abc' } } },
            response: [
              {
                name: 'saved',
                originalRequest: {
                  url: 'https://api.procore.com/x',
                  method: 'GET',
                  auth: { type: 'apikey', apikey: { key: 'k', value: 'v' } },
                },
              },
            ],
          },
          { name: 'Inherit', request: { url: 'https://api.procore.com/a', method: 'GET' } },
          { name: 'Off', request: { url: 'https://api.procore.com/b', method: 'GET', auth: { type: 'noauth' } } },
        ],
      },
    ],
  };

  it('converts every auth block to attribute lists and keeps everything else', () => {
    const out = normalizeCollection(v20) as typeof v20 & Record<string, unknown>;
    expect(schemaVersion(v20.info.schema)).toBe('2.0');
    expect(out.info).toEqual({ ...v20.info, schema: COLLECTION_SCHEMA_URL });
    expect(out.auth).toEqual({
      type: 'oauth2',
      oauth2: [
        { key: 'accessToken', value: '{{access_token}}', type: 'string' },
        { key: 'addTokenTo', value: 'header', type: 'string' },
        { key: 'useBrowser', value: false, type: 'boolean' },
        { key: 'grant_type', value: 'authorization_code', type: 'string' },
      ],
    });
    const folder = out.item[0]!;
    expect(folder.auth).toEqual({
      type: 'basic',
      basic: [
        { key: 'username', value: 'u', type: 'string' },
        { key: 'password', value: 'p', type: 'string' },
      ],
    });
    expect(folder.item[0]!.request.auth).toEqual({ type: 'bearer', bearer: [{ key: 'token', value: 'abc', type: 'string' }] });
    expect(folder.item[0]!.response![0]!.originalRequest.auth).toEqual({
      type: 'apikey',
      apikey: [
        { key: 'key', value: 'k', type: 'string' },
        { key: 'value', value: 'v', type: 'string' },
      ],
    });
    expect(folder.item[1]!.request).toEqual(v20.item[0]!.item[1]!.request);
    expect(folder.item[2]!.request.auth).toEqual({ type: 'noauth' });
    // The input is not changed.
    expect(v20.auth.oauth2).toEqual({
      accessToken: '{{access_token}}',
      addTokenTo: 'header',
      useBrowser: false,
      grant_type: 'authorization_code',
    });
  });

  it('Postman’s SDK reads the converted collection as it reads the v2.0 one (inherited auth included)', () => {
    const out = normalizeCollection(v20);
    const a = new sdk.Collection(v20 as never);
    const b = new sdk.Collection(out as never);
    const authOf = (c: InstanceType<typeof sdk.Collection>, name: string) => {
      const item = c.oneDeep(name) as InstanceType<typeof sdk.Item>;
      const auth = item.getAuth();
      return auth ? { type: auth.type, params: auth.parameters().toObject() } : null;
    };
    for (const name of ['R', 'Inherit', 'Off']) expect(authOf(b, name), name).toEqual(authOf(a, name));
    expect(authOf(b, 'Inherit')).toEqual({ type: 'basic', params: { username: 'u', password: 'p' } });
    expect(authToV21({ type: 'noauth' })).toEqual({ type: 'noauth' });
  });
});

describe('collections: refused', () => {
  const refuse = (value: unknown, message: RegExp) => expect(() => normalizeCollection(value)).toThrow(message);
  it('names what is wrong', () => {
    refuse('text', /JSON object/);
    refuse({ name: 'v1', requests: [], order: [] }, /v1 files are not supported/);
    refuse({ item: [] }, /info is missing/);
    refuse({ info: { name: 'x', schema: 'https://example.com/other.json' }, item: [] }, /Unsupported collection schema/);
    refuse({ info: { name: 'x', schema: COLLECTION_SCHEMA_URL }, item: {} }, /item must be a list/);
    refuse({ info: { schema: COLLECTION_SCHEMA_URL }, item: [] }, /info.*name/);
    refuse({ info: { name: 'x', schema: COLLECTION_SCHEMA_URL }, auth: { type: 'nope' }, item: [] }, /Not a Postman v2.1 collection/);
    let deep: Record<string, unknown> = { name: 'leaf', request: 'https://x' };
    for (let i = 0; i < 40; i++) deep = { name: `f${i}`, item: [deep] };
    refuse({ info: { name: 'x', schema: COLLECTION_SCHEMA_URL }, item: [deep] }, /nested deeper/);
    expect(() => normalizeCollection({})).toThrow(FormatError);
  });
});

describe('environments', () => {
  it('reads Postman files (old `text` type, wrapped forms, globals) and exports without current values', () => {
    const env = normalizeEnvironment({
      environment: {
        name: 'E',
        values: [
          { key: 'a', value: '1', type: 'text' },
          { key: 's', value: 'x', type: 'secret', enabled: false },
          { key: 'n', value: 5 },
        ],
      },
    });
    expect(env).toEqual({
      scope: 'environment',
      data: {
        name: 'E',
        values: [
          { key: 'a', value: '1', type: 'default', enabled: true },
          { key: 's', value: 'x', type: 'secret', enabled: false },
          { key: 'n', value: '5', type: 'default', enabled: true },
        ],
        current: {},
      },
    });
    expect(normalizeEnvironment({ name: 'G', values: [], _postman_variable_scope: 'globals' }).scope).toBe('globals');
    expect(normalizeEnvironment({ globals: { values: [] } }).scope).toBe('globals');
    expect(() => normalizeEnvironment({ values: [{ value: 'no key' }] })).toThrow(/key/);
    const file = exportEnvironment(
      { id: 'id1', name: 'E', data: { ...env.data, current: { a: 'secret current' } } },
      'environment',
      '2026-01-01T00:00:00.000Z',
    );
    expect(file).toEqual({
      id: 'id1',
      name: 'E',
      values: [
        { key: 'a', value: '1', type: 'default', enabled: true },
        { key: 's', value: '', type: 'secret', enabled: false },
        { key: 'n', value: '5', type: 'default', enabled: true },
      ],
      _postman_variable_scope: 'environment',
      _postman_exported_at: '2026-01-01T00:00:00.000Z',
      _postman_exported_using: 'procore-sandbox explorer',
    });
    expect(JSON.stringify(file)).not.toContain('secret current');
    expect(
      (exportEnvironment({ id: 'i', name: 'E', data: env.data }, 'environment', 'now', true)['values'] as { value: string }[])[1]!.value,
    ).toBe('x');
  });
});
