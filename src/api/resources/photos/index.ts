/** Photos: image categories (albums) and images with real picture and thumbnail downloads. */
import { Type } from '@sinclair/typebox';
import { defineResource, table } from '../../compile.js';
import { ApiError } from '../../errors.js';
import { f, unmodelled, type AnyRow } from '../../fields.js';
import { queryId } from '../../http/query.js';
import { blobsById, type BlobInfo } from '../../refs.js';
import type { ApiContext } from '../../resource.js';
import { Id, Location, NInt, NNum, NStr, Obj, Timestamp } from '../../schemas.js';

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
  operations: {
    list: {
      summary: 'List images of a project (optionally of one category)',
      description: '`image_category_id` is required on /vapid and optional on /rest/v1.0.',
    },
    show: {},
  },
  query: { image_category_id: Type.String({ description: 'Image category ID' }) },
  search: { filter: 'query' },
  fields: {
    id: f.id({ filter: 'ids' }),
    url: f.computed(Type.String(), (r, x) => url(x.c, x.extra.blobs, r['blob_id']) ?? ''),
    thumbnail_url: f.computed(NStr(), (r, x) => url(x.c, x.extra.blobs, r['thumbnail_blob_id'])),
    size: f.computed(NInt(), (r, x) => x.extra.blobs.get(r['blob_id'])?.size ?? null),
    filename: f.text({ search: true }),
    description: f.text({ search: true }),
    width: f.int(),
    height: f.int(),
    taken_at: f.datetime({ sort: true }),
    created_at: f.createdAt({ filter: 'datetime', sort: true }),
    updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
    log_date: f.computed(NStr(), (r) => (r['taken_at'] ? String(r['taken_at']).slice(0, 10) : null)),
    image_category_id: f.int(),
    image_category_name: f.computed(NStr(), (r, x) => x.extra.categories.get(r['image_category_id'])?.name ?? null),
    image_category_private: f.computed(Type.Boolean(), (r, x) => x.extra.categories.get(r['image_category_id'])?.private === 1),
    private: f.bool({ filter: 'bool' }),
    starred: f.bool({ filter: 'bool' }),
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
