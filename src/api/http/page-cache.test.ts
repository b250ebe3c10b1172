/**
 * Cached read answers (src/api/http/page-cache.ts): byte-identical to an uncached answer, and
 * never stale after a write — through the API, outside it, or by another connection to the
 * same SQLite file (this process's at once, another process's within STAMP_POLL_MS) — nor
 * served to another caller.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import { changeStamp, STAMP_POLL_MS } from '../../db/connect.js';
import { createApiFixture, type ApiFixture } from '../../../test/api/fixture.js';
import { ENGINES, freshPostgresDatabase } from '../../../test/helpers/runtime.js';
import { setPageCacheEnabled } from './page-cache.js';

interface Rfi {
  id: number;
  subject: string;
  rfi_manager: { id: number; name: string } | null;
  questions: { body: string }[];
}

describe('sqlite: cached list answers', () => {
  let dir: string;
  let f: ApiFixture;
  let g: ApiFixture;
  const url = () => `/rest/v1.0/projects/${f.projectId}/rfis`;
  const list = async (query = '?per_page=100') => {
    const res = await f.get(`${url()}${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'page-cache-'));
    const db = join(dir, 'sandbox.db');
    f = await createApiFixture({ db });
    // A second runtime on the same file: its own connection, as another process would have.
    g = await createApiFixture({ db });
  });
  afterAll(async () => {
    await g?.rt.close();
    await f?.rt.close();
    setPageCacheEnabled(true);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers byte for byte what an uncached server answers (body, Total, Per-Page, Link)', async () => {
    const pick = (r: Awaited<ReturnType<typeof list>>) => ({
      body: r.body,
      type: r.headers['content-type'],
      total: r.headers['total'],
      perPage: r.headers['per-page'],
      link: r.headers['link'],
    });
    setPageCacheEnabled(false);
    const plain = pick(await list('?page=1&per_page=1'));
    setPageCacheEnabled(true);
    const miss = pick(await list('?page=1&per_page=1'));
    const hit = pick(await list('?page=1&per_page=1'));
    expect(miss).toEqual(plain);
    expect(hit).toEqual(plain);
  });

  it('shows this process’s own creates, updates and recycles at once', async () => {
    const before = await list();
    const created = await f.call('POST', url(), {
      payload: { rfi: { subject: 'Cached?', question: { body: 'Q1' }, rfi_manager_id: f.ids.users.arch } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: number }>().id;
    const afterCreate = await list();
    expect(Number(afterCreate.headers['total'])).toBe(Number(before.headers['total']) + 1);
    expect(afterCreate.json<Rfi[]>().map((r) => r.id)).toContain(id);

    const updated = await f.call('PATCH', `${url()}/${id}`, { payload: { rfi: { subject: 'Cached, renamed' } } });
    expect(updated.statusCode, updated.body).toBe(200);
    expect((await list()).json<Rfi[]>().find((r) => r.id === id)?.subject).toBe('Cached, renamed');

    const recycled = await f.call('PATCH', `${url()}/${id}/recycle`);
    expect(recycled.statusCode, recycled.body).toBe(200);
    const afterRecycle = await list();
    expect(afterRecycle.headers['total']).toBe(before.headers['total']);
    expect(afterRecycle.json<Rfi[]>().map((r) => r.id)).not.toContain(id);
  });

  it('shows writes by another connection to the file at once: rows, child rows, referenced users', async () => {
    await list();
    await list(); // cached now
    const created = await g.call('POST', url(), {
      payload: { rfi: { subject: 'From the other process', question: { body: 'Q2' }, rfi_manager_id: g.ids.users.arch } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: number }>().id;
    expect((await list()).json<Rfi[]>().map((r) => r.id)).toContain(id);

    // Outside the API: a question's body (a child table) and the manager's name (a referenced user).
    await list();
    await g.rt.ctx.db.updateTable('rfi_questions').set({ body: 'Edited elsewhere' }).where('rfi_id', '=', id).execute();
    expect((await list()).json<Rfi[]>().find((r) => r.id === id)?.questions[0]?.body).toBe('Edited elsewhere');
    await g.rt.ctx.db.updateTable('users').set({ last_name: 'Renamed' }).where('id', '=', g.ids.users.arch).execute();
    expect((await list()).json<Rfi[]>().find((r) => r.id === id)?.rfi_manager?.name).toMatch(/ Renamed$/);
  });

  it('shows writes by this connection outside the API at once', async () => {
    const [first] = (await list()).json<Rfi[]>();
    await list();
    await f.rt.ctx.db.updateTable('rfis').set({ subject: 'Written by a script' }).where('id', '=', first!.id).execute();
    expect((await list()).json<Rfi[]>()[0]?.subject).toBe('Written by a script');
  });

  it('shows and /me are cached the same way: never stale after another connection’s writes', async () => {
    const [first] = (await list()).json<Rfi[]>();
    const show = async () => (await f.get(`${url()}/${first!.id}`)).json<Rfi>();
    const me = async () => (await f.get('/rest/v1.0/me')).json<{ id: number; name: string }>();
    setPageCacheEnabled(false);
    const plainShow = await f.get(`${url()}/${first!.id}`);
    const plainMe = await f.get('/rest/v1.0/me');
    setPageCacheEnabled(true);
    await show();
    await me();
    expect((await f.get(`${url()}/${first!.id}`)).body).toBe(plainShow.body); // a hit, byte for byte
    expect((await f.get('/rest/v1.0/me')).body).toBe(plainMe.body);
    await g.rt.ctx.db.updateTable('rfis').set({ subject: 'Shown elsewhere' }).where('id', '=', first!.id).execute();
    expect((await show()).subject).toBe('Shown elsewhere');
    const { id } = await me();
    await g.rt.ctx.db.updateTable('users').set({ last_name: 'Elsewhere' }).where('id', '=', id).execute();
    expect((await me()).name).toMatch(/ Elsewhere$/);
  });

  it('shows a commit by another process within STAMP_POLL_MS (a connection this process does not count)', async () => {
    const [first] = (await list()).json<Rfi[]>();
    await list(); // cached now
    // better-sqlite3 opened directly, as a `sqlite3` shell or another server would: its writes
    // are not counted in this process, only `PRAGMA data_version` reveals them.
    const other = new SQLite(join(dir, 'sandbox.db'));
    try {
      other.prepare('update rfis set subject = ? where id = ?').run('Committed by another process', first!.id);
    } finally {
      other.close();
    }
    await new Promise((r) => setTimeout(r, STAMP_POLL_MS + 5));
    expect((await list()).json<Rfi[]>()[0]?.subject).toBe('Committed by another process');
  });

  it('never serves one caller’s answer to another', async () => {
    await list();
    // A user who is not a member of the project: the one 404, whatever is cached.
    const users = await f.rt.ctx.db
      .selectFrom('users')
      .select(['id', 'email'])
      .where('sandbox_id', '=', f.rt.sandbox.id)
      .where('is_company_admin', '=', 0)
      .execute();
    const members = new Set(
      (await f.rt.ctx.db.selectFrom('project_users').select('user_id').where('project_id', '=', f.projectId).execute()).map(
        (r) => r.user_id,
      ),
    );
    const outsider = users.find((u) => !members.has(u.id));
    if (outsider) {
      const token = await f.rt.mintToken({ userId: outsider.id });
      const res = await f.get(`${url()}?per_page=100`, { token });
      expect(res.statusCode, res.body).toBe(404);
    }
    // Another origin: the Link header names it, so it is its own entry.
    const other = await f.get(`${url()}?page=1&per_page=1`, { headers: { host: 'elsewhere.test' } });
    expect(other.statusCode).toBe(200);
    expect(other.headers['link']).toContain('elsewhere.test');
  });
});

for (const engine of ENGINES.filter((e) => e.name === 'postgres'))
  describe.skipIf(!engine.available)('postgres: no change stamp, nothing cached', () => {
    it('has no change stamp', async () => {
      const f = await createApiFixture({ db: await freshPostgresDatabase() });
      try {
        expect(changeStamp(f.rt.ctx.db)).toBeNull();
      } finally {
        await f.rt.close();
      }
    });
  });
