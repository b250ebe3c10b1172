/** Photos: image categories (albums) and images with real picture and thumbnail downloads. */
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { Row } from '../../db/schema.js';
import { findInProject, projectRows } from '../crud.js';
import { ApiError } from '../errors.js';
import type { AnyQuery } from '../http/listing.js';
import { queryId } from '../http/query.js';
import { Refs, bool } from '../refs.js';
import { defineResource, type ApiContext } from '../resource.js';
import { Id, Location, NInt, NNum, NStr, NUserRef, Obj, Timestamp } from '../schemas.js';

export const ImageCategory = Obj(
  {
    id: Id,
    name: Type.String(),
    count: Type.Integer(),
    album_cover_id: NInt(),
    cover_photo: NStr(),
    created_at: Timestamp(),
    updated_at: Timestamp(),
    private: Type.Boolean(),
    position: NInt(),
    links: Obj({ show: Type.String(), delete: Type.String(), update: Type.String() }),
  },
  { title: 'ImageCategory' },
);

export const Image = Obj(
  {
    id: Id,
    url: Type.String(),
    thumbnail_url: NStr(),
    size: NInt(),
    filename: NStr(),
    description: NStr(),
    width: NInt(),
    height: NInt(),
    taken_at: Timestamp(),
    created_at: Timestamp(),
    updated_at: Timestamp(),
    log_date: NStr(),
    location: Location,
    image_category_id: Id,
    image_category_name: NStr(),
    image_category_private: Type.Boolean(),
    private: Type.Boolean(),
    starred: Type.Boolean(),
    permanently_deleted: Type.Boolean(),
    origin_id: NStr(),
    daily_log_header_id: NInt(),
    gps_lat: NNum(),
    gps_long: NNum(),
    uploader: NUserRef,
    links: Obj({
      self: Type.String(),
      update: Type.String(),
      delete: Type.String(),
      permanentlyDelete: Type.String(),
      retrieve: Type.String(),
    }),
    trades: Type.Array(Obj({ id: Id, name: Type.String(), active: Type.Boolean(), updated_at: Timestamp() })),
    comments_count: Type.Integer(),
  },
  { title: 'Image' },
);

async function serializeCategories(c: ApiContext, rows: Row<'image_categories'>[]) {
  const images = await c.db
    .selectFrom('images')
    .innerJoin('blobs', 'blobs.id', 'images.thumbnail_blob_id')
    .select(['images.id', 'images.image_category_id', 'images.thumbnail_blob_id', 'blobs.filename'])
    .where('images.sandbox_id', '=', c.auth.sandboxId)
    .where(
      'images.image_category_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('images.id')
    .execute();
  const projectId = c.requireProject().id;
  return rows.map((r) => {
    const mine = images.filter((i) => Number(i.image_category_id) === r.id);
    const cover = mine[0];
    const self = c.apiUrl(`/image_categories/${r.id}?project_id=${projectId}`);
    return {
      id: r.id,
      name: r.name,
      count: mine.length,
      album_cover_id: cover ? Number(cover.id) : null,
      cover_photo: cover ? c.blobUrl(Number(cover.thumbnail_blob_id), cover.filename) : null,
      created_at: r.created_at,
      updated_at: r.updated_at,
      private: bool(r.private),
      position: r.position,
      links: { show: self, delete: self, update: self },
    };
  });
}

type ImageRow = Row<'images'> & { category_name: string; category_private: number };

async function serializeImages(c: ApiContext, rows: ImageRow[]) {
  const blobIds = rows.flatMap((r) => [r.blob_id, r.thumbnail_blob_id]);
  const blobs = await c.db
    .selectFrom('blobs')
    .select(['id', 'filename', 'size'])
    .where('sandbox_id', '=', c.auth.sandboxId)
    .where('id', 'in', blobIds)
    .execute();
  const blob = new Map(blobs.map((b) => [Number(b.id), b]));
  const refs = await new Refs(c.db, c.auth.sandboxId).loadUsers(rows.map((r) => r.uploader_id));
  return rows.map((r) => {
    const full = blob.get(r.blob_id);
    const thumb = blob.get(r.thumbnail_blob_id);
    const self = c.apiUrl(`/images/${r.id}?image_category_id=${r.image_category_id}&project_id=${r.project_id}`);
    return {
      id: r.id,
      url: full ? c.blobUrl(r.blob_id, full.filename) : '',
      thumbnail_url: thumb ? c.blobUrl(r.thumbnail_blob_id, thumb.filename) : null,
      size: full ? Number(full.size) : null,
      filename: r.filename,
      description: r.description,
      width: r.width,
      height: r.height,
      taken_at: r.taken_at,
      created_at: r.created_at,
      updated_at: r.updated_at,
      log_date: r.taken_at ? r.taken_at.slice(0, 10) : null,
      location: null,
      image_category_id: r.image_category_id,
      image_category_name: r.category_name,
      image_category_private: r.category_private === 1,
      private: bool(r.private),
      starred: bool(r.starred),
      permanently_deleted: false,
      origin_id: null,
      daily_log_header_id: null,
      gps_lat: null,
      gps_long: null,
      uploader: refs.user(r.uploader_id),
      links: { self, update: self, delete: self, permanentlyDelete: self, retrieve: self },
      trades: [],
      comments_count: 0,
    };
  });
}

function imagesBase(c: ApiContext, projectId: number): AnyQuery {
  return c.db
    .selectFrom('images')
    .innerJoin('image_categories', 'image_categories.id', 'images.image_category_id')
    .where('images.project_id', '=', projectId)
    .where('images.sandbox_id', '=', c.auth.sandboxId) as AnyQuery;
}

const selectImage = (qb: AnyQuery) =>
  qb
    .selectAll('images')
    .select([sql<string>`image_categories.name`.as('category_name'), sql<number>`image_categories.private`.as('category_private')]);

export const photos = defineResource({
  name: 'photos',
  tag: 'Photos',
  operations: [
    {
      method: 'GET',
      path: '/image_categories',
      operationId: 'listImageCategories',
      summary: 'List image categories (photo albums) of a project',
      project: { from: 'query' },
      list: {
        sort: {
          style: 'sort',
          keys: { name: 'name', position: 'position', created_at: 'created_at' },
          default: [
            ['position', 'asc'],
            ['id', 'asc'],
          ],
        },
      },
      response: Type.Array(ImageCategory),
      async handler(c) {
        return c.list(
          projectRows(c, 'image_categories'),
          (qb) => qb.selectAll(),
          (rows: Row<'image_categories'>[]) => serializeCategories(c, rows),
        );
      },
    },
    {
      method: 'GET',
      path: '/image_categories/{id}',
      operationId: 'showImageCategory',
      summary: 'Show an image category',
      project: { from: 'query' },
      response: ImageCategory,
      async handler(c) {
        const row = await findInProject(c, c.db, 'image_categories', c.params['id'] as number);
        return (await serializeCategories(c, [row]))[0];
      },
    },
    {
      method: 'GET',
      path: '/images',
      operationId: 'listImages',
      summary: 'List images of a project (optionally of one category)',
      description: '`image_category_id` is required on /vapid and optional on /rest/v1.0.',
      project: { from: 'query' },
      query: { image_category_id: Type.String({ description: 'Image category ID' }) },
      list: {
        filters: {
          id: { kind: 'ids', column: 'images.id' },
          private: { kind: 'bool', column: 'images.private' },
          starred: { kind: 'bool', column: 'images.starred' },
          query: { kind: 'search', columns: ['images.description', 'images.filename'] },
          created_at: { kind: 'datetime', column: 'images.created_at' },
          updated_at: { kind: 'datetime', column: 'images.updated_at' },
        },
        sort: {
          style: 'sort',
          keys: { created_at: 'images.created_at', taken_at: 'images.taken_at', updated_at: 'images.updated_at', id: 'images.id' },
          default: [['images.id', 'asc']],
        },
      },
      response: Type.Array(Image),
      async handler(c) {
        const project = c.requireProject();
        const categoryId = queryId(c.query, 'image_category_id');
        if (categoryId === undefined && c.version === 'vapid')
          throw ApiError.badRequest('image_category_id is required', 'image_category_id');
        let base = imagesBase(c, project.id);
        if (categoryId !== undefined) {
          await findInProject(c, c.db, 'image_categories', categoryId);
          base = base.where('images.image_category_id', '=', categoryId);
        }
        return c.list(base, selectImage, (rows: ImageRow[]) => serializeImages(c, rows));
      },
    },
    {
      method: 'GET',
      path: '/images/{id}',
      operationId: 'showImage',
      summary: 'Show an image',
      project: { from: 'query' },
      query: { image_category_id: Type.String() },
      response: Image,
      async handler(c) {
        const project = c.requireProject();
        const row = (await selectImage(imagesBase(c, project.id).where('images.id', '=', c.params['id'] as number)).executeTakeFirst()) as
          ImageRow | undefined;
        if (!row) throw ApiError.notFound();
        return (await serializeImages(c, [row]))[0];
      },
    },
  ],
});
