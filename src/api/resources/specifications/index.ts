/**
 * Specifications, read-mostly: a project's specification sets (`/projects/{project_id}/specification_sets`),
 * divisions (`/specification_section_divisions?project_id=`), sections (`/specification_sections?project_id=`,
 * each in a division of the project, numbers unique in the project, `label` = `number - description`)
 * and section revisions (`/specification_section_revisions?project_id=&specification_section_division_id=`,
 * one per section and set). Seeded with a small CSI MasterFormat 2016 book.
 */
import { Type } from '@sinclair/typebox';
import { isoSeconds } from '../../../core/clock.js';
import { defineResource, records } from '../../compile.js';
import { ApiError } from '../../errors.js';
import { f, type AnyRow } from '../../fields.js';
import { isValidDate, type AnyQuery } from '../../http/listing.js';
import { queryId } from '../../http/query.js';
import type { ApiContext, SeedContext, Write } from '../../resource.js';
import { insertRecord, recordRows } from '../locations/store.js';

const SETS = 'specification_sets';
const DIVISIONS = 'specification_section_divisions';
const SECTIONS = 'specification_sections';
const REVISIONS = 'specification_section_revisions';

/** A few divisions and sections of CSI MasterFormat 2016, as a small building's spec book has them. */
const BOOK = [
  {
    number: '01',
    description: 'General Requirements',
    sections: [
      ['01 10 00', 'Summary'],
      ['01 33 00', 'Submittal Procedures'],
    ],
  },
  {
    number: '03',
    description: 'Concrete',
    sections: [
      ['03 10 00', 'Concrete Forming and Accessories'],
      ['03 20 00', 'Concrete Reinforcing'],
      ['03 30 00', 'Cast-in-Place Concrete'],
    ],
  },
  { number: '05', description: 'Metals', sections: [['05 12 00', 'Structural Steel Framing']] },
  {
    number: '08',
    description: 'Openings',
    sections: [
      ['08 11 13', 'Hollow Metal Doors and Frames'],
      ['08 71 00', 'Door Hardware'],
    ],
  },
  { number: '09', description: 'Finishes', sections: [['09 29 00', 'Gypsum Board']] },
  { number: '26', description: 'Electrical', sections: [['26 05 19', 'Low-Voltage Electrical Power Conductors and Cables']] },
] as const;

interface Book {
  set: number;
  divisions: number[];
  sections: number[][];
}
const books = new WeakMap<SeedContext, Book>();
/** The seeded book's ids (allocated once per sandbox plan, by whichever seed asks first). */
function book(s: SeedContext): Book {
  let b = books.get(s);
  if (!b) {
    const set = s.nextId();
    const divisions = BOOK.map(() => s.nextId());
    const sections = BOOK.map((d) => d.sections.map(() => s.nextId()));
    books.set(s, (b = { set, divisions, sections }));
  }
  return b;
}
const revisionIds = new WeakMap<SeedContext, number[][]>();
function seededRevisions(s: SeedContext): number[][] {
  let ids = revisionIds.get(s);
  if (!ids) revisionIds.set(s, (ids = BOOK.map((d) => d.sections.map(() => s.nextId()))));
  return ids;
}

export const specificationDivisions = defineResource({
  name: DIVISIONS,
  tag: 'Specifications',
  noun: ['SpecificationSectionDivision', 'SpecificationSectionDivisions'],
  path: '/specification_section_divisions',
  scope: 'project',
  storage: records(),
  body: 'specification_section_division',
  versions: ['v1.0', 'vapid'],
  operations: { list: {}, create: { versions: ['v1.0'] } },
  sort: {
    default: [
      ['number', 'asc'],
      ['id', 'asc'],
    ],
  },
  fields: {
    id: f.id({ filter: 'ids' }),
    number: f.text({ write: 'required', max: 50, sort: true }),
    description: f.text({ write: 'required', sort: true }),
    url: f.computed(Type.Union([Type.String(), Type.Null()]), () => null),
    created_at: f.createdAt(),
    updated_at: f.updatedAt(),
  },
  hooks: { validate: (w) => unique(w, DIVISIONS) },
  seed: (s) => BOOK.map((d, i) => ({ id: book(s).divisions[i], number: d.number, description: d.description })),
});

/** `number` unique among the project's rows of `resource`. */
async function unique(w: Write<{ number?: string | null }>, resource: string): Promise<void> {
  const n = w.body.number?.trim();
  if (n && (await recordRows(w.c, w.trx, resource)).some((r) => r['number'] === n && r['id'] !== w.row?.['id']))
    w.errors.add('number', 'has already been taken');
}

export const specificationSections = defineResource({
  name: SECTIONS,
  tag: 'Specifications',
  noun: ['SpecificationSection', 'SpecificationSections'],
  path: '/specification_sections',
  scope: 'project',
  storage: records(),
  body: 'specification_section',
  versions: ['v1.0', 'vapid'],
  operations: { list: {}, create: { versions: ['v1.0'] } },
  sort: {
    default: [
      ['number', 'asc'],
      ['id', 'asc'],
    ],
  },
  fields: {
    id: f.id({ filter: 'ids' }),
    number: f.text({ write: 'required', max: 50, sort: true }),
    description: f.text({ write: true }),
    label: f.computed(Type.Union([Type.String(), Type.Null()]), (r) =>
      r['description'] ? `${String(r['number'])} - ${String(r['description'])}` : String(r['number'] ?? ''),
    ),
    specification_section_division_id: f.ref({ write: true, filter: 'ids' }),
    current_revision_id: f.ref({}),
    created_at: f.createdAt(),
    updated_at: f.updatedAt(),
  },
  required: ['specification_section_division_id'],
  hooks: {
    async validate(w) {
      await unique(w, SECTIONS);
      const id = w.body.specification_section_division_id;
      if (typeof id === 'number' && !(await recordRows(w.c, w.trx, DIVISIONS)).some((d) => d['id'] === id))
        w.errors.add('specification_section_division_id', `division ${id} is not a specification division of this project`);
    },
  },
  seed: (s): AnyRow[] =>
    BOOK.flatMap((d, i) =>
      d.sections.map(([number, description], j) => ({
        id: book(s).sections[i]![j],
        number,
        description,
        specification_section_division_id: book(s).divisions[i],
        current_revision_id: seededRevisions(s)[i]![j],
      })),
    ),
});

/** Revisions of the sections of a division (`specification_section_division_id` is required). */
const byDivision = async (c: ApiContext, qb: AnyQuery, use: 'list' | 'find'): Promise<AnyQuery> => {
  if (use === 'find') return qb;
  const division = queryId(c.query, 'specification_section_division_id');
  if (division === undefined)
    throw ApiError.badRequest('specification_section_division_id is required', 'specification_section_division_id');
  const sections = (await recordRows(c, c.db, SECTIONS)).filter((x) => x['specification_section_division_id'] === division);
  qb = qb.where('specification_section_id', 'in', sections.length ? sections.map((x) => x['id'] as number) : [-1]);
  // Only each section's current revision unless `all_revisions` is set.
  return c.query['all_revisions'] === 'true'
    ? qb
    : qb.where('id', 'in', sections.map((x) => x['current_revision_id'] as number).concat(-1));
};

export const specificationRevisions = defineResource({
  name: REVISIONS,
  tag: 'Specifications',
  noun: ['SpecificationSectionRevision', 'SpecificationSectionRevisions'],
  path: '/specification_section_revisions',
  scope: 'project',
  storage: records(),
  versions: ['v1.0', 'vapid'],
  operations: { list: {}, show: { versions: ['v1.0'] } },
  query: {
    specification_section_division_id: Type.String({ description: 'Division (required for the list)' }),
    all_revisions: Type.String({ description: 'true: every revision, not only the current ones' }),
  },
  sort: {
    default: [
      ['number', 'asc'],
      ['id', 'asc'],
    ],
  },
  fields: {
    id: f.id({ filter: 'ids' }),
    number: f.text({ sort: true }),
    description: f.text(),
    revision: f.text(),
    issued_date: f.date(),
    received_date: f.date(),
    url: f.computed(Type.Union([Type.String(), Type.Null()]), () => null),
    specification_section_id: f.ref({ filter: 'ids' }),
    specification_set_id: f.ref({ filter: 'ids' }),
    created_at: f.createdAt(),
    updated_at: f.updatedAt(),
  },
  hooks: { narrow: byDivision },
  seed: (s): AnyRow[] =>
    BOOK.flatMap((d, i) =>
      d.sections.map(([number, description], j) => ({
        id: seededRevisions(s)[i]![j],
        number,
        description,
        revision: '0',
        issued_date: s.day(-30),
        received_date: s.day(-28),
        specification_section_id: book(s).sections[i]![j],
        specification_set_id: book(s).set,
      })),
    ),
});

/** Specification sets: list, show and create (`{name, date}` unwrapped, as the catalogue has it). */
export const specificationSets = defineResource({
  name: SETS,
  tag: 'Specifications',
  noun: ['SpecificationSet', 'SpecificationSets'],
  path: '/projects/{project_id}/specification_sets',
  scope: 'project',
  storage: records(),
  versions: ['v1.0', 'vapid'],
  operations: { list: {}, show: {} },
  sort: {
    default: [
      ['position', 'asc'],
      ['id', 'asc'],
    ],
  },
  fields: {
    id: f.id({ filter: 'ids' }),
    name: f.text({ sort: true }),
    date: f.date({ sort: true }),
    position: f.int({ sort: true }),
    created_at: f.createdAt(),
    updated_at: f.updatedAt(),
  },
  seed: (s) => [{ id: book(s).set, name: 'Issued for Construction', date: s.day(-30), position: 1 }],
  extra: ({ find, serialize, schemas }) => [
    {
      method: 'POST',
      path: '/projects/{project_id}/specification_sets',
      operationId: 'createSpecificationSet',
      summary: 'Create a specification set',
      description: 'The body is unwrapped: `{"name": "Addendum 1", "date": "2026-12-01"}`.',
      project: { from: 'path' },
      versions: ['v1.0', 'vapid'],
      response: schemas.show,
      async handler(c) {
        const body = (c.request.body ?? {}) as Record<string, unknown>;
        const errors: Record<string, string[]> = {};
        const name = body['name'];
        if (typeof name !== 'string' || !name.trim()) errors['name'] = ["can't be blank"];
        else if (name.length > 255) errors['name'] = ['is too long (maximum is 255 characters)'];
        const date = body['date'];
        if (date !== undefined && date !== null && (typeof date !== 'string' || !isValidDate(date)))
          errors['date'] = ['is not a valid date'];
        if (Object.keys(errors).length) throw ApiError.unprocessable(errors);
        const id = await c.db.transaction().execute(async (trx) => {
          const position = (await recordRows(c, trx, SETS)).length + 1;
          return insertRecord(c, trx, SETS, { name: (name as string).trim(), date: date ?? null, position }, isoSeconds(c.nowMs()));
        });
        return (await serialize(c, [await find(c, id)], 'show'))[0];
      },
    },
  ],
});
