/**
 * Builders for the "Procore Sandbox Test Project" collection (Postman Collection Format
 * v2.1.0) and its environment. Pure functions: sandbox facts in, JSON out.
 *
 * @example
 * const collection = buildCollection(facts); // serve as application/json
 * const environment = buildEnvironment(facts, new Date().toISOString());
 */
import { createHash } from 'node:crypto';

export const COLLECTION_SCHEMA_URL = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
export const COLLECTION_NAME = 'Procore Sandbox Test Project';
export const VAPID_FOLDER_NAME = 'Legacy API (/vapid)';
export const REST_FOLDER_NAME = 'REST API v1.0 (/rest/v1.0)';

/** What the builders need to know about one sandbox. */
export interface SandboxFacts {
  /** Origin of this server as the client sees it, e.g. `http://127.0.0.1:4000` (no trailing slash). */
  baseUrl: string;
  appName: string;
  companyId: number;
  projectId: number;
  drawingAreaId: number;
  imageCategoryId: number;
  /** The app's sandbox credentials. */
  clientId: string;
  clientSecret: string;
  /** Stable `_postman_id` of the collection (a UUID). */
  collectionId: string;
  /** Stable `id` of the environment (a UUID). */
  environmentId: string;
}

/** One of the eleven requests of Procore's sandbox collection. */
interface SandboxRequest {
  name: string;
  /** Path segments after `/vapid` or `/rest/v1.0`. */
  path: string[];
  query: [string, string][];
  description: string;
}

/** The eleven requests, named and addressed as in Procore's own Sandbox Test Project collection. */
export const SANDBOX_REQUESTS: readonly SandboxRequest[] = [
  { name: 'List Projects', path: ['projects'], query: [['company_id', '{{company_id}}']], description: 'Projects of the sandbox company.' },
  {
    name: 'List Project Users',
    path: ['projects', '{{project_id}}', 'users'],
    query: [],
    description: 'The Project Directory of the Sandbox Test Project.',
  },
  {
    name: 'List Project Folders and Files',
    path: ['folders'],
    query: [['project_id', '{{project_id}}']],
    description: 'The root folder of the project Documents, with its folders and files.',
  },
  {
    name: 'List Drawing Areas',
    path: ['projects', '{{project_id}}', 'drawing_areas'],
    query: [],
    description: 'Drawing areas of the project.',
  },
  {
    name: 'List Drawings',
    path: ['drawing_areas', '{{drawing_areas}}', 'drawings'],
    query: [],
    description: 'Drawings of the drawing area, with their current revisions.',
  },
  {
    name: 'List Image Categories',
    path: ['image_categories'],
    query: [['project_id', '{{project_id}}']],
    description: 'Photo albums of the project.',
  },
  {
    name: 'List Images',
    path: ['images'],
    query: [
      ['project_id', '{{project_id}}'],
      ['image_category_id', '{{image_category_id}}'],
    ],
    description: 'Images of the photo album.',
  },
  { name: 'List RFIs', path: ['projects', '{{project_id}}', 'rfis'], query: [], description: 'RFIs of the project.' },
  {
    name: 'List Calendar Events',
    path: ['calendar_events'],
    query: [['project_id', '{{project_id}}']],
    description: 'Calendar events derived from the project schedule.',
  },
  { name: 'List Submittals', path: ['projects', '{{project_id}}', 'submittals'], query: [], description: 'Submittals of the project.' },
  { name: 'Get Me', path: ['me'], query: [], description: 'The user the access token belongs to.' },
];

/** Postman's `{key, value, type}` attribute (v2.1 auth parameters). */
interface AuthAttribute {
  key: string;
  value: string | boolean;
  type: 'string' | 'boolean';
}

interface Variable {
  key: string;
  value: string;
  type: 'string';
  description?: string;
}

export interface PostmanUrl {
  raw: string;
  host: string[];
  path: string[];
  query?: { key: string; value: string }[];
}

export interface PostmanRequestItem {
  id: string;
  name: string;
  request: {
    method: string;
    header: { key: string; value: string; type?: string }[];
    url: PostmanUrl;
    description: string;
  };
  response: never[];
}

export interface PostmanFolder {
  id: string;
  name: string;
  description: string;
  item: PostmanRequestItem[];
}

export interface PostmanEvent {
  listen: 'prerequest' | 'test';
  script: { type: 'text/javascript'; exec: string[] };
}

export interface PostmanCollection {
  info: { _postman_id: string; name: string; description: string; schema: string };
  item: PostmanFolder[];
  auth: { type: 'oauth2'; oauth2: AuthAttribute[] };
  event: PostmanEvent[];
  variable: Variable[];
}

export interface PostmanEnvironment {
  id: string;
  name: string;
  values: { key: string; value: string; type: 'default' | 'secret'; enabled: boolean }[];
  _postman_variable_scope: 'environment';
  _postman_exported_at: string;
  _postman_exported_using: string;
}

/** A UUID (version 8, RFC 9562 "custom") derived from a seed: stable across exports. */
export function uuidFromSeed(seed: string): string {
  const b = createHash('sha256').update(seed).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function buildUrl(prefix: string[], request: SandboxRequest): PostmanUrl {
  const path = [...prefix, ...request.path];
  const qs = request.query.map(([k, v]) => `${k}=${v}`).join('&');
  const url: PostmanUrl = { raw: `{{base_url}}/${path.join('/')}${qs ? `?${qs}` : ''}`, host: ['{{base_url}}'], path };
  if (request.query.length > 0) url.query = request.query.map(([key, value]) => ({ key, value }));
  return url;
}

function buildFolder(collectionId: string, api: 'vapid' | 'rest'): PostmanFolder {
  const prefix = api === 'vapid' ? ['vapid'] : ['rest', 'v1.0'];
  return {
    id: uuidFromSeed(`${collectionId}:folder:${api}`),
    name: api === 'vapid' ? VAPID_FOLDER_NAME : REST_FOLDER_NAME,
    description:
      api === 'vapid'
        ? 'The legacy /vapid namespace of the 2017 Sandbox Test Project collection. /vapid predates the Procore-Company-Id header.'
        : 'The same requests on /rest/v1.0, with the Procore-Company-Id header that the current API requires.',
    item: SANDBOX_REQUESTS.map((r) => ({
      id: uuidFromSeed(`${collectionId}:${api}:${r.name}`),
      name: r.name,
      request: {
        method: 'GET',
        header: api === 'rest' ? [{ key: 'Procore-Company-Id', value: '{{company_id}}', type: 'text' }] : [],
        url: buildUrl(prefix, r),
        description: r.description,
      },
      response: [],
    })),
  };
}

/**
 * Collection-level pre-request script: when no `access_token` is set (Newman, CI), fetch one
 * with the client-credentials grant and keep it in the environment until shortly before it
 * expires. A token passed in (`--env-var access_token=…`) or obtained with "Get New Access
 * Token" is left alone.
 */
const PREREQUEST_SCRIPT = [
  '// Procore sandbox: without an access_token (Newman, CI), get one with the client-credentials',
  '// grant (the sandbox service account). "Get New Access Token" in Postman replaces it.',
  "const currentToken = pm.variables.get('access_token');",
  "const tokenExpiresAt = Number(pm.environment.get('access_token_expires_at') || 0);",
  'const tokenIsFresh = currentToken && (!tokenExpiresAt || Date.now() < tokenExpiresAt - 60000);',
  "const clientId = pm.variables.get('client_id');",
  "const clientSecret = pm.variables.get('client_secret');",
  'if (!tokenIsFresh && clientId && clientSecret) {',
  '  pm.sendRequest({',
  "    url: pm.variables.replaceIn('{{base_url}}/oauth/token'),",
  "    method: 'POST',",
  '    body: {',
  "      mode: 'urlencoded',",
  '      urlencoded: [',
  "        { key: 'grant_type', value: 'client_credentials' },",
  "        { key: 'client_id', value: clientId },",
  "        { key: 'client_secret', value: clientSecret }",
  '      ]',
  '    }',
  '  }, function (err, res) {',
  '    if (err || res.code !== 200) {',
  "      console.warn('procore-sandbox: client-credentials token request failed', err || res.code);",
  '      return;',
  '    }',
  '    const body = res.json();',
  "    pm.environment.set('access_token', body.access_token);",
  "    pm.environment.set('access_token_expires_at', String(Date.now() + body.expires_in * 1000));",
  '  });',
  '}',
];

const TEST_SCRIPT = ["pm.test('status is 2xx', function () {", '  pm.expect(pm.response.code).to.be.within(200, 299);', '});'];

export function buildCollection(facts: SandboxFacts): PostmanCollection {
  const oauth2: [string, string | boolean][] = [
    ['grant_type', 'authorization_code'],
    ['authUrl', `${facts.baseUrl}/oauth/authorize`],
    ['accessTokenUrl', `${facts.baseUrl}/oauth/token`],
    ['refreshTokenUrl', `${facts.baseUrl}/oauth/token`],
    ['clientId', '{{client_id}}'],
    ['clientSecret', '{{client_secret}}'],
    ['redirect_uri', 'http://localhost'],
    ['useBrowser', false],
    ['client_authentication', 'header'],
    ['addTokenTo', 'header'],
    ['headerPrefix', 'Bearer'],
    ['tokenName', `Procore sandbox (emulated) - ${facts.appName}`],
    ['accessToken', '{{access_token}}'],
  ];
  return {
    info: {
      _postman_id: facts.collectionId,
      name: COLLECTION_NAME,
      description:
        `Requests against the seeded "1234 - Sandbox Test Project" of the app "${facts.appName}" on a local procore-sandbox server (${facts.baseUrl}).\n\n` +
        'Import the matching environment too. In Postman, use Authorization → Get New Access Token (authorization code, callback http://localhost) ' +
        'and sign in as a seeded user. With Newman, pass a token (`--env-var access_token=…`) or let the collection fetch a client-credentials token.',
      schema: COLLECTION_SCHEMA_URL,
    },
    item: [buildFolder(facts.collectionId, 'vapid'), buildFolder(facts.collectionId, 'rest')],
    auth: {
      type: 'oauth2',
      oauth2: oauth2.map(([key, value]) => ({ key, value, type: typeof value === 'boolean' ? 'boolean' : 'string' })),
    },
    event: [
      { listen: 'prerequest', script: { type: 'text/javascript', exec: PREREQUEST_SCRIPT } },
      { listen: 'test', script: { type: 'text/javascript', exec: TEST_SCRIPT } },
    ],
    // Fallbacks for when the collection is imported without its environment (environment wins).
    variable: [
      { key: 'base_url', value: facts.baseUrl, type: 'string' },
      { key: 'company_id', value: String(facts.companyId), type: 'string' },
      { key: 'project_id', value: String(facts.projectId), type: 'string' },
      { key: 'drawing_areas', value: String(facts.drawingAreaId), type: 'string' },
      { key: 'image_category_id', value: String(facts.imageCategoryId), type: 'string' },
    ],
  };
}

export function buildEnvironment(facts: SandboxFacts, exportedAt: string, exportedUsing = 'procore-sandbox'): PostmanEnvironment {
  const values: [string, string, 'default' | 'secret'][] = [
    ['base_url', facts.baseUrl, 'default'],
    ['company_id', String(facts.companyId), 'default'],
    ['project_id', String(facts.projectId), 'default'],
    ['drawing_areas', String(facts.drawingAreaId), 'default'],
    ['image_category_id', String(facts.imageCategoryId), 'default'],
    ['client_id', facts.clientId, 'default'],
    ['client_secret', facts.clientSecret, 'secret'],
    ['access_token', '', 'secret'],
  ];
  return {
    id: facts.environmentId,
    name: `Procore Sandbox - ${facts.appName}`,
    values: values.map(([key, value, type]) => ({ key, value, type, enabled: true })),
    _postman_variable_scope: 'environment',
    _postman_exported_at: exportedAt,
    _postman_exported_using: exportedUsing,
  };
}
