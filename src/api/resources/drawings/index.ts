/** Drawing areas and drawings (current revisions with real PDF/PNG sheets). */
import { Type } from '@sinclair/typebox';
import { defineResource, table } from '../../compile.js';
import { f, type AnyRow } from '../../fields.js';
import { blobsById, type BlobInfo } from '../../refs.js';
import { DateOnly, Id, NInt, NStr, Nullable, Obj, Timestamp } from '../../schemas.js';

const ids = (rows: AnyRow[], key = 'id') => [...new Set(rows.map((r) => Number(r[key])))];

export const drawingAreas = defineResource({
  name: 'drawing_areas',
  tag: 'Drawings',
  noun: ['Drawing Area', 'Drawing Areas'],
  titles: { list: 'DrawingArea', show: 'DrawingArea' },
  path: '/projects/{project_id}/drawing_areas',
  scope: 'project',
  storage: table('drawing_areas'),
  operations: { list: {} },
  sort: { keys: { id: 'id' } },
  fields: {
    id: f.id(),
    name: f.text({ required: true, sort: true }),
    description: f.text(),
    drawings_count: f.computed(
      Type.Integer(),
      (r, x) => x.extra.drawings.filter((d: AnyRow) => Number(d['drawing_area_id']) === r['id']).length,
    ),
    drawing_sets: f.computed(
      Type.Array(
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
      (r, x) => {
        const mine = new Set(
          x.extra.drawings.filter((d: AnyRow) => Number(d['drawing_area_id']) === r['id']).map((d: AnyRow) => Number(d['id'])),
        );
        const revs = (x.extra.revisions as AnyRow[]).filter((v) => mine.has(Number(v['drawing_id'])));
        return (x.extra.sets as AnyRow[])
          .map((s) => ({ s, n: revs.filter((v) => Number(v['drawing_set_id']) === s['id']).length }))
          .filter(({ n }) => n > 0)
          .map(({ s, n }) => ({ ...s, drawing_revisions_count: n }));
      },
    ),
    drawing_disciplines: f.computed(Type.Array(Obj({ id: Id, name: Type.String(), position: NInt() })), (r, x) => {
      const used = new Set(
        x.extra.drawings.filter((d: AnyRow) => Number(d['drawing_area_id']) === r['id']).map((d: AnyRow) => d['discipline_id']),
      );
      return (x.extra.disciplines as AnyRow[])
        .filter((d) => used.has(d['id']))
        .map((d) => ({ id: d['id'], name: d['name'], position: d['position'] }));
    }),
    created_at: f.createdAt(),
    updated_at: f.updatedAt(),
  },
  hooks: {
    async prepare(c, rows) {
      const project = c.requireProject().id;
      const drawings = (await c
        .from('drawings')
        .select(['id', 'drawing_area_id', 'discipline_id'])
        .where('drawing_area_id', 'in', ids(rows))
        .execute()) as AnyRow[];
      const revisions = drawings.length
        ? ((await c
            .from('drawing_revisions')
            .select(['drawing_id', 'drawing_set_id'])
            .where('drawing_id', 'in', ids(drawings))
            .execute()) as AnyRow[])
        : [];
      const sets = await c
        .from('drawing_sets')
        .select(['id', 'project_id', 'name', 'created_at', 'updated_at', 'date', 'position'])
        .where('project_id', '=', project)
        .orderBy('position')
        .execute();
      const disciplines = await c.from('drawing_disciplines').selectAll().where('project_id', '=', project).orderBy('position').execute();
      return { drawings, revisions, sets, disciplines };
    },
  },
});

const Revision = Obj(
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

export const drawings = defineResource({
  name: 'drawings',
  tag: 'Drawings',
  noun: ['Drawing', 'Drawings'],
  titles: { list: 'Drawing', show: 'Drawing' },
  path: '/drawing_areas/{drawing_area_id}/drawings',
  scope: 'project',
  projectRequired: 'never',
  parent: { param: 'drawing_area_id', storage: table('drawing_areas'), name: 'drawing_areas' },
  storage: table('drawings', { parentColumn: 'drawing_area_id' }),
  operations: {
    list: {
      summary: 'List drawings of a drawing area (with current revisions)',
      description:
        '`project_id` is optional on both prefixes (the 2017 spec marks it required on /vapid, but the Sandbox Test Project collection calls it without): the project comes from the drawing area; when given it must match.',
    },
  },
  sort: {
    keys: { id: 'id' },
    default: [
      ['number', 'asc'],
      ['id', 'asc'],
    ],
  },
  fields: {
    id: f.id({ filter: 'ids' }),
    discipline: f.computed(NStr(), (r, x) => x.extra.disciplines.get(r['discipline_id']) ?? null),
    number: f.text({ required: true, filter: 'search', sort: true }),
    title: f.text({ sort: true }),
    obsolete: f.bool({ filter: 'bool' }),
    drawing_area_id: f.computed(Id, (r) => r['drawing_area_id']),
    current_revision: f.computed(Nullable(Revision), (r, x) => {
      const v = (x.extra.revisions as AnyRow[]).find((rev) => Number(rev['drawing_id']) === r['id']);
      if (!v) return null;
      const blobs = x.extra.blobs as Map<number, BlobInfo>;
      const url = (id: unknown) => {
        const b = blobs.get(Number(id));
        return b ? x.c.blobUrl(b.id, b.filename) : null;
      };
      return {
        id: v['id'],
        revision_number: v['revision_number'],
        floorplan: false,
        has_drawing_sketches: false,
        pdf_size: blobs.get(Number(v['pdf_blob_id']))?.size ?? null,
        pdf_url: url(v['pdf_blob_id']),
        png_size: blobs.get(Number(v['png_blob_id']))?.size ?? null,
        png_url: url(v['png_blob_id']),
        thumbnail_url: url(v['thumbnail_blob_id']),
        large_thumbnail_url: url(v['png_blob_id']),
        drawing_set_id: v['drawing_set_id'],
        drawing_date: v['drawing_date'],
        received_date: v['received_date'],
        updated_at: v['updated_at'],
      };
    }),
    discipline_id: f.hidden(),
  },
  hooks: {
    async prepare(c, rows) {
      const revisions = (await c
        .from('drawing_revisions')
        .selectAll()
        .where('current', '=', 1)
        .where('drawing_id', 'in', ids(rows))
        .execute()) as AnyRow[];
      const disciplines = (await c
        .from('drawing_disciplines')
        .select(['id', 'name'])
        .where('id', 'in', ids(rows, 'discipline_id'))
        .execute()) as AnyRow[];
      return {
        revisions,
        blobs: await blobsById(
          c,
          revisions.flatMap((v) => [v['pdf_blob_id'], v['png_blob_id'], v['thumbnail_blob_id']]),
        ),
        disciplines: new Map(disciplines.map((d) => [Number(d['id']), d['name']])),
      };
    },
  },
});
