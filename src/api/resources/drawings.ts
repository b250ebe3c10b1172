/** Drawing areas and drawings (current revisions with real PDF/PNG sheets). */
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { Row } from '../../db/schema.js';
import { ApiError } from '../errors.js';
import type { AnyQuery } from '../http/listing.js';
import { bool } from '../refs.js';
import { defineResource, type ApiContext } from '../resource.js';
import { DateOnly, Id, NInt, NStr, Nullable, Obj, Timestamp } from '../schemas.js';

export const DrawingArea = Obj(
  {
    id: Id,
    name: Type.String(),
    description: NStr(),
    drawings_count: Type.Integer(),
    drawing_sets: Type.Array(
      Obj({
        id: Id,
        project_id: Id,
        name: Type.String(),
        created_at: Timestamp(),
        updated_at: Timestamp(),
        date: DateOnly(),
        position: NInt(),
        drawing_revisions_count: Type.Integer(),
      }),
    ),
    drawing_disciplines: Type.Array(Obj({ id: Id, name: Type.String(), position: NInt() })),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { title: 'DrawingArea' },
);

export const DrawingRevisionCurrent = Obj(
  {
    id: Id,
    revision_number: NStr(),
    floorplan: Type.Boolean(),
    has_drawing_sketches: Type.Boolean(),
    pdf_size: NInt(),
    pdf_url: NStr(),
    png_size: NInt(),
    png_url: NStr(),
    thumbnail_url: NStr(),
    large_thumbnail_url: NStr(),
    drawing_set_id: NInt(),
    drawing_date: DateOnly(),
    received_date: DateOnly(),
    updated_at: Timestamp(),
  },
  { title: 'DrawingRevisionCurrent' },
);

export const Drawing = Obj(
  {
    id: Id,
    discipline: NStr(),
    number: Type.String(),
    title: NStr(),
    obsolete: Type.Boolean(),
    drawing_area_id: Id,
    current_revision: Nullable(DrawingRevisionCurrent),
  },
  { title: 'Drawing' },
);

async function serializeAreas(c: ApiContext, areas: Row<'drawing_areas'>[]) {
  const ids = areas.map((a) => a.id);
  const drawings = await c.db
    .selectFrom('drawings')
    .select(['id', 'drawing_area_id', 'discipline_id'])
    .where('sandbox_id', '=', c.auth.sandboxId)
    .where('drawing_area_id', 'in', ids)
    .execute();
  const revisions = drawings.length
    ? await c.db
        .selectFrom('drawing_revisions')
        .select(['drawing_id', 'drawing_set_id'])
        .where('sandbox_id', '=', c.auth.sandboxId)
        .where(
          'drawing_id',
          'in',
          drawings.map((d) => d.id),
        )
        .execute()
    : [];
  const project = c.requireProject();
  const sets = await c.db
    .selectFrom('drawing_sets')
    .selectAll()
    .where('project_id', '=', project.id)
    .where('sandbox_id', '=', c.auth.sandboxId)
    .orderBy('position')
    .execute();
  const disciplines = await c.db
    .selectFrom('drawing_disciplines')
    .selectAll()
    .where('project_id', '=', project.id)
    .where('sandbox_id', '=', c.auth.sandboxId)
    .orderBy('position')
    .execute();
  return areas.map((a) => {
    const mine = drawings.filter((d) => Number(d.drawing_area_id) === a.id);
    const drawingIds = new Set(mine.map((d) => d.id));
    const revs = revisions.filter((r) => drawingIds.has(Number(r.drawing_id)));
    const disciplineIds = new Set(mine.map((d) => d.discipline_id));
    return {
      id: a.id,
      name: a.name,
      description: a.description,
      drawings_count: mine.length,
      drawing_sets: sets
        .map((s) => ({ s, n: revs.filter((r) => Number(r.drawing_set_id) === s.id).length }))
        .filter(({ n }) => n > 0)
        .map(({ s, n }) => ({
          id: s.id,
          project_id: s.project_id,
          name: s.name,
          created_at: s.created_at,
          updated_at: s.updated_at,
          date: s.date,
          position: s.position,
          drawing_revisions_count: n,
        })),
      drawing_disciplines: disciplines
        .filter((d) => disciplineIds.has(d.id))
        .map((d) => ({ id: d.id, name: d.name, position: d.position })),
      created_at: a.created_at,
      updated_at: a.updated_at,
    };
  });
}

type DrawingRow = Row<'drawings'> & { discipline_name: string | null };

async function serializeDrawings(c: ApiContext, drawings: DrawingRow[]) {
  const revisions = await c.db
    .selectFrom('drawing_revisions')
    .selectAll()
    .where('sandbox_id', '=', c.auth.sandboxId)
    .where('current', '=', 1)
    .where(
      'drawing_id',
      'in',
      drawings.map((d) => d.id),
    )
    .execute();
  const blobIds = revisions.flatMap((r) => [r.pdf_blob_id, r.png_blob_id, r.thumbnail_blob_id]);
  const blobs = blobIds.length
    ? await c.db
        .selectFrom('blobs')
        .select(['id', 'filename', 'size'])
        .where('sandbox_id', '=', c.auth.sandboxId)
        .where('id', 'in', blobIds)
        .execute()
    : [];
  const blob = new Map(blobs.map((b) => [Number(b.id), b]));
  const url = (id: number) => {
    const b = blob.get(id);
    return b ? c.blobUrl(id, b.filename) : null;
  };
  return drawings.map((d) => {
    const r = revisions.find((x) => Number(x.drawing_id) === d.id);
    return {
      id: d.id,
      discipline: d.discipline_name,
      number: d.number,
      title: d.title,
      obsolete: bool(d.obsolete),
      drawing_area_id: d.drawing_area_id,
      current_revision: r
        ? {
            id: r.id,
            revision_number: r.revision_number,
            floorplan: false,
            has_drawing_sketches: false,
            pdf_size: blob.has(r.pdf_blob_id) ? Number(blob.get(r.pdf_blob_id)!.size) : null,
            pdf_url: url(r.pdf_blob_id),
            png_size: blob.has(r.png_blob_id) ? Number(blob.get(r.png_blob_id)!.size) : null,
            png_url: url(r.png_blob_id),
            thumbnail_url: url(r.thumbnail_blob_id),
            large_thumbnail_url: url(r.png_blob_id),
            drawing_set_id: r.drawing_set_id,
            drawing_date: r.drawing_date,
            received_date: r.received_date,
            updated_at: r.updated_at,
          }
        : null,
    };
  });
}

export const drawings = defineResource({
  name: 'drawings',
  tag: 'Drawings',
  operations: [
    {
      method: 'GET',
      path: '/projects/{project_id}/drawing_areas',
      operationId: 'listDrawingAreas',
      summary: 'List drawing areas of a project',
      project: { from: 'path' },
      list: { sort: { style: 'sort', keys: { name: 'name', id: 'id' }, default: [['id', 'asc']] } },
      response: Type.Array(DrawingArea),
      async handler(c) {
        const project = c.requireProject();
        const base = c.db
          .selectFrom('drawing_areas')
          .where('project_id', '=', project.id)
          .where('sandbox_id', '=', c.auth.sandboxId) as AnyQuery;
        return c.list(
          base,
          (qb) => qb.selectAll(),
          (rows: Row<'drawing_areas'>[]) => serializeAreas(c, rows),
        );
      },
    },
    {
      method: 'GET',
      path: '/drawing_areas/{drawing_area_id}/drawings',
      operationId: 'listDrawings',
      summary: 'List drawings of a drawing area (with current revisions)',
      description:
        '`project_id` is optional on both prefixes (the 2017 spec marks it required on /vapid, but the Sandbox Test Project collection calls it without): the project comes from the drawing area; when given it must match.',
      project: { from: 'query', required: 'never' },
      list: {
        filters: {
          id: { kind: 'ids', column: 'drawings.id' },
          obsolete: { kind: 'bool', column: 'drawings.obsolete' },
          number: { kind: 'search', columns: ['drawings.number'] },
        },
        sort: {
          style: 'sort',
          keys: { number: 'drawings.number', title: 'drawings.title', id: 'drawings.id' },
          default: [
            ['drawings.number', 'asc'],
            ['drawings.id', 'asc'],
          ],
        },
      },
      response: Type.Array(Drawing),
      async handler(c) {
        const area = await c.db
          .selectFrom('drawing_areas')
          .selectAll()
          .where('id', '=', c.params['drawing_area_id'] as number)
          .where('sandbox_id', '=', c.auth.sandboxId)
          .executeTakeFirst();
        if (!area || (c.project && c.project.id !== area.project_id)) throw ApiError.notFound();
        if (!c.project) await c.loadProject(area.project_id);
        const base = c.db
          .selectFrom('drawings')
          .leftJoin('drawing_disciplines', 'drawing_disciplines.id', 'drawings.discipline_id')
          .where('drawings.drawing_area_id', '=', area.id)
          .where('drawings.sandbox_id', '=', c.auth.sandboxId) as AnyQuery;
        return c.list(
          base,
          (qb) => qb.selectAll('drawings').select(sql<string | null>`drawing_disciplines.name`.as('discipline_name')),
          (rows: DrawingRow[]) => serializeDrawings(c, rows),
        );
      },
    },
  ],
});
