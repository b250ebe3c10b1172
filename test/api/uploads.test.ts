/**
 * Procore's direct-upload flow against this server as the storage service, on both engines:
 * `POST …/uploads` → a real multipart POST (undici's FormData encoder) of the fields and the
 * file to the pre-signed `url` → `POST /files` / `POST /images` with the `upload_uuid` → the
 * version's `url` downloads exactly the bytes sent. Segmented uploads (PUT per segment, PATCH to
 * complete), folders' writes, 403 (signature, policy, expiry), 413, 422 and another sandbox.
 * Also once over a real socket with `fetch`.
 */
import { createHash } from 'node:crypto';
import * as sdk from '@procore/js-sdk';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/services/apps.js';
import { ENGINES } from '../helpers/runtime.js';
import { createApiFixture, type ApiFixture } from './fixture.js';

const BODY_LIMIT = 256 * 1024;

interface Instructions {
  uuid: string;
  url: string;
  fields: Record<string, string>;
  status: string;
  segments?: { size: number; sha256: string; url: string; headers: Record<string, string> }[];
}

/** A multipart body as undici's FormData encodes it (the same bytes `fetch` sends). */
async function multipart(
  fields: Record<string, string>,
  file?: { bytes: Buffer; name: string; type: string },
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const req = new Request('http://x/', { method: 'POST', body: form });
  return { payload: Buffer.from(await req.arrayBuffer()), headers: { 'content-type': req.headers.get('content-type') as string } };
}

function png(width: number, height: number): Buffer {
  const p = new PNG({ width, height });
  p.data.fill(200);
  return PNG.sync.write(p);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`uploads on ${engine.name}`, () => {
    let f: ApiFixture;
    let PU = '';
    beforeAll(async () => {
      f = await createApiFixture({ engine: engine.name, settings: { bodyLimit: BODY_LIMIT } });
      PU = `/rest/v1.1/projects/${f.projectId}/uploads`;
    });
    afterAll(() => f.rt.close());

    /** Sends `bytes` to the upload's target as a browser form would (no token, no company header). */
    async function send(up: Instructions, bytes: Buffer, o: { fields?: Record<string, string>; url?: string } = {}) {
      const u = new URL(o.url ?? up.url);
      const body = await multipart(o.fields ?? up.fields, { bytes, name: 'ignored.bin', type: 'application/octet-stream' });
      return f.rt.sandboxApp.inject({ method: 'POST', url: `${u.pathname}${u.search}`, ...body });
    }

    async function uploaded(bytes: Buffer, filename = 'report.pdf', type = 'application/pdf'): Promise<Instructions> {
      const res = await f.call('POST', PU, { payload: { response_filename: filename, response_content_type: type } });
      expect(res.statusCode, res.body).toBe(201);
      const up = res.json() as Instructions;
      const sent = await send(up, bytes);
      expect(sent.statusCode, sent.body).toBe(204);
      return up;
    }

    const download = async (url: string) => {
      const u = new URL(url);
      return f.rt.sandboxApp.inject({ url: `${u.pathname}${u.search}` });
    };

    it('answers upload instructions: a ULID, a pre-signed target on this server, S3-style fields', async () => {
      const res = await f.call('POST', `/rest/v1.1/projects/${f.projectId}/uploads`, {
        payload: { response_filename: 'plan.pdf', response_content_type: 'application/pdf' },
      });
      expect(res.statusCode, res.body).toBe(201);
      const up = res.json() as Instructions;
      expect(up.uuid).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(up.status).toBe('ready');
      const u = new URL(up.url);
      expect(u.hostname).toBe('localhost');
      expect(u.pathname).toBe(`/rest/v1.0/blobs/uploads/${up.uuid}`);
      expect(u.searchParams.get('signature')).toMatch(/^[0-9a-f]{64}$/);
      expect(up.fields).toMatchObject({
        key: `uploads/${up.uuid}`,
        'Content-Type': 'application/pdf',
        'Content-Disposition': expect.stringContaining('plan.pdf'),
        policy: expect.any(String),
        'x-amz-signature': expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      const shown = await f.get(`/rest/v1.1/projects/${f.projectId}/uploads/${up.uuid}`);
      expect(shown.statusCode).toBe(200);
      expect(shown.json()).toMatchObject({ uuid: up.uuid, status: 'ready', response_filename: 'plan.pdf' });
      // The v1.0 twin and the multipart body the catalogue documents.
      const form = await multipart({ response_filename: 'notes.txt', response_content_type: 'text/plain' });
      const v10 = await f.call('POST', `/rest/v1.0/projects/${f.projectId}/uploads`, { payload: form.payload, headers: form.headers });
      expect(v10.statusCode, v10.body).toBe(201);
      expect(v10.json().fields['Content-Type']).toBe('text/plain');
    });

    it('a multipart POST stores the bytes; a file created from the upload downloads exactly them', async () => {
      const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251))]);
      const up = await uploaded(bytes);
      expect((await f.get(`${PU}/${up.uuid}`)).json().status).toBe('complete');
      const res = await f.call('POST', `/rest/v1.0/files?project_id=${f.projectId}`, {
        payload: { file: { upload_uuid: up.uuid, parent_id: f.ids.childFolder, description: 'Uploaded' } },
      });
      expect(res.statusCode, res.body).toBe(201);
      const file = res.json();
      expect(file).toMatchObject({ name: 'report.pdf', parent_id: f.ids.childFolder, size: bytes.length, description: 'Uploaded' });
      expect(file.file_versions).toHaveLength(1);
      const got = await download(file.file_versions[0].url);
      expect(got.statusCode).toBe(200);
      expect(got.headers['content-type']).toBe('application/pdf');
      expect(Buffer.compare(got.rawPayload, bytes)).toBe(0);
      // Listed in its folder; a second file of the same name needs unique_name.
      const folder = (await f.get(`/rest/v1.0/folders/${f.ids.childFolder}?project_id=${f.projectId}`)).json();
      expect(folder.files.map((x: { id: number }) => x.id)).toContain(file.id);
      const again = await uploaded(Buffer.from('other'));
      const taken = await f.call('POST', `/rest/v1.0/files?project_id=${f.projectId}`, {
        payload: { file: { upload_uuid: again.uuid, parent_id: f.ids.childFolder } },
      });
      expect(taken.statusCode).toBe(422);
      expect(taken.json().errors.name).toBeDefined();
      const renamed = await f.call('POST', `/rest/v1.0/files?project_id=${f.projectId}`, {
        payload: { file: { upload_uuid: again.uuid, parent_id: f.ids.childFolder, unique_name: true } },
      });
      expect(renamed.statusCode, renamed.body).toBe(201);
      expect(renamed.json().name).toBe('report (2).pdf');

      // A new version from another upload, a rename; then delete.
      const v2bytes = Buffer.from('second version');
      const v2 = await uploaded(v2bytes, 'ignored.txt', 'text/plain');
      const patched = await f.call('PATCH', `/rest/v1.0/files/${file.id}?project_id=${f.projectId}`, {
        payload: { file: { upload_uuid: v2.uuid, name: 'report-final.pdf' } },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      const p = patched.json();
      expect(p.name).toBe('report-final.pdf');
      expect(p.file_versions.map((v: { number: number }) => v.number)).toEqual([2, 1]);
      expect(Buffer.compare((await download(p.file_versions[0].url)).rawPayload, v2bytes)).toBe(0);
      expect((await f.call('DELETE', `/rest/v1.0/files/${file.id}?project_id=${f.projectId}`)).statusCode).toBe(204);
      expect((await f.get(`/rest/v1.0/files/${file.id}?project_id=${f.projectId}`)).statusCode).toBe(404);
    });

    it('takes the multipart bodies the catalogue documents: file[upload_uuid], and the deprecated file[data] / image[data]', async () => {
      const bytes = Buffer.from('form-created');
      const up = await uploaded(bytes, 'form.txt', 'text/plain');
      const form = await multipart({
        'file[upload_uuid]': up.uuid,
        'file[parent_id]': String(f.ids.childFolder),
        'file[name]': 'Form.txt',
      });
      const res = await f.call('POST', `/rest/v1.0/files?project_id=${f.projectId}`, form);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ name: 'Form.txt', parent_id: f.ids.childFolder });
      expect(Buffer.compare((await download(res.json().file_versions[0].url)).rawPayload, bytes)).toBe(0);
      const bad = await f.call('POST', `/rest/v1.0/files?project_id=${f.projectId}`, await multipart({ 'file[parent_id]': 'twelve' }));
      expect(bad.statusCode).toBe(422);
      expect(bad.json().errors).toHaveProperty('parent_id');

      // Direct: the bytes in the body itself.
      const direct = new FormData();
      direct.append('file[name]', 'direct.csv');
      direct.append('file[data]', new Blob([new Uint8Array(Buffer.from('a,b\n1,2\n'))], { type: 'text/csv' }), 'direct.csv');
      const req = new Request('http://x/', { method: 'POST', body: direct });
      const made = await f.call('POST', `/rest/v1.0/files?project_id=${f.projectId}`, {
        payload: Buffer.from(await req.arrayBuffer()),
        headers: { 'content-type': req.headers.get('content-type') as string },
      });
      expect(made.statusCode, made.body).toBe(201);
      expect((await download(made.json().file_versions[0].url)).rawPayload.toString()).toBe('a,b\n1,2\n');

      const picture = png(4, 3);
      const img = new FormData();
      img.append('image[description]', 'Direct photo');
      img.append('image[starred]', 'true');
      img.append('image[data]', new Blob([new Uint8Array(picture)], { type: 'image/png' }), 'direct.png');
      const ireq = new Request('http://x/', { method: 'POST', body: img });
      const image = await f.call('POST', `/rest/v1.0/images?project_id=${f.projectId}`, {
        payload: Buffer.from(await ireq.arrayBuffer()),
        headers: { 'content-type': ireq.headers.get('content-type') as string },
      });
      expect(image.statusCode, image.body).toBe(201);
      expect(image.json()).toMatchObject({ width: 4, height: 3, starred: true, description: 'Direct photo', filename: 'direct.png' });
    });

    it('creates, renames, moves and deletes folders (with what is below them)', async () => {
      const F = `/rest/v1.0/folders`;
      const Q = `project_id=${f.projectId}`;
      const made = await f.call('POST', `/rest/v1.0/folders?project_id=${f.projectId}`, {
        payload: { folder: { name: 'Submittal Packages' } },
      });
      expect(made.statusCode, made.body).toBe(201);
      const top = made.json();
      expect(top).toMatchObject({ parent_id: f.ids.rootFolder, name: 'Submittal Packages', has_children: false });
      const sub = (await f.call('POST', `${F}?${Q}`, { payload: { folder: { name: 'Steel', parent_id: top.id } } })).json();
      expect(sub.name_with_path).toMatch(/\/Submittal Packages\/Steel$/);
      expect((await f.call('POST', `${F}?${Q}`, { payload: { folder: { name: 'Steel', parent_id: top.id } } })).statusCode).toBe(422);
      expect((await f.call('POST', `${F}?${Q}`, { payload: { folder: {} } })).json()).toMatchObject({
        errors: { name: ["can't be blank"] },
      });
      expect(
        (await f.call('POST', `${F}?${Q}`, { payload: { folder: { name: 'X', parent_id: 999999999 } } })).json().errors,
      ).toHaveProperty('parent_id');
      const loop = await f.call('PATCH', `${F}/${top.id}?${Q}`, { payload: { folder: { parent_id: sub.id } } });
      expect(loop.statusCode).toBe(422);
      const renamed = await f.call('PATCH', `${F}/${sub.id}?${Q}`, { payload: { folder: { name: 'Structural Steel' } } });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(renamed.json().name).toBe('Structural Steel');
      const up = await uploaded(Buffer.from('shop drawing'), 'shop.pdf');
      const file = (
        await f.call('POST', `/rest/v1.0/files?${Q}`, { payload: { file: { upload_uuid: up.uuid, parent_id: sub.id } } })
      ).json();
      expect((await f.call('DELETE', `${F}/${top.id}?${Q}`)).statusCode).toBe(204);
      expect((await f.get(`${F}/${sub.id}?${Q}`)).statusCode).toBe(404);
      expect((await f.get(`/rest/v1.0/files/${file.id}?${Q}`)).statusCode).toBe(404);
      const root = await f.call('DELETE', `${F}/${f.ids.rootFolder}?${Q}`);
      expect(root.statusCode).toBe(422);
      expect((await f.get(`${F}?${Q}`)).json().id).toBe(f.ids.rootFolder);
    });

    it('creates an image from an uploaded picture (its size read from it)', async () => {
      const picture = png(7, 5);
      const up = await uploaded(picture, 'site.png', 'image/png');
      const res = await f.call('POST', `/rest/v1.0/images?project_id=${f.projectId}`, {
        payload: { upload_uuid: up.uuid, image_name: 'Level 2 slab.png', image: { description: 'Pour day', starred: true } },
      });
      expect(res.statusCode, res.body).toBe(201);
      const image = res.json();
      expect(image).toMatchObject({
        filename: 'Level 2 slab.png',
        width: 7,
        height: 5,
        size: picture.length,
        starred: true,
        description: 'Pour day',
        image_category_id: f.ids.imageCategory,
        uploader: { id: f.ids.users.demo },
      });
      expect(Buffer.compare((await download(image.url)).rawPayload, picture)).toBe(0);
      const listed = (await f.get(`/rest/v1.0/images?project_id=${f.projectId}`)).json();
      expect(listed.map((i: { id: number }) => i.id)).toContain(image.id);
      const text = await uploaded(Buffer.from('not a picture'), 'a.txt', 'text/plain');
      const bad = await f.call('POST', `/rest/v1.0/images?project_id=${f.projectId}`, { payload: { upload_uuid: text.uuid, image: {} } });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().errors).toHaveProperty('upload_uuid');
    });

    it('segmented uploads: PUT each segment, PATCH with the ETags, then attach', async () => {
      const parts = [Buffer.alloc(3000, 1), Buffer.alloc(1200, 2)];
      const res = await f.call('POST', PU, {
        payload: {
          response_filename: 'big.bin',
          response_content_type: 'application/octet-stream',
          segments: parts.map((p) => ({ size: p.length, sha256: sha(p) })),
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const up = res.json() as Instructions;
      expect(up.segments).toHaveLength(2);
      const early = await f.call('PATCH', `${PU}/${up.uuid}`, { payload: { segments: [] } });
      expect(early.statusCode).toBe(422);
      const etags: string[] = [];
      for (const [i, seg] of up.segments!.entries()) {
        const u = new URL(seg.url);
        // Wrong bytes for the declared SHA-256.
        if (i === 0) {
          const wrong = await f.rt.sandboxApp.inject({
            method: 'PUT',
            url: `${u.pathname}${u.search}`,
            payload: Buffer.alloc(3000, 9),
            headers: seg.headers,
          });
          expect(wrong.statusCode).toBe(400);
        }
        const put = await f.rt.sandboxApp.inject({
          method: 'PUT',
          url: `${u.pathname}${u.search}`,
          payload: parts[i],
          headers: seg.headers,
        });
        expect(put.statusCode, put.body).toBe(200);
        etags.push(String(put.headers['etag']));
      }
      const done = await f.call('PATCH', `${PU}/${up.uuid}`, {
        payload: { segments: up.segments!.map((s, i) => ({ size: s.size, sha256: s.sha256, etag: etags[i] })) },
      });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json().status).toBe('complete');
      const file = (
        await f.call('POST', `/rest/v1.0/files?project_id=${f.projectId}`, { payload: { file: { upload_uuid: up.uuid } } })
      ).json();
      expect(file.parent_id).toBe(f.ids.rootFolder);
      expect(Buffer.compare((await download(file.file_versions[0].url)).rawPayload, Buffer.concat(parts))).toBe(0);
    });

    it('company uploads, and the company in the path must be the token’s', async () => {
      const res = await f.call('POST', `/rest/v1.0/companies/${f.companyId}/uploads`, { payload: { response_filename: 'logo.png' } });
      expect(res.statusCode, res.body).toBe(201);
      const up = res.json() as Instructions;
      expect((await f.get(`/rest/v1.0/companies/${f.companyId}/uploads/${up.uuid}`)).statusCode).toBe(200);
      expect((await f.call('POST', `/rest/v1.0/companies/${f.companyId + 1}/uploads`, { payload: {} })).statusCode).toBe(404);
      expect((await f.get(`/rest/v1.0/companies/${f.companyId}/uploads/NOTAULID`)).statusCode).toBe(404);
      // v1.1 requires the file name.
      expect((await f.call('POST', PU, { payload: {} })).json()).toMatchObject({ errors: { response_filename: ["can't be blank"] } });
    });

    it('403 for a tampered, missing-policy or expired target; 413 over the size; 422 for an unknown or unfinished upload', async () => {
      const res = await f.call('POST', PU, { payload: { response_filename: 'a.pdf', size: 10 } });
      const up = res.json() as Instructions;
      const tampered = up.url.replace(/signature=([0-9a-f])/, (_, c: string) => `signature=${c === '0' ? '1' : '0'}`);
      const bad = await send(up, Buffer.from('x'), { url: tampered });
      expect(bad.statusCode).toBe(403);
      expect(bad.json().message).toMatch(/signature/i);
      const forged = await send(up, Buffer.from('x'), { fields: { ...up.fields, 'x-amz-signature': '0'.repeat(64) } });
      expect(forged.statusCode).toBe(403);
      const otherKey = await send(up, Buffer.from('x'), { fields: { ...up.fields, key: 'uploads/other' } });
      expect(otherKey.statusCode).toBe(403);
      const big = await send(up, Buffer.alloc(11, 1));
      expect(big.statusCode).toBe(413);
      expect(big.json()).toMatchObject({ code: 413 });
      const free = (await f.call('POST', PU, { payload: { response_filename: 'b.bin' } })).json() as Instructions;
      const huge = await send(free, Buffer.alloc(BODY_LIMIT + 1, 1));
      expect(huge.statusCode).toBe(413);
      expect((await f.call('POST', PU, { payload: { response_filename: 'c.bin', size: BODY_LIMIT + 1 } })).statusCode).toBe(422);

      const unknown = await f.call('POST', `/rest/v1.0/files?project_id=${f.projectId}`, {
        payload: { file: { upload_uuid: '01ARZ3NDEKTSV4RRFFQ69G5FAV' } },
      });
      expect(unknown.statusCode).toBe(422);
      expect(unknown.json().errors).toHaveProperty('upload_uuid');
      const unfinished = await f.call('POST', `/rest/v1.0/files?project_id=${f.projectId}`, {
        payload: { file: { upload_uuid: up.uuid } },
      });
      expect(unfinished.statusCode).toBe(422);
      expect(unfinished.json().errors.upload_uuid[0]).toMatch(/not been sent/);
      expect(
        (await f.call('POST', `/rest/v1.0/files?project_id=${f.projectId}`, { payload: { file: { name: 'x' } } })).json(),
      ).toMatchObject({
        errors: { upload_uuid: ["can't be blank"] },
      });
    });

    it('another sandbox can neither see nor attach your upload', async () => {
      const mine = await uploaded(Buffer.from('private'));
      const other = await createApp(f.rt.ctx, { developerId: f.rt.app.developer_id, name: `Other ${engine.name}` });
      const token = await f.rt.mintToken({ sandboxId: other.sandbox.id, email: 'sandbox+demo@example.com' });
      const headers = { 'procore-company-id': String(other.sandbox.company_id) };
      const theirs = `/rest/v1.1/projects/${other.sandbox.project_id}/uploads/${mine.uuid}`;
      expect((await f.call('GET', theirs, { token, headers })).statusCode).toBe(404);
      const attach = await f.call('POST', `/rest/v1.0/files?project_id=${other.sandbox.project_id}`, {
        token,
        headers,
        payload: { file: { upload_uuid: mine.uuid } },
      });
      expect(attach.statusCode).toBe(422);
      expect(attach.json().errors).toHaveProperty('upload_uuid');
      // And the owner's project path does not show it to them either.
      expect((await f.call('GET', `${PU}/${mine.uuid}`, { token, headers })).statusCode).toBe(404);
      // Unsigned, the storage target takes the bearer token: its own sandbox's uploads only.
      const fresh = (await f.call('POST', PU, { payload: { response_filename: 'unsigned.txt' } })).json() as Instructions;
      const form = await multipart({}, { bytes: Buffer.from('by token'), name: 'u.txt', type: 'text/plain' });
      const target = new URL(fresh.url).pathname;
      const foreign = await f.rt.sandboxApp.inject({
        method: 'POST',
        url: target,
        payload: form.payload,
        headers: { ...form.headers, authorization: `Bearer ${token}` },
      });
      expect(foreign.statusCode).toBe(404);
      const own = await f.rt.sandboxApp.inject({
        method: 'POST',
        url: target,
        payload: form.payload,
        headers: { ...form.headers, authorization: `Bearer ${f.token}` },
      });
      expect(own.statusCode, own.body).toBe(204);
      expect((await f.rt.sandboxApp.inject({ method: 'POST', url: target, ...form })).statusCode).toBe(401);
    });

    it('an expired target is a 403 (the signature lasts an hour)', async () => {
      const up = (await f.call('POST', PU, { payload: { response_filename: 'late.pdf' } })).json() as Instructions;
      f.rt.ctx.clock.advance(3661_000);
      try {
        const late = await send(up, Buffer.from('late'));
        expect(late.statusCode).toBe(403);
        expect(late.json().message).toMatch(/expired/);
      } finally {
        f.rt.ctx.clock.advance(-3661_000);
      }
    });
  });
}

describe('uploads over a real socket', () => {
  let f: ApiFixture;
  let base = '';
  beforeAll(async () => {
    f = await createApiFixture();
    await f.rt.sandboxApp.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(f.rt.sandboxApp.server.address() as { port: number }).port}`;
  });
  afterAll(() => f.rt.close());

  it('fetch + FormData: create, POST the form to the url, attach, download', async () => {
    const headers = { authorization: `Bearer ${f.token}`, 'procore-company-id': String(f.companyId), 'content-type': 'application/json' };
    const created = await fetch(`${base}/rest/v1.0/projects/${f.projectId}/uploads`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ response_filename: 'daily.csv', response_content_type: 'text/csv' }),
    });
    expect(created.status).toBe(201);
    const up = (await created.json()) as Instructions;
    expect(up.url.startsWith(`${base}/rest/v1.0/blobs/uploads/`)).toBe(true);
    const bytes = Buffer.from('date,crew\n2026-12-02,14\n');
    const form = new FormData();
    for (const [k, v] of Object.entries(up.fields)) form.append(k, v);
    form.append('file', new Blob([new Uint8Array(bytes)]), 'daily.csv');
    const sent = await fetch(up.url, { method: 'POST', body: form });
    expect(sent.status).toBe(204);
    const file = await fetch(`${base}/rest/v1.0/files?project_id=${f.projectId}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ file: { upload_uuid: up.uuid } }),
    });
    expect(file.status).toBe(201);
    const body = (await file.json()) as { file_versions: { url: string }[] };
    const got = await fetch(body.file_versions[0]!.url);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).toString()).toBe(bytes.toString());
  });

  it('@procore/js-sdk: the upload and the file through client.post', async () => {
    const client = sdk.client(sdk.oauth(f.token), {}, { apiHostname: base, defaultVersion: 'v1.1', defaultCompanyId: f.companyId });
    const up = (
      await client.post({ base: '/projects/{project_id}/uploads', params: { project_id: f.projectId } }, { response_filename: 'sdk.txt' })
    ).body as Instructions;
    expect(up.status).toBe('ready');
    const form = new FormData();
    for (const [k, v] of Object.entries(up.fields)) form.append(k, v);
    form.append('file', new Blob([new Uint8Array(Buffer.from('via sdk'))]), 'sdk.txt');
    expect((await fetch(up.url, { method: 'POST', body: form })).status).toBe(204);
    const file = await client.post(
      { base: '/files', version: 'v1.0', qs: { project_id: f.projectId } },
      { file: { upload_uuid: up.uuid } },
    );
    expect(file.body).toMatchObject({ name: 'sdk.txt', size: 7 });
  });
});
