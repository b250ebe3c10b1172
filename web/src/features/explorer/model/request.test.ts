import { Collection, Property, VariableList, type Item } from 'postman-collection';
import { describe, expect, it } from 'vitest';
import { buildCollection, buildEnvironment, type SandboxFacts } from '../../../../../src/postman/collection.js';
import { duplicateItem, findItem, moveItem, renameItem, requestsOf, testScriptsFor, withIds } from './collection.js';
import { draftFromRequest, requestFromDraft, resolveDraft } from './request.js';
import type { EnvironmentData, PostmanCollection, PostmanRequest } from './types.js';
import { resolveAuth, resolveString, scopesFor } from './variables.js';
import { upgradeWorkspace } from './workspace.js';

const facts: SandboxFacts = {
  baseUrl: 'http://127.0.0.1:4000',
  appName: 'App',
  companyId: 11,
  projectId: 22,
  drawingAreaId: 33,
  imageCategoryId: 44,
  clientId: 'cid',
  clientSecret: 'csecret',
  collectionId: '00000000-0000-4000-8000-000000000001',
  environmentId: '00000000-0000-4000-8000-000000000002',
};
const collection = buildCollection(facts) as unknown as PostmanCollection;
const env = { ...buildEnvironment(facts, '2026-01-01T00:00:00Z'), current: {} } as unknown as EnvironmentData;
const listRfis = requestsOf(collection.item).find((r) => r.item.name === 'List RFIs' && r.path[0]!.startsWith('REST'))!.item;

describe('variable precedence: global < collection < environment < local', () => {
  const globals: EnvironmentData = {
    name: 'g',
    values: [
      { key: 'project_id', value: 'G', type: 'default', enabled: true },
      { key: 'only_global', value: 'og', type: 'default', enabled: true },
    ],
    current: {},
  };
  it('narrowest scope wins and names its source', () => {
    const envWith = { ...env, current: { project_id: '99' } };
    const scopes = scopesFor({ globals, collection, environment: envWith, local: { company_id: 'L' } });
    const r = resolveString('{{base_url}}/{{company_id}}/{{project_id}}/{{only_global}}/{{nope}}', scopes);
    expect(r.value).toBe('http://127.0.0.1:4000/L/99/og/{{nope}}');
    expect(r.refs.map((x) => [x.name, x.scope])).toEqual([
      ['base_url', 'environment'],
      ['company_id', 'local'],
      ['project_id', 'environment'],
      ['only_global', 'global'],
      ['nope', null],
    ]);
    // Without the environment, the collection's fallbacks answer, then globals.
    const noEnv = resolveString('{{project_id}}', scopesFor({ globals, collection }));
    expect(noEnv).toMatchObject({ value: '22', refs: [{ scope: 'collection' }] });
  });

  it('agrees with the postman-collection SDK (leftmost scope wins)', () => {
    const scopes = scopesFor({ globals, collection, environment: env });
    const text = '{{base_url}}/rest/v1.0/projects/{{project_id}}?g={{only_global}}';
    const list = (values: { key: string; value: string }[]) =>
      new VariableList(undefined as never, values.map(({ key, value }) => ({ key, value })) as never);
    const expected = Property.replaceSubstitutions(text, [list(env.values), list(collection.variable ?? []), list(globals.values)]);
    expect(expected).toBe('http://127.0.0.1:4000/rest/v1.0/projects/22?g=og');
    expect(resolveString(text, scopes).value).toBe(expected);
  });
});

describe('draft ⇄ Postman request and sending', () => {
  it('round-trips a saved request', () => {
    const request = listRfis.request as PostmanRequest;
    const draft = draftFromRequest(request);
    expect(draft).toMatchObject({ method: 'GET', url: '{{base_url}}/rest/v1.0/projects/{{project_id}}/rfis', auth: null });
    expect(draft.headers).toEqual([{ key: 'Procore-Company-Id', value: '{{company_id}}', enabled: true }]);
    const back = requestFromDraft(draft, request);
    expect(back.url).toMatchObject({ raw: '{{base_url}}/rest/v1.0/projects/{{project_id}}/rfis', host: ['{{base_url}}'] });
    expect(draftFromRequest(back)).toEqual(draft);
  });

  it("resolves variables and signs with the collection's inherited OAuth 2.0 token", () => {
    const withToken = { ...env, current: { access_token: 'TOKEN123' } };
    const scopes = scopesFor({ collection, environment: withToken });
    const inherited = resolveAuth(collection as never, listRfis.id);
    expect(inherited.source).toBe('collection');
    const draft = draftFromRequest(listRfis.request as PostmanRequest);
    const out = resolveDraft(draft, scopes, inherited as never);
    expect(out.send).toEqual({
      method: 'GET',
      url: 'http://127.0.0.1:4000/rest/v1.0/projects/22/rfis',
      headers: [
        ['Procore-Company-Id', '11'],
        ['Authorization', 'Bearer TOKEN123'],
      ],
    });
    expect(out.authNote).toBe('OAuth 2.0 access token (collection)');
    // The SDK agrees the request inherits the collection's oauth2 auth.
    const sdkItem = new Collection(collection as never).oneDeep(listRfis.id!) as Item;
    expect(sdkItem.getAuth()?.type).toBe('oauth2');
    // Masked for a snippet: no token, secret variables kept as {{name}}.
    const masked = resolveDraft(draft, scopes, inherited as never, { mask: true, secretNames: ['access_token'] });
    expect(JSON.stringify(masked.send)).not.toContain('TOKEN123');
    // No token: nothing signed (postman-runtime does nothing with an empty accessToken).
    const none = resolveDraft(draft, scopesFor({ collection, environment: env }), inherited as never);
    expect(none.send.headers.some(([k]) => k === 'Authorization')).toBe(false);
    // noauth on the request wins over the collection.
    const noauth = resolveDraft({ ...draft, auth: { type: 'noauth' } }, scopes, inherited as never);
    expect(noauth.authNote).toBeNull();
  });

  it('sends JSON, urlencoded and form-data bodies', () => {
    const draft = { ...draftFromRequest(undefined), method: 'POST' };
    const raw = resolveDraft({ ...draft, body: { ...draft.body, mode: 'raw', raw: '{"rfi":{"subject":"{{s}}"}}' } }, [
      { scope: 'local', values: { s: 'Hi' } },
    ]);
    expect(raw.send.body).toEqual({ mode: 'raw', raw: '{"rfi":{"subject":"Hi"}}' });
    expect(raw.send.headers).toContainEqual(['Content-Type', 'application/json']);
    const form = resolveDraft(
      {
        ...draft,
        body: {
          ...draft.body,
          mode: 'urlencoded',
          urlencoded: [
            { key: 'a', value: '1', enabled: true },
            { key: 'b', value: '2', enabled: false },
          ],
        },
      },
      [],
    );
    expect(form.send.body).toEqual({ mode: 'urlencoded', urlencoded: [['a', '1']] });
  });
});

describe('collection edits', () => {
  it('renames, duplicates, reorders and finds test scripts', () => {
    const c = withIds(collection);
    const folder = c.item[1]!;
    const first = folder.item![0]!;
    const renamed = renameItem(c, first.id!, 'Projects!');
    expect(findItem(renamed.item, first.id!)!.name).toBe('Projects!');
    const dup = duplicateItem(c, first.id!);
    expect(dup.item[1]!.item!.length).toBe(folder.item!.length + 1);
    expect(dup.item[1]!.item![1]!.name).toBe(`${first.name} copy`);
    expect(dup.item[1]!.item![1]!.id).not.toBe(first.id);
    const moved = moveItem(c, first.id!, 1);
    expect(moved.item[1]!.item![1]!.id).toBe(first.id);
    expect(testScriptsFor(c, first.id!)[0]).toContain('pm.expect(pm.response.code).to.be.within(200, 299)');
  });
});

describe('workspace records upgrade', () => {
  it('upgrades v1 to v2 and refuses the future', () => {
    expect(upgradeWorkspace({ v: 1, env: 'e1', collectionId: 'c' })).toEqual({ v: 2, environmentId: 'e1', collectionId: 'c', open: null });
    expect(upgradeWorkspace({ v: 9, environmentId: 'x' }).environmentId).toBeNull();
    expect(upgradeWorkspace('junk').v).toBe(2);
  });
});
