/**
 * Project locations: Procore's location tree. `node_name` is a node's own name, `name` its full
 * path (`Building A > Level 1 > Room 101`), `parent_id` its parent. Other resources reference a
 * location with `f.location()` (checked against the project's live locations, see `refs.ts`).
 */
import { Type } from '@sinclair/typebox';
import { destroyRecords, insertRecord, recordRows, setRecordData } from './store.js';
import { defineResource, records } from '../../compile.js';
import { isoSeconds } from '../../../core/clock.js';
import { f, type AnyRow } from '../../fields.js';
import { LOCATIONS } from '../../refs.js';
import type { ApiContext, Db, SeedContext } from '../../resource.js';

const SEP = ' > ';

/** The seeded tree: key → node name and parent key. */
const TREE = [
  { key: 'bldgA', node_name: 'Building A', parent: null, code: 'A' },
  { key: 'level1', node_name: 'Level 1', parent: 'bldgA', code: 'A-1' },
  { key: 'room101', node_name: 'Room 101', parent: 'level1', code: 'A-1-101' },
  { key: 'level2', node_name: 'Level 2', parent: 'bldgA', code: 'A-2' },
  { key: 'site', node_name: 'Site', parent: null, code: 'S' },
] as const;
export type SeedLocation = (typeof TREE)[number]['key'];

const seeded = new WeakMap<SeedContext, Record<SeedLocation, number>>();

/** The seeded locations' ids of a sandbox being planned (allocated once, by whichever seed asks first). */
export function seededLocations(s: SeedContext): Record<SeedLocation, number> {
  let ids = seeded.get(s);
  if (!ids) {
    ids = Object.fromEntries(TREE.map((t) => [t.key, s.nextId()])) as Record<SeedLocation, number>;
    seeded.set(s, ids);
  }
  return ids;
}

/** Every live location of the project: `{id, name, node_name, parent_location_id, code}`. */
const projectLocations = (c: ApiContext, db: Db) => recordRows(c, db, LOCATIONS);

const under = (all: AnyRow[], name: string) => all.filter((l) => typeof l['name'] === 'string' && l['name'].startsWith(name + SEP));

export const locations = defineResource({
  name: LOCATIONS,
  tag: 'Locations',
  noun: ['Location', 'Locations'],
  titles: { list: 'Location', show: 'Location' },
  path: '/projects/{project_id}/locations',
  idParam: 'location_id',
  scope: 'project',
  storage: records(),
  body: 'location',
  versions: ['v1.0'],
  operations: { list: {}, show: {}, create: {}, update: {}, delete: { versions: ['v1.0', 'v1.1'] } },
  search: { filter: 'search', description: 'Text in the location name (full path)' },
  sort: {
    default: [
      ['name', 'asc'],
      ['id', 'asc'],
    ],
  },
  fields: {
    id: f.id({ filter: 'ids' }),
    name: f.text({ sort: true, search: true }),
    node_name: f.text({ write: 'required', sort: true }),
    parent_id: f.ref({ write: true, column: 'parent_location_id', filter: 'ids', sort: true }),
    code: f.text({ search: true }),
    created_at: f.createdAt({ sort: true }),
    updated_at: f.updatedAt({ filter: 'datetime', sort: true }),
  },
  hooks: {
    // The full name from the parent's; unique in the project; no node under itself.
    async validate(w) {
      const all = await projectLocations(w.c, w.trx);
      const parentId = w.body.parent_id !== undefined ? w.body.parent_id : ((w.row?.['parent_location_id'] as number | null) ?? null);
      const nodeName = (w.body.node_name ?? w.row?.['node_name']) as string;
      const parent = parentId === null ? null : all.find((l) => l['id'] === parentId);
      if (parentId !== null && !parent) return w.errors.add('parent_id', `location ${parentId} is not a location of this project`);
      if (w.row && parent && (parent['id'] === w.row['id'] || under(all, w.row['name'] as string).includes(parent)))
        return w.errors.add('parent_id', 'cannot be the location itself or one of its sublocations');
      const name = parent ? `${parent['name']}${SEP}${nodeName.trim()}` : nodeName.trim();
      if (all.some((l) => l['name'] === name && l['id'] !== w.row?.['id'])) return w.errors.add('node_name', 'has already been taken');
      w.set['name'] = name;
      w.set['node_name'] = nodeName.trim();
    },
    // A renamed or moved location renames its sublocations.
    async afterWrite(w) {
      const old = w.row?.['name'] as string | undefined;
      if (!old || old === w.set['name']) return;
      for (const l of under(await projectLocations(w.c, w.trx), old))
        await setRecordData(w.c, w.trx, l['id'], { ...l, name: `${w.set['name']}${(l['name'] as string).slice(old.length)}` }, w.now);
    },
    // Deleting a location deletes its sublocations.
    async afterRemove(c, trx, id, how) {
      if (how !== 'destroy') return;
      const all = await projectLocations(c, trx);
      const removed = new Set([id]);
      for (let changed = true; changed;) {
        changed = false;
        for (const l of all)
          if (!removed.has(l['id']) && removed.has(l['parent_location_id'] as number)) {
            removed.add(l['id']);
            changed = true;
          }
      }
      removed.delete(id);
      await destroyRecords(c, trx, [...removed]);
    },
  },
  seed: (s) => {
    const ids = seededLocations(s);
    const name = (key: SeedLocation | null): string => {
      const t = TREE.find((x) => x.key === key)!;
      return t.parent ? `${name(t.parent)}${SEP}${t.node_name}` : t.node_name;
    };
    return TREE.map((t) => ({
      id: ids[t.key],
      node_name: t.node_name,
      name: name(t.key),
      parent_id: t.parent ? ids[t.parent] : null,
      code: t.code,
    }));
  },
  extra: ({ find, serialize, schemas }) => [
    {
      method: 'POST',
      path: '/projects/{project_id}/locations/find_or_create_by_path',
      operationId: 'findOrCreateLocationByPath',
      summary: 'Find or create location(s) by path',
      description: 'The location at `path` (names from the top of the tree down), creating the missing nodes.',
      project: { from: 'path' },
      versions: ['v1.0'],
      body: {
        root: 'location',
        schema: Type.Object({
          path: Type.Array(Type.String({ minLength: 1, maxLength: 255, pattern: '\\S' }), { minItems: 1, maxItems: 20 }),
        }),
      },
      response: schemas.show,
      status: 200,
      async handler(c) {
        const path = (c.body as { path: string[] }).path.map((p) => p.trim());
        const id = await c.db.transaction().execute(async (trx) => {
          const all = await projectLocations(c, trx);
          let parent: AnyRow | null = null;
          for (const node of path) {
            const name: string = parent ? `${parent['name']}${SEP}${node}` : node;
            let found: AnyRow | undefined = all.find((l) => l['name'] === name);
            if (!found) {
              const data: AnyRow = { name, node_name: node, parent_location_id: parent?.['id'] ?? null, code: null };
              found = { ...data, id: await insertRecord(c, trx, LOCATIONS, data, isoSeconds(c.nowMs())) };
              all.push(found);
            }
            parent = found;
          }
          return parent!['id'] as number;
        });
        return (await serialize(c, [await find(c, id)], 'show'))[0];
      },
    },
  ],
});
