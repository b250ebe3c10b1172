/**
 * Storage contract suite: written once, run on SQLite and PostgreSQL. Proves the seed (exact
 * counts, real bytes), id rules (unique across sandboxes, same on a fresh database), restart
 * durability and that client secrets are not stored in clear.
 */
import { blobBytes } from '../../src/db/repos/blobs.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PDFDocument } from 'pdf-lib';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateIds } from '../../src/db/repos/sandboxes.js';
import { SANDBOX_TABLES } from '../../src/db/schema.js';
import { createApp, resetAppSandbox } from '../../src/services/apps.js';
import { createRuntime } from '../../src/server/runtime.js';
import { ENGINES, createTestRuntime, databaseUrlFor, type TestRuntime } from '../helpers/runtime.js';

async function idsOfSandbox(rt: TestRuntime, sandboxId: number): Promise<number[]> {
  const ids: number[] = [];
  for (const table of SANDBOX_TABLES) {
    if (table === 'project_users') continue;
    const rows = await rt.ctx.db.selectFrom(table).select('id').where('sandbox_id', '=', sandboxId).execute();
    ids.push(...rows.map((r) => Number(r.id)));
  }
  return ids.sort((a, b) => a - b);
}

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`storage on ${engine.name}`, () => {
    let rt: TestRuntime;
    beforeAll(async () => {
      rt = await createTestRuntime({ engine: engine.name });
    });
    afterAll(async () => {
      await rt?.close();
    });

    it('seeds the Development Sandbox with exact counts', async () => {
      const db = rt.ctx.db;
      const sid = rt.sandbox.id;
      const users = await db.selectFrom('users').selectAll().where('sandbox_id', '=', sid).where('is_service_account', '=', 0).execute();
      expect(users.map((u) => u.email).sort()).toEqual([
        'developer@example.com',
        'sandbox+arch@example.com',
        'sandbox+demo@example.com',
        'sandbox+sub@example.com',
      ]);
      const projects = await db.selectFrom('projects').selectAll().where('sandbox_id', '=', sid).execute();
      expect(projects).toHaveLength(1);
      expect(projects[0]).toMatchObject({
        name: 'Sandbox Test Project',
        project_number: '1234',
        display_name: '1234 - Sandbox Test Project',
        id: rt.sandbox.project_id,
        company_id: rt.sandbox.company_id,
      });
      const members = await db.selectFrom('project_users').selectAll().where('project_id', '=', rt.sandbox.project_id).execute();
      expect(members).toHaveLength(3);
      expect(await db.selectFrom('tasks').selectAll().where('sandbox_id', '=', sid).execute()).toHaveLength(8);
      expect(await db.selectFrom('rfis').selectAll().where('sandbox_id', '=', sid).execute()).toHaveLength(1);
      expect(await db.selectFrom('rfi_questions').selectAll().where('sandbox_id', '=', sid).execute()).toHaveLength(1);
      expect(await db.selectFrom('submittals').selectAll().where('sandbox_id', '=', sid).execute()).toHaveLength(1);
    });

    it('stores a folder tree whose files have real bytes', async () => {
      const db = rt.ctx.db;
      const folders = await db.selectFrom('folders').selectAll().where('sandbox_id', '=', rt.sandbox.id).execute();
      const withFiles = new Set(
        (await db.selectFrom('files').select('folder_id').where('sandbox_id', '=', rt.sandbox.id).execute()).map((f) => f.folder_id),
      );
      expect(folders.filter((f) => withFiles.has(f.id)).length).toBeGreaterThanOrEqual(3);
      const versions = await db
        .selectFrom('file_versions')
        .innerJoin('blobs', 'blobs.id', 'file_versions.blob_id')
        .select(['blobs.data', 'blobs.size', 'blobs.sha256', 'blobs.content_type'])
        .where('file_versions.sandbox_id', '=', rt.sandbox.id)
        .execute();
      expect(versions.length).toBeGreaterThanOrEqual(3);
      for (const v of versions) {
        const data = await blobBytes(db, v);
        expect(data.length).toBe(Number(v.size));
        if (v.content_type === 'application/pdf') expect(data.subarray(0, 5).toString()).toBe('%PDF-');
      }
    });

    it('has one image category with one image that decodes', async () => {
      const db = rt.ctx.db;
      const categories = await db.selectFrom('image_categories').selectAll().where('sandbox_id', '=', rt.sandbox.id).execute();
      expect(categories).toHaveLength(1);
      const images = await db.selectFrom('images').selectAll().where('image_category_id', '=', categories[0]!.id).execute();
      expect(images).toHaveLength(1);
      const blob = await db.selectFrom('blobs').selectAll().where('id', '=', images[0]!.blob_id).executeTakeFirstOrThrow();
      const decoded = jpeg.decode(await blobBytes(db, blob));
      expect(decoded.width).toBe(images[0]!.width);
      expect(decoded.height).toBe(images[0]!.height);
    });

    it('has a drawing area and set with at least 3 drawings whose PDF and PNG are valid', async () => {
      const db = rt.ctx.db;
      expect(await db.selectFrom('drawing_areas').selectAll().where('sandbox_id', '=', rt.sandbox.id).execute()).toHaveLength(1);
      expect(
        (await db.selectFrom('drawing_sets').selectAll().where('sandbox_id', '=', rt.sandbox.id).execute()).length,
      ).toBeGreaterThanOrEqual(1);
      const revisions = await db.selectFrom('drawing_revisions').selectAll().where('sandbox_id', '=', rt.sandbox.id).execute();
      expect(revisions.length).toBeGreaterThanOrEqual(3);
      for (const r of revisions) {
        const pdf = await db
          .selectFrom('blobs')
          .select(['data', 'size', 'sha256'])
          .where('id', '=', r.pdf_blob_id)
          .executeTakeFirstOrThrow();
        const doc = await PDFDocument.load(await blobBytes(db, pdf));
        expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
        for (const id of [r.png_blob_id, r.thumbnail_blob_id]) {
          const png = await db.selectFrom('blobs').select(['data', 'size', 'sha256']).where('id', '=', id).executeTakeFirstOrThrow();
          expect(PNG.sync.read(await blobBytes(db, png)).width).toBeGreaterThan(0);
        }
      }
    });

    it('stores the bytes of each seed file once, however many sandboxes', async () => {
      const db = rt.ctx.db;
      await createApp(rt.ctx, { developerId: rt.app.developer_id, name: 'Bytes App' });
      const blobs = await db.selectFrom('blobs').select(['sha256', 'data']).execute();
      const contents = await db.selectFrom('blob_contents').select('sha256').execute();
      expect(contents.map((c) => c.sha256).sort()).toEqual([...new Set(blobs.map((b) => b.sha256))].sort());
      expect(blobs.every((b) => Buffer.from(b.data).length === 0)).toBe(true);
    });

    it('never lets two sandboxes share an id', async () => {
      const second = await createApp(rt.ctx, { developerId: rt.app.developer_id, name: 'Second App' });
      const a = await idsOfSandbox(rt, rt.sandbox.id);
      const b = await idsOfSandbox(rt, second.sandbox.id);
      expect(new Set(a).size).toBe(a.length);
      expect(a.filter((id) => b.includes(id))).toEqual([]);
      expect(second.sandbox.company_id).not.toBe(rt.sandbox.company_id);
    });

    it('gives the same ids to the same sandbox on a fresh database', async () => {
      const other = await createTestRuntime({ engine: engine.name });
      try {
        expect(other.sandbox.company_id).toBe(rt.sandbox.company_id);
        expect(other.sandbox.project_id).toBe(rt.sandbox.project_id);
        expect(await idsOfSandbox(other, other.sandbox.id)).toEqual(await idsOfSandbox(rt, rt.sandbox.id));
      } finally {
        await other.close();
      }
    });

    it('allocates ids atomically under concurrency', async () => {
      const got = await Promise.all(Array.from({ length: 20 }, () => allocateIds(rt.ctx.db, rt.sandbox.id, 3)));
      expect(new Set(got).size).toBe(20);
      const sorted = [...got].sort((x, y) => x - y);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(3);
    });

    it('resets a sandbox to its seed with the same ids', async () => {
      const before = await idsOfSandbox(rt, rt.sandbox.id);
      const rfiId = await allocateIds(rt.ctx.db, rt.sandbox.id);
      await rt.ctx.db.deleteFrom('submittals').where('sandbox_id', '=', rt.sandbox.id).execute();
      await rt.ctx.db.updateTable('rfis').set({ subject: 'changed' }).where('sandbox_id', '=', rt.sandbox.id).execute();
      expect(rfiId).toBeGreaterThan(0);
      await resetAppSandbox(rt.ctx, rt.app.id);
      expect(await idsOfSandbox(rt, rt.sandbox.id)).toEqual(before);
      const rfi = await rt.ctx.db.selectFrom('rfis').select('subject').where('sandbox_id', '=', rt.sandbox.id).executeTakeFirstOrThrow();
      expect(rfi.subject).not.toBe('changed');
    });

    it('never stores client secrets or the seeded password in clear', async () => {
      const creds = await rt.ctx.db.selectFrom('app_credentials').selectAll().execute();
      const dump =
        JSON.stringify(creds) +
        JSON.stringify(await rt.ctx.db.selectFrom('sandboxes').selectAll().execute()) +
        JSON.stringify(await rt.ctx.db.selectFrom('server_meta').selectAll().execute());
      expect(dump).not.toContain(rt.credentials.clientSecret);
      expect(dump).not.toContain(rt.productionCredentials.clientSecret);
      expect(dump).not.toContain(rt.userPassword);
      expect(dump).not.toContain(rt.developerPassword);
      expect(dump).toContain(rt.credentials.clientId);
    });
  });
}

describe.each(ENGINES.filter((e) => e.available).map((e) => e.name))('restart on %s', (engineName) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'psb-restart-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps all data, credentials and the default setup across a restart', async () => {
    const db = engineName === 'sqlite' ? join(dir, 'sandbox.db') : await databaseUrlFor('postgres');
    const keyFile = join(dir, 'server.key');
    const first = await createRuntime({ db, keyFile });
    const app1 = first.setup!.app!;
    await first.ctx.db.updateTable('rfis').set({ subject: 'persisted subject' }).where('sandbox_id', '=', 1).execute();
    const created = await createApp(first.ctx, { developerId: first.setup!.developer.id, name: 'Kept App' });
    await first.close();

    const second = await createRuntime({ db, keyFile });
    try {
      expect(second.setup!.createdNow).toBe(false);
      expect(second.setup!.app!.id).toBe(app1.id);
      const rfi = await second.ctx.db.selectFrom('rfis').select('subject').where('sandbox_id', '=', 1).executeTakeFirstOrThrow();
      expect(rfi.subject).toBe('persisted subject');
      const { revealCredentials } = await import('../../src/services/apps.js');
      expect(await revealCredentials(second.ctx, created.app.id, 'sandbox')).toEqual(created.sandboxCredentials);
    } finally {
      await second.close();
    }
  });
});
