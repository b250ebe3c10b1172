/**
 * Photos: image categories (albums) and images with real picture and thumbnail downloads.
 * Images are created from a completed upload (`upload_uuid`, `src/api/resources/uploads/`).
 */
import { Type } from '@sinclair/typebox';
import { blobBytes } from '../../../db/repos/blobs.js';
import { defineResource, table } from '../../compile.js';
import { ApiError } from '../../errors.js';
import { f, unmodelled, type AnyRow } from '../../fields.js';
import { queryId } from '../../http/query.js';
import { blobsById, type BlobInfo } from '../../refs.js';
import type { ApiContext } from '../../resource.js';
import { Id, Location, NInt, NNum, NStr, Obj, Timestamp } from '../../schemas.js';
import { isFormFile } from '../../http/form.js';
import { attachableData, attachableUpload } from '../uploads/store.js';

/** Width and height of a PNG, JPEG or GIF from its header, or null. */
export function imageSize(b: Buffer): { width: number; height: number } | null {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47) return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (b.length >= 10 && b.toString('latin1', 0, 4) === 'GIF8') return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    for (let i = 2; i + 9 < b.length;) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1] as number;
      const len = b.readUInt16BE(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
        return { width: b.readUInt16BE(i + 7), height: b.readUInt16BE(i + 5) };
      i += 2 + len;
    }
  }
  return null;
}

const url = (c: ApiContext, blobs: Map<number, BlobInfo>, id: unknown) => {
  const b = blobs.get(id as number);
  return b ? c.blobUrl(b.id, b.filename) : null;
};

export const imageCategories = defineResource({
  name: 'image_categories',
  tag: 'Photos',
  noun: ['Image Category', 'Image Categories'],
  titles: { list: 'ImageCategory', show: 'ImageCategory' },
  path: '/image_categories',
  scope: 'project',
  storage: table('image_categories'),
  operations: { list: { summary: 'List image categories (photo albums) of a project' }, show: {} },
  sort: {
    default: [
      ['position', 'asc'],
      ['id', 'asc'],
    ],
  },
  fields: {
    id: f.id(),
    name: f.text({ required: true, sort: true }),
    count: f.computed(Type.Integer(), (r, x) => (x.extra.images.get(r['id']) ?? []).length),
    album_cover_id: f.computed(NInt(), (r, x) => x.extra.images.get(r['id'])?.[0]?.id ?? null),
    cover_photo: f.computed(NStr(), (r, x) => {
      const cover = x.extra.images.get(r['id'])?.[0];
      return cover ? x.c.blobUrl(Number(cover.thumbnail_blob_id), cover.filename) : null;
    }),
    created_at: f.createdAt({ sort: true }),
    updated_at: f.updatedAt(),
    private: f.bool(),
    position: f.int({ sort: true }),
    links: f.computed(Obj({ show: Type.String(), delete: Type.String(), update: Type.String() }), (r, x) => {
      const self = x.c.apiUrl(`/image_categories/${r['id']}?project_id=${r['project_id']}`);
      return { show: self, delete: self, update: self };
    }),
  },
  hooks: {
    async prepare(c, rows) {
      const images = (await c
        .from('images')
        .innerJoin('blobs', 'blobs.id', 'images.thumbnail_blob_id')
        .select(['images.id', 'images.image_category_id', 'images.thumbnail_blob_id', 'blobs.filename'])
        .where(
          'images.image_category_id',
          'in',
          rows.map((r) => r['id']),
        )
        .orderBy('images.id')
        .execute()) as AnyRow[];
      const byCategory = new Map<number, AnyRow[]>();
      for (const i of images)
        byCategory.set(Number(i['image_category_id']), [...(byCategory.get(Number(i['image_category_id'])) ?? []), i]);
      return { images: byCategory };
    },
  },
});

export const images = defineResource({
  name: 'images',
  tag: 'Photos',
  noun: ['Image', 'Images'],
  titles: { list: 'Image', show: 'Image' },
  path: '/images',
  scope: 'project',
  storage: table('images'),
  body: 'image',
  operations: {
    list: {
      summary: 'List images of a project (optionally of one category)',
      description: '`image_category_id` is required on /vapid and optional on /rest/v1.0.',
    },
    show: {},
    create: {
      versions: ['v1.0'],
      summary: 'Create an image from a completed upload',
      description:
        "`{upload_uuid, image_name?, image: {image_category_id?, description?, private?, starred?, log_date?}}` (`image.upload_uuid` too; JSON or multipart, the deprecated `image[data]` file part too): the upload must be a picture (PNG, JPEG, GIF); its size is read from it. `image_category_id` defaults to the project's first album. An unknown, unfinished or other sandbox's `upload_uuid` is a 422 naming it.",
    },
  },
  query: { image_category_id: Type.String({ description: 'Image category ID' }) },
  extraBody: {
    upload_uuid: Type.String({ description: 'UUID of a completed upload (also accepted beside `image`)' }),
    log_date: Type.String({ format: 'date' }),
  },
  search: { filter: 'query' },
  fields: {
    id: f.id({ filter: 'ids' }),
    url: f.computed(Type.String(), (r, x) => url(x.c, x.extra.blobs, r['blob_id']) ?? ''),
    thumbnail_url: f.computed(NStr(), (r, x) => url(x.c, x.extra.blobs, r['thumbnail_blob_id'])),
    size: f.computed(NInt(), (r, x) => x.extra.blobs.get(r['blob_id'])?.size ?? null),
    filename: f.text({ search: true }),
    description: f.text({ search: true, write: true, long: true }),
    width: f.int(),
    height: f.int(),
    taken_at: f.datetime({ sort: true }),
    created_at: f.createdAt({ filter: 'datetime', sort: true }),
    updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
    log_date: f.computed(NStr(), (r) => (r['taken_at'] ? String(r['taken_at']).slice(0, 10) : null)),
    image_category_id: f.int({ write: true }),
    image_category_name: f.computed(NStr(), (r, x) => x.extra.categories.get(r['image_category_id'])?.name ?? null),
    image_category_private: f.computed(Type.Boolean(), (r, x) => x.extra.categories.get(r['image_category_id'])?.private === 1),
    private: f.bool({ filter: 'bool', write: true }),
    starred: f.bool({ filter: 'bool', write: true }),
    uploader: f.user(),
    links: f.computed(
      Obj({ self: Type.String(), update: Type.String(), delete: Type.String(), permanentlyDelete: Type.String(), retrieve: Type.String() }),
      (r, x) => {
        const self = x.c.apiUrl(`/images/${r['id']}?image_category_id=${r['image_category_id']}&project_id=${r['project_id']}`);
        return { self, update: self, delete: self, permanentlyDelete: self, retrieve: self };
      },
    ),
    blob_id: f.hidden(),
    thumbnail_blob_id: f.hidden(),
    ...unmodelled({
      location: Location,
      permanently_deleted: Type.Boolean(),
      origin_id: NStr(),
      daily_log_header_id: NInt(),
      gps_lat: NNum(),
      gps_long: NNum(),
      trades: Type.Array(Obj({ id: Id, name: Type.String(), active: Type.Boolean(), updated_at: Timestamp() })),
      comments_count: Type.Integer(),
    }),
  },
  hooks: {
    async validate(w) {
      const { c, trx, body, errors } = w;
      const top = (c.request.body ?? {}) as Record<string, unknown>;
      const categories = (await c
        .fromIn(trx, 'image_categories')
        .select('id')
        .where('project_id', '=', c.requireProject().id)
        .orderBy('position')
        .orderBy('id')
        .execute()) as AnyRow[];
      const category = body.image_category_id ?? (categories[0]?.['id'] as number | undefined);
      if (category === undefined || category === null || !categories.some((k) => k['id'] === category))
        errors.add('image_category_id', 'does not match an image category of this project');
      const data = (body as Record<string, unknown>)['data'];
      const uuid = top['upload_uuid'] ?? body.upload_uuid;
      const upload =
        isFormFile(data) && uuid === undefined
          ? await attachableData(trx, c.auth.sandboxId, data, c.nowMs())
          : await attachableUpload(trx, c.auth.sandboxId, uuid, 'upload_uuid', errors, c.nowMs());
      if (!upload) return;
      const blob = await trx
        .selectFrom('blobs')
        .select(['data', 'size', 'sha256'])
        .where('id', '=', upload.blobId)
        .executeTakeFirstOrThrow();
      const size = imageSize(await blobBytes(trx, blob));
      if (!size) return errors.add('upload_uuid', 'must be a picture (PNG, JPEG or GIF)');
      const name = typeof top['image_name'] === 'string' && top['image_name'].trim() !== '' ? top['image_name'].trim() : upload.filename;
      Object.assign(w.set, {
        image_category_id: category,
        blob_id: upload.blobId,
        thumbnail_blob_id: upload.blobId,
        filename: name.slice(0, 255),
        width: size.width,
        height: size.height,
        uploader_id: c.auth.userId,
        taken_at: body.log_date ? `${body.log_date}T12:00:00Z` : null,
      });
    },
    async narrow(c, qb, use) {
      if (use !== 'list') return qb;
      const categoryId = queryId(c.query, 'image_category_id');
      if (categoryId === undefined && c.version === 'vapid')
        throw ApiError.badRequest('image_category_id is required', 'image_category_id');
      if (categoryId === undefined) return qb;
      const category = await c
        .from('image_categories')
        .select('id')
        .where('id', '=', categoryId)
        .where('project_id', '=', c.requireProject().id)
        .executeTakeFirst();
      if (!category) throw ApiError.notFound();
      return qb.where('image_category_id', '=', categoryId);
    },
    async prepare(c, rows) {
      const categories = (await c
        .from('image_categories')
        .select(['id', 'name', 'private'])
        .where(
          'id',
          'in',
          rows.map((r) => r['image_category_id']),
        )
        .execute()) as AnyRow[];
      return {
        blobs: await blobsById(
          c,
          rows.flatMap((r) => [r['blob_id'], r['thumbnail_blob_id']]),
        ),
        categories: new Map(categories.map((k) => [Number(k['id']), k])),
      };
    },
  },
});
