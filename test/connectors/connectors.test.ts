/**
 * Real connectors' endpoint lists (one JSON file per connector here, each naming the repository,
 * path and commit it was read from), called as the connector calls them against a fresh sandbox.
 *
 * A ratchet: the set of endpoints that answer 2xx must equal the set the data file records as
 * served. It fails when a served endpoint breaks, and also when one starts working without the
 * data file (and docs/coverage.md, `npm run coverage:doc`) being updated.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { createApiFixture, type ApiFixture } from '../api/fixture.js';
import { ENGINES } from '../helpers/runtime.js';
import { parentId, sampleValue } from '../catalog/walk.js';
import { planOf } from '../../src/api/generic/plan.js';

interface ConnectorEndpoint {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Full path with `{placeholders}` for ids. */
  path: string;
  query: Record<string, string>;
  body?: unknown;
  used_by: string;
  operationId: string;
  served: boolean;
}

interface ConnectorData {
  connector: string;
  source: { repository: string; path: string; commit: string };
  endpoints: ConnectorEndpoint[];
}

const DIR = fileURLToPath(new URL('.', import.meta.url));
const connectors = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, data: JSON.parse(readFileSync(join(DIR, f), 'utf8')) as ConnectorData }));

/** Seeded ids for the placeholders; any other id is one no sandbox row has. */
function values(f: ApiFixture): Record<string, number> {
  return {
    company_id: f.companyId,
    project_id: f.projectId,
    rfi_id: f.ids.rfi,
    submittal_id: f.ids.submittal,
    folder_id: f.ids.childFolder,
    user_id: f.ids.users.demo,
  };
}

function fill(f: ApiFixture, text: string, extra: Record<string, number> = {}): string {
  const v = { ...values(f), ...extra };
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(v[name] ?? 999_999_999));
}

/**
 * A member id no seed provides (a change event a webhook names, a hook to delete): the row is
 * created first through the catalogue's create operation of the same resource, as the
 * connector's user would have, with a body from that operation's schema.
 */
async function createdIds(f: ApiFixture, e: ConnectorEndpoint): Promise<Record<string, number>> {
  const known = values(f);
  const missing = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).filter((n) => known[n] === undefined);
  if (!missing.length) return {};
  const catalog = loadCatalog();
  const op = catalog.match(e.method, fill(f, e.path));
  const resource = op && catalog.resourceOf(op.operationId);
  const qs = new URLSearchParams(Object.entries(e.query).map(([k, v]) => [k, fill(f, v)])).toString();
  // A parent row in the path (`…/hooks/{hook_id}/triggers/bulk`): a real one, made if need be.
  // (The connector may name it otherwise: `{id}` where the catalogue has `{budget_view_snapshot_id}`.)
  const at = op ? op.path.split('/').indexOf(`{${planOf(op).parentParam}}`) : -1;
  const parentParam = at > 0 ? /^\{(\w+)\}$/.exec(e.path.split('/')[at] ?? '')?.[1] : undefined;
  if (op && parentParam && missing.includes(parentParam)) {
    const id = await parentId(f, op, new Map(), true);
    if (id !== null) return { [parentParam]: id, ...Object.fromEntries(missing.filter((n) => n !== parentParam).map((n) => [n, id])) };
  }
  // A seeded resource: its first listed row, as the connector's user would have it.
  const list = (resource?.operations ?? []).find(
    (r) => (r.kind === 'list' || r.kind === 'show') && r.on === 'collection' && r.version === op?.version,
  );
  const listOp = list && catalog.operation(list.operationId);
  if (listOp && !/\{\w+\}/.test(fill(f, listOp.path).replace(/\{(project_id|company_id)\}/g, ''))) {
    const listed = await f.get(`${fill(f, listOp.path)}${qs ? `?${qs}` : ''}`);
    const body = listed.statusCode === 200 ? (listed.json() as { id?: unknown } | { id?: unknown }[]) : undefined;
    // Some "lists" answer the project's one row (`GET /prime_contract?project_id=`).
    const first = Array.isArray(body) ? body[0] : body;
    if (first && Number.isSafeInteger(Number(first.id))) return Object.fromEntries(missing.map((n) => [n, Number(first.id)]));
  }
  const creates = (resource?.operations ?? [])
    .filter((r) => r.kind === 'create')
    .map((r) => catalog.operation(r.operationId)!)
    .sort((a, b) => Number(b.version === op?.version) - Number(a.version === op?.version));
  const create = creates[0];
  if (!create) return {};
  const res = await f.call('POST', `${fill(f, create.path)}${qs ? `?${qs}` : ''}`, {
    payload: sampleValue('body', create.body?.schema, 0, { project_id: f.projectId, company_id: f.companyId }),
  });
  const body = res.json() as { id?: unknown; data?: { id?: unknown } };
  if (res.statusCode >= 300)
    console.log(`create for ${e.method} ${e.path}: ${create.method} ${create.path} ${res.statusCode} ${res.body.slice(0, 200)}`);
  const id = Number(body.data?.id ?? body.id);
  return Number.isSafeInteger(id) ? Object.fromEntries(missing.map((n) => [n, id])) : {};
}

function fillBody(f: ApiFixture, body: unknown): unknown {
  if (typeof body === 'string') {
    const m = /^\{(\w+)\}$/.exec(body);
    return m ? (values(f)[m[1] as string] ?? 999_999_999) : body;
  }
  if (Array.isArray(body)) return body.map((b) => fillBody(f, b));
  if (body && typeof body === 'object') return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, fillBody(f, v)]));
  return body;
}

for (const engine of ENGINES)
  describe.skipIf(!engine.available)(`${engine.name}: connectors`, () => {
    let f: ApiFixture;
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name });
    });
    afterAll(async () => {
      await f?.rt.close();
    });

    describe.each(connectors)('$file', ({ data }) => {
      it('names its source and lists only operations of Procore’s catalogue', () => {
        expect(data.source.repository).toMatch(/^[\w.-]+\/[\w.-]+$/);
        expect(data.source.commit).toMatch(/^[0-9a-f]{40}$/);
        const catalog = loadCatalog();
        for (const e of data.endpoints) expect(catalog.match(e.method, e.path)?.operationId, `${e.method} ${e.path}`).toBe(e.operationId);
      });

      it('answers exactly the endpoints recorded as served (ratchet)', async () => {
        const answered: string[] = [];
        const report: string[] = [];
        for (const e of data.endpoints) {
          const qs = new URLSearchParams(Object.entries(e.query).map(([k, v]) => [k, fill(f, v)])).toString();
          const url = `${fill(f, e.path, await createdIds(f, e))}${qs ? `?${qs}` : ''}`;
          const res = await f.call(e.method, url, e.body === undefined ? {} : { payload: fillBody(f, e.body) });
          expect(res.statusCode, `${e.method} ${url}`).toBeLessThan(500);
          const ok = res.statusCode >= 200 && res.statusCode < 300;
          if (ok) answered.push(`${e.method} ${e.path}`);
          report.push(`${ok ? 'served ' : 'missing'} ${res.statusCode} ${e.method} ${e.path}`);
        }
        const recorded = data.endpoints.filter((e) => e.served).map((e) => `${e.method} ${e.path}`);
        console.log(`${engine.name}: ${data.connector}: ${answered.length} of ${data.endpoints.length} served\n${report.join('\n')}`);
        expect(answered).toEqual(recorded);
      });
    });
  });
