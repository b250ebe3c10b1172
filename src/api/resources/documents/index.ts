/**
 * Documents: the folder tree (`GET /folders` answers ONE root folder, not paginated), folders,
 * and files with their versions. Folders and files are declarations; the tree (paths, children)
 * is what their `prepare` hooks load.
 *
 * Writes: folders are created under a parent (the root when none is named), renamed, moved and
 * deleted with everything below them; files are created from a completed upload
 * (`upload_uuid`, `src/api/resources/uploads/`), each later `upload_uuid` adding a version.
 */
import { Type } from '@sinclair/typebox';
import { allocateIds } from '../../../db/repos/sandboxes.js';
import { defineResource, table } from '../../compile.js';
import { ApiError, type FieldErrors } from '../../errors.js';
import { f, unmodelled, type AnyRow } from '../../fields.js';
import { queryBool } from '../../http/query.js';
import { blobsById } from '../../refs.js';
import type { ApiContext, Db, Resource, Write } from '../../resource.js';
import { AnyObject, Id, NInt, NStr, NUserRef, Nullable, Obj, Timestamp } from '../../schemas.js';
import { isFormFile } from '../../http/form.js';
import { attachableData, attachableUpload, type Attachable } from '../uploads/store.js';

interface Tree {
  folders: AnyRow[];
  byId: Map<number, AnyRow>;
  children: Map<number, AnyRow[]>;
  fileCounts: Map<number, number>;
}

async function loadTree(c: ApiContext): Promise<Tree> {
  const project = c.requireProject().id;
  const folders = (await c
    .from('folders')
    .selectAll()
    .where('project_id', '=', project)
    .orderBy('name')
    .orderBy('id')
    .execute()) as AnyRow[];
  const counts = (await c
    .from('files')
    .select(['folder_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('project_id', '=', project)
    .groupBy('folder_id')
    .execute()) as AnyRow[];
  const children = new Map<number, AnyRow[]>();
  for (const fo of folders) if (fo['parent_id'] !== null) children.set(fo['parent_id'], [...(children.get(fo['parent_id']) ?? []), fo]);
  return {
    folders,
    byId: new Map(folders.map((fo) => [fo['id'], fo])),
    children,
    fileCounts: new Map(counts.map((r) => [Number(r['folder_id']), Number(r['n'])])),
  };
}

function pathOf(tree: Tree, folder: AnyRow | undefined): string {
  const names: string[] = [];
  for (let cur = folder, i = 0; cur && i < 64; i++) {
    names.unshift(cur['name']);
    cur = cur['parent_id'] === null ? undefined : tree.byId.get(cur['parent_id']);
  }
  return names.join('/');
}

/** The project's root folder id (every project has one), else the one 404. */
async function rootFolderId(c: ApiContext, db: Db): Promise<number> {
  const root = await c
    .fromIn(db, 'folders')
    .select('id')
    .where('project_id', '=', c.requireProject().id)
    .where('parent_id', 'is', null)
    .orderBy('id')
    .executeTakeFirst();
  if (!root) throw ApiError.notFound();
  return Number(root['id']);
}

/** A `parent_id` written: a folder of the request's project, else a 422 naming it. */
async function checkParent(c: ApiContext, db: Db, parentId: unknown, errors: FieldErrors): Promise<void> {
  if (parentId === undefined || parentId === null) return;
  const found = await c
    .fromIn(db, 'folders')
    .select('id')
    .where('id', '=', parentId as number)
    .where('project_id', '=', c.requireProject().id)
    .executeTakeFirst();
  if (!found) errors.add('parent_id', 'does not match a folder of this project');
}

/** `name`, or `name (2).ext`, `name (3).ext`, … : the first not taken by `taken`. */
function uniqueName(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name;
  const m = /^(.*?)(\.[A-Za-z0-9]{1,8})?$/.exec(name);
  for (let n = 2; ; n++) {
    const candidate = `${m?.[1] ?? name} (${n})${m?.[2] ?? ''}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The upload a file write attaches (found by `validate`, stored as a version by `afterWrite`). */
const attaching = new WeakMap<object, Attachable>();

const ProstoreFile = Obj({ id: Id, name: NStr(), url: NStr(), filename: NStr() });
export const FileVersion = Obj(
  {
    id: Id,
    number: Type.Integer(),
    notes: NStr(),
    url: Type.String(),
    size: NInt(),
    created_at: Timestamp(),
    created_by: NUserRef,
    prostore_file: ProstoreFile,
    file_id: Id,
  },
  { title: 'FileVersion' },
);

/** The file's next version, pointing at the upload's blob. */
async function addVersion(w: Write<unknown>, upload: Attachable): Promise<void> {
  const last = await w.c
    .fromIn(w.trx, 'file_versions')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('file_id', '=', w.id)
    .executeTakeFirst();
  await w.trx
    .insertInto('file_versions')
    .values({
      id: await allocateIds(w.trx, w.c.auth.sandboxId, 1),
      sandbox_id: w.c.auth.sandboxId,
      file_id: w.id,
      number: Number(last?.['n'] ?? 0) + 1,
      notes: null,
      blob_id: upload.blobId,
      created_by_id: w.c.auth.userId,
      created_at: w.now,
    })
    .execute();
}

export const files = defineResource({
  name: 'files',
  tag: 'Documents',
  noun: ['File', 'Files'],
  titles: { list: 'File', show: 'File' },
  path: '/files',
  scope: 'project',
  storage: table('files'),
  body: 'file',
  operations: {
    show: { summary: 'Show a file with its versions' },
    create: {
      summary: 'Create a file from a completed upload',
      description:
        "`{file: {upload_uuid, name?, parent_id?, description?, explicit_permissions?, unique_name?}}`: the file (version 1) in the folder `parent_id` (default the root folder), named `name` (default the upload's file name). An unknown, unfinished or other sandbox's `upload_uuid` is a 422 naming it; a name taken in the folder is a 422 unless `unique_name` (then `name (2).ext`).",
    },
    update: {
      summary: 'Update a file (rename, move, describe; a new version from an upload)',
      description: 'Same keys as create, all optional; an `upload_uuid` adds the next version.',
    },
    delete: { summary: 'Delete a file with its versions' },
  },
  query: { show_latest_version_only: Type.String() },
  extraBody: {
    upload_uuid: Type.String({ description: 'UUID of a completed upload (`POST …/uploads`)' }),
    unique_name: Type.Boolean({ description: 'Rename automatically when the name is taken in the folder' }),
    is_tracked: Type.Boolean(),
  },
  fields: {
    id: f.id(),
    name: f.text({ required: true, write: true }),
    parent_id: f.int({ column: 'folder_id', write: true }),
    size: f.computed(NInt(), (r, x) => x.extra.versions(r)[0]?.size ?? null),
    description: f.text({ write: true, long: true }),
    created_at: f.createdAt(),
    updated_at: f.updatedAt(),
    name_with_path: f.computed(NStr(), (r, x) => {
      const folder = x.extra.tree.byId.get(r['folder_id']);
      return folder ? `${pathOf(x.extra.tree, folder)}/${r['name']}` : r['name'];
    }),
    private: f.bool({ write: 'explicit_permissions' }),
    file_type: f.computed(NStr(), (r) => /\.([A-Za-z0-9]{1,8})$/.exec(r['name'])?.[1]?.toLowerCase() ?? null),
    legacy_id: f.computed(NInt(), (r) => r['id']),
    file_versions: f.computed(Type.Array(FileVersion), (r, x) =>
      (x.extra.versions(r) as AnyRow[]).map((v) => {
        const url = x.c.blobUrl(Number(v['blob_id']), v['filename']);
        return {
          id: v['id'],
          number: v['number'],
          notes: v['notes'],
          url,
          size: v['size'],
          created_at: v['created_at'],
          created_by: x.user(v['created_by_id']),
          prostore_file: { id: Number(v['blob_id']), name: v['filename'], url, filename: v['filename'] },
          file_id: r['id'],
        };
      }),
    ),
    ...unmodelled({
      checked_out_until: Timestamp(),
      checked_out_by: NUserRef,
      is_tracked: Type.Boolean(),
      tracked_folder: Nullable(AnyObject()),
      is_deleted: Type.Boolean(),
      custom_fields: AnyObject(),
    }),
  },
  hooks: {
    async validate(w) {
      const { c, trx, body, errors } = w;
      await checkParent(c, trx, body.parent_id, errors);
      const data = (body as Record<string, unknown>)['data'];
      if (isFormFile(data) && body.upload_uuid === undefined) {
        attaching.set(w, await attachableData(trx, c.auth.sandboxId, data, c.nowMs()));
      } else if (w.row === null || body.upload_uuid !== undefined) {
        const upload = await attachableUpload(trx, c.auth.sandboxId, body.upload_uuid, 'upload_uuid', errors, c.nowMs());
        if (upload) attaching.set(w, upload);
      }
      if (!errors.empty) return;
      const folderId = body.parent_id ?? (w.row ? (w.row['folder_id'] as number) : await rootFolderId(c, trx));
      const name = (body.name ?? (w.row ? (w.row['name'] as string) : attaching.get(w)?.filename) ?? '').trim();
      if (name === '') return errors.add('name', "can't be blank");
      const siblings = (await c
        .fromIn(trx, 'files')
        .select(['id', 'name'])
        .where('folder_id', '=', folderId)
        .where('id', '!=', w.row ? (w.row['id'] as number) : 0)
        .execute()) as AnyRow[];
      const taken = new Set(siblings.map((s) => String(s['name'])));
      if (taken.has(name) && !body.unique_name) return errors.add('name', 'has already been taken in this folder');
      w.set['folder_id'] = folderId;
      w.set['name'] = uniqueName(name, taken);
    },
    beforeInsert(w) {
      w.set['created_by_id'] = w.c.auth.userId;
    },
    async afterWrite(w) {
      const upload = attaching.get(w);
      if (upload) await addVersion(w, upload);
    },
    async afterRemove(c, trx, id) {
      await trx.deleteFrom('file_versions').where('sandbox_id', '=', c.auth.sandboxId).where('file_id', '=', id).execute();
    },
    async prepare(c, rows, _view, refs) {
      const versions = (await c
        .from('file_versions')
        .selectAll()
        .where(
          'file_id',
          'in',
          rows.map((r) => r['id']),
        )
        .orderBy('number', 'desc')
        .execute()) as AnyRow[];
      const blobs = await blobsById(
        c,
        versions.map((v) => v['blob_id']),
      );
      await refs.loadUsers(versions.map((v) => v['created_by_id']));
      const latestOnly = queryBool(c.query, 'show_latest_version_only') ?? queryBool(c.query, 'show_latest_file_version_only') ?? false;
      const tree = await loadTree(c);
      return {
        tree,
        versions: (r: AnyRow) => {
          const mine = versions
            .filter((v) => Number(v['file_id']) === r['id'])
            .map((v) => ({ ...v, ...blobs.get(Number(v['blob_id'])), id: v['id'] }));
          return latestOnly ? mine.slice(0, 1) : mine;
        },
      };
    },
  },
});

const folderBase = {
  id: f.id(),
  name: f.text({ required: true, write: 'required' }),
  parent_id: f.int({ write: true }),
  private: f.bool({ write: 'explicit_permissions' }),
  updated_at: f.updatedAt(),
  is_tracked: f.bool({ write: true }),
  name_with_path: f.computed(NStr(), (r, x) => pathOf(x.extra.tree, r)),
  has_children: f.computed(
    Type.Boolean(),
    (r, x) => (x.extra.tree.children.get(r['id'])?.length ?? 0) + (x.extra.tree.fileCounts.get(r['id']) ?? 0) > 0,
  ),
  has_children_files: f.computed(Type.Boolean(), (r, x) => (x.extra.tree.fileCounts.get(r['id']) ?? 0) > 0),
  has_children_folders: f.computed(Type.Boolean(), (r, x) => (x.extra.tree.children.get(r['id'])?.length ?? 0) > 0),
  ...unmodelled({
    tracked_folder: Nullable(AnyObject()),
    read_only: Type.Boolean(),
    is_deleted: Type.Boolean(),
    is_recycle_bin: Type.Boolean(),
    custom_fields: AnyObject(),
  }),
};

const folderQuery = {
  exclude_folders: Type.String({ description: 'true to leave out sub-folders' }),
  exclude_files: Type.String({ description: 'true to leave out files' }),
  show_latest_file_version_only: Type.String({ description: 'true for the latest file version only' }),
};

export const folders: Resource = defineResource({
  name: 'folders',
  tag: 'Documents',
  noun: ['Folder', 'Folders'],
  titles: { list: 'Folder', show: 'FolderFull' },
  path: '/folders',
  scope: 'project',
  storage: table('folders'),
  body: 'folder',
  operations: {
    show: { summary: 'Show a folder with its folders and files' },
    create: {
      summary: 'Create a folder',
      description:
        '`{folder: {name, parent_id?, is_tracked?, explicit_permissions?}}`: under `parent_id` (default the root folder). A name taken among its siblings is a 422.',
    },
    update: { summary: 'Update a folder (rename, move)', description: 'A move under itself or one of its sub-folders is a 422.' },
    delete: { summary: 'Delete a folder with its sub-folders and files', description: 'The root folder cannot be deleted (422).' },
  },
  query: folderQuery,
  fields: {
    ...folderBase,
    // A child folder (list view): its own `folders`/`files` come back empty (Procore loads one level).
    child_folders: f.computed(Type.Array(AnyObject()), () => [], { in: ['list'], key: 'folders' }),
    child_files: f.computed(Type.Array(AnyObject()), () => [], { in: ['list'], key: 'files' }),
    folders: f.computed(Type.Array(AnyObject()), (r, x) => x.extra.folders.get(r['id']) ?? [], { in: ['show'] }),
    files: f.computed(Type.Array(AnyObject()), (r, x) => x.extra.files.get(r['id']) ?? [], { in: ['show'] }),
  },
  hooks: {
    async validate(w) {
      const { c, trx, body, errors } = w;
      await checkParent(c, trx, body.parent_id, errors);
      if (!errors.empty) return;
      const all = (await c
        .fromIn(trx, 'folders')
        .select(['id', 'parent_id', 'name'])
        .where('project_id', '=', c.requireProject().id)
        .execute()) as AnyRow[];
      const self = w.row ? (w.row['id'] as number) : null;
      if (w.row && w.row['parent_id'] === null && body.parent_id !== undefined && body.parent_id !== null)
        return errors.add('parent_id', 'the root folder cannot be moved');
      let parent = body.parent_id ?? (w.row ? (w.row['parent_id'] as number | null) : null);
      if (parent === null && !(w.row && w.row['parent_id'] === null)) parent = await rootFolderId(c, trx);
      // A folder cannot move below itself.
      for (let cur: number | null = parent, i = 0; cur !== null && self !== null && i < 256; i++) {
        if (cur === self) return errors.add('parent_id', "can't be the folder itself or one of its sub-folders");
        cur = (all.find((fo) => fo['id'] === cur)?.['parent_id'] as number | null | undefined) ?? null;
      }
      const name = (body.name ?? (w.row?.['name'] as string | undefined) ?? '').trim();
      if (all.some((fo) => fo['parent_id'] === parent && fo['id'] !== self && String(fo['name']) === name))
        return errors.add('name', 'has already been taken in this folder');
      w.set['parent_id'] = parent;
      if (body.name !== undefined) w.set['name'] = name;
    },
    async afterRemove(c, trx, id) {
      if (
        (await c
          .fromIn(trx, 'folders')
          .select('id')
          .where('parent_id', 'is', null)
          .where('project_id', '=', c.requireProject().id)
          .executeTakeFirst()) === undefined
      )
        throw ApiError.unprocessable({ base: ['The root folder cannot be deleted'] });
      // Everything below the folder goes with it.
      const all = (await c
        .fromIn(trx, 'folders')
        .select(['id', 'parent_id'])
        .where('project_id', '=', c.requireProject().id)
        .execute()) as AnyRow[];
      const gone = new Set([id]);
      for (let grew = true; grew;) {
        grew = false;
        for (const fo of all)
          if (!gone.has(fo['id']) && gone.has(fo['parent_id'])) {
            gone.add(fo['id']);
            grew = true;
          }
      }
      const fileIds = (
        (await c
          .fromIn(trx, 'files')
          .select('id')
          .where('folder_id', 'in', [...gone])
          .execute()) as AnyRow[]
      ).map((r) => r['id'] as number);
      const sandbox = c.auth.sandboxId;
      if (fileIds.length) {
        await trx.deleteFrom('file_versions').where('sandbox_id', '=', sandbox).where('file_id', 'in', fileIds).execute();
        await trx.deleteFrom('files').where('sandbox_id', '=', sandbox).where('id', 'in', fileIds).execute();
      }
      await trx
        .deleteFrom('folders')
        .where('sandbox_id', '=', sandbox)
        .where('id', 'in', [...gone])
        .execute();
    },
    async prepare(c, rows, view): Promise<unknown> {
      const tree = await loadTree(c);
      if (view === 'list') return { tree };
      const ids = rows.map((r) => r['id'] as number);
      const children = queryBool(c.query, 'exclude_folders') ? [] : tree.folders.filter((fo) => ids.includes(fo['parent_id']));
      const fileRows = queryBool(c.query, 'exclude_files')
        ? []
        : await files
            .helpers!.select(files.helpers!.rows(c).where('folder_id', 'in', ids))
            .orderBy('name')
            .orderBy('id')
            .execute();
      const group = (list: AnyRow[], key: string) => {
        const out = new Map<number, AnyRow[]>();
        for (const item of list) out.set(item[key], [...(out.get(item[key]) ?? []), item]);
        return out;
      };
      return {
        tree,
        folders: group((await folders.helpers!.serialize(c, children, 'list')) as AnyRow[], 'parent_id'),
        files: group((await files.helpers!.serialize(c, fileRows.map(files.helpers!.decode), 'show')) as AnyRow[], 'parent_id'),
      };
    },
  },
  extra: ({ find, serialize, schemas }) => [
    {
      method: 'GET',
      path: '/folders',
      operationId: 'listFoldersAndFiles',
      summary: "List a project's root folder with its folders and files",
      description:
        'One root folder object (not an array, not paginated). Folders deeper than the root’s children come back with empty `folders` and `files`.',
      project: { from: 'query' },
      query: folderQuery,
      response: schemas.show,
      async handler(c) {
        const root = await c
          .from('folders')
          .select('id')
          .where('project_id', '=', c.requireProject().id)
          .where('parent_id', 'is', null)
          .orderBy('id')
          .executeTakeFirst();
        if (!root) throw ApiError.notFound();
        return (await serialize(c, [await find(c, Number(root['id']))], 'show'))[0];
      },
    },
  ],
});
