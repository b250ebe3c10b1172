import { Ajv } from 'ajv';
import { Collection, Url, VariableScope } from 'postman-collection';
import { describe, expect, it } from 'vitest';
import {
  buildCollection,
  buildEnvironment,
  COLLECTION_SCHEMA_URL,
  REST_FOLDER_NAME,
  VAPID_FOLDER_NAME,
  uuidFromSeed,
  type SandboxFacts,
} from './collection.js';
import { POSTMAN_COLLECTION_V210_SCHEMA } from './collection-schema.js';

const facts: SandboxFacts = {
  baseUrl: 'http://127.0.0.1:4000',
  appName: 'My <Sandbox> App',
  companyId: 1000000,
  projectId: 1000009,
  drawingAreaId: 1000050,
  imageCategoryId: 1000040,
  clientId: 'client-id',
  clientSecret: 'client-secret',
  collectionId: uuidFromSeed('c'),
  environmentId: uuidFromSeed('e'),
};

/** product.md §3.6, verbatim. */
const EXPECTED_VAPID = [
  ['List Projects', '/vapid/projects?company_id={{company_id}}'],
  ['List Project Users', '/vapid/projects/{{project_id}}/users'],
  ['List Project Folders and Files', '/vapid/folders?project_id={{project_id}}'],
  ['List Drawing Areas', '/vapid/projects/{{project_id}}/drawing_areas'],
  ['List Drawings', '/vapid/drawing_areas/{{drawing_areas}}/drawings'],
  ['List Image Categories', '/vapid/image_categories?project_id={{project_id}}'],
  ['List Images', '/vapid/images?project_id={{project_id}}&image_category_id={{image_category_id}}'],
  ['List RFIs', '/vapid/projects/{{project_id}}/rfis'],
  ['List Calendar Events', '/vapid/calendar_events?project_id={{project_id}}'],
  ['List Submittals', '/vapid/projects/{{project_id}}/submittals'],
  ['Get Me', '/vapid/me'],
];

describe('postman collection builder', () => {
  const json = buildCollection(facts);

  it('is v2.1.0 with the exact schema URL and a stable UUID id', () => {
    expect(json.info.schema).toBe(COLLECTION_SCHEMA_URL);
    expect(json.info.schema).toBe('https://schema.getpostman.com/json/collection/v2.1.0/collection.json');
    expect(json.info.name).toBe('Procore Sandbox Test Project');
    expect(json.info._postman_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(buildCollection(facts)).toEqual(json);
  });

  it('validates against the v2.1.0 JSON schema (reduced draft-07 copy)', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(POSTMAN_COLLECTION_V210_SCHEMA);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    // The schema is not a rubber stamp.
    expect(validate({ info: { name: 'x' }, item: [] })).toBe(false);
    expect(validate({ ...json, auth: { type: 'oauth2', oauth2: { accessToken: 'x' } } })).toBe(false);
  });

  it('holds the 11 /vapid requests, named and addressed as product.md lists them', () => {
    const vapid = json.item.find((f) => f.name === VAPID_FOLDER_NAME)!;
    expect(vapid.item.map((i) => [i.name, i.request.url.raw.replace('{{base_url}}', '')])).toEqual(EXPECTED_VAPID);
    for (const i of vapid.item) expect(i.request.header).toEqual([]);
  });

  it('has a second folder with the /rest/v1.0 twins carrying Procore-Company-Id', () => {
    const rest = json.item.find((f) => f.name === REST_FOLDER_NAME)!;
    expect(rest.item.map((i) => [i.name, i.request.url.raw.replace('{{base_url}}', '')])).toEqual(
      EXPECTED_VAPID.map(([n, u]) => [n, u!.replace('/vapid/', '/rest/v1.0/')]),
    );
    for (const i of rest.item)
      expect(i.request.header).toContainEqual(expect.objectContaining({ key: 'Procore-Company-Id', value: '{{company_id}}' }));
  });

  it('puts OAuth 2.0 on the collection, pre-filled for this server; requests inherit it', () => {
    const attrs = Object.fromEntries(json.auth.oauth2.map((a) => [a.key, a.value]));
    expect(json.auth.type).toBe('oauth2');
    expect(attrs).toMatchObject({
      grant_type: 'authorization_code',
      authUrl: 'http://127.0.0.1:4000/oauth/authorize',
      accessTokenUrl: 'http://127.0.0.1:4000/oauth/token',
      refreshTokenUrl: 'http://127.0.0.1:4000/oauth/token',
      clientId: '{{client_id}}',
      clientSecret: '{{client_secret}}',
      redirect_uri: 'http://localhost',
      client_authentication: 'header',
      addTokenTo: 'header',
      headerPrefix: 'Bearer',
      accessToken: '{{access_token}}',
    });
    expect(typeof attrs['tokenName']).toBe('string');
    for (const a of json.auth.oauth2) expect(a.type).toBe(typeof a.value === 'boolean' ? 'boolean' : 'string');
    for (const folder of json.item) {
      expect(folder).not.toHaveProperty('auth');
      for (const item of folder.item) expect(item.request).not.toHaveProperty('auth');
    }
  });

  it('parses with postman-collection and round-trips toJSON() with the same meaning', () => {
    const sdk = new Collection(json as never);
    const back = sdk.toJSON() as unknown as typeof json;
    expect(back.info._postman_id).toBe(json.info._postman_id);
    expect(back.info.name).toBe(json.info.name);
    const items: { folder: string; name: string; url: string; headers: Record<string, string>; authType: string | undefined }[] = [];
    sdk.forEachItem((item) => {
      const parent = item.parent() as unknown as { name: string };
      items.push({
        folder: parent.name,
        name: item.name,
        url: item.request.url.toString(),
        headers: item.request.headers.toObject() as Record<string, string>,
        authType: item.getAuth()?.type,
      });
    });
    expect(items).toHaveLength(22);
    for (const i of items) expect(i.authType).toBe('oauth2'); // inherited from the collection
    const expected = json.item.flatMap((f) => f.item.map((i) => ({ folder: f.name, name: i.name, url: i.request.url.raw })));
    expect(items.map(({ folder, name, url }) => ({ folder, name, url }))).toEqual(expected);
    // A second pass through the SDK changes nothing.
    expect(new Collection(back as never).toJSON()).toEqual(back);
    const backAuth = Object.fromEntries((back.auth.oauth2 as { key: string; value: unknown }[]).map((a) => [a.key, a.value]));
    expect(backAuth).toEqual(Object.fromEntries(json.auth.oauth2.map((a) => [a.key, a.value])));
    expect(back.event.map((e) => e.listen)).toEqual(['prerequest', 'test']);
    expect(back.event.map((e) => e.script.exec)).toEqual(json.event.map((e) => e.script.exec));
  });

  it('resolves every URL with the environment to real numbers', () => {
    const env = buildEnvironment(facts, '2026-11-27T10:00:00.000Z');
    // replaceIn exists at runtime but is missing from @types/postman-collection 3.5.
    const scope = new VariableScope({ values: env.values } as never) as unknown as { replaceIn(s: string): string };
    const urls = json.item.flatMap((f) => f.item.map((i) => scope.replaceIn(new Url(i.request.url as never).toString())));
    for (const u of urls) {
      expect(u).not.toContain('{{');
      expect(u.startsWith('http://127.0.0.1:4000/')).toBe(true);
    }
    expect(urls).toContain('http://127.0.0.1:4000/vapid/drawing_areas/1000050/drawings');
    expect(urls).toContain('http://127.0.0.1:4000/rest/v1.0/images?project_id=1000009&image_category_id=1000040');
  });

  it('ships a 2xx status test and a client-credentials token script', () => {
    const test = json.event.find((e) => e.listen === 'test')!;
    expect(test.script.exec.join('\n')).toContain("pm.test('status is 2xx'");
    const pre = json.event.find((e) => e.listen === 'prerequest')!.script.exec.join('\n');
    expect(pre).toContain("value: 'client_credentials'");
    expect(() => new Function('pm', 'console', pre)).not.toThrow(); // syntactically valid
  });
});

describe('postman environment builder', () => {
  const env = buildEnvironment(facts, '2026-11-27T10:00:00.000Z');

  it('carries the sandbox ids, base_url and credentials (secret typed)', () => {
    const byKey = Object.fromEntries(env.values.map((v) => [v.key, v]));
    expect(env._postman_variable_scope).toBe('environment');
    expect(env.id).toBe(facts.environmentId);
    expect(byKey['company_id']?.value).toBe('1000000');
    expect(byKey['project_id']?.value).toBe('1000009');
    expect(byKey['drawing_areas']?.value).toBe('1000050');
    expect(byKey['image_category_id']?.value).toBe('1000040');
    expect(byKey['base_url']?.value).toBe('http://127.0.0.1:4000');
    expect(byKey['client_id']).toMatchObject({ value: 'client-id', type: 'default' });
    expect(byKey['client_secret']).toMatchObject({ value: 'client-secret', type: 'secret' });
    expect(byKey['access_token']?.value).toBe('');
    for (const v of env.values) expect(v.enabled).toBe(true);
  });
});
