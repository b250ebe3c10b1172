/**
 * Documents: the folder tree (`GET /folders` answers ONE root folder, not paginated), folders,
 * and files with their versions. Folders and files are declarations; the tree (paths, children)
 * is what their `prepare` hooks load.
 */
import { Type } from '@sinclair/typebox';
import { defineResource, table } from '../../compile.js';
import { ApiError } from '../../errors.js';
import { f, unmodelled, type AnyRow } from '../../fields.js';
import { queryBool } from '../../http/query.js';
import { blobsById } from '../../refs.js';
import type { ApiContext, Resource } from '../../resource.js';
import { AnyObject, Id, NInt, NStr, NUserRef, Nullable, Obj, Timestamp } from '../../schemas.js';

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

export const files = defineResource({
  name: 'files',
  tag: 'Documents',
  noun: ['File', 'Files'],
  titles: { list: 'File', show: 'File' },
  path: '/files',
  scope: 'project',
  storage: table('files'),
  operations: { show: { summary: 'Show a file with its versions' } },
  query: { show_latest_version_only: Type.String() },
  fields: {
    id: f.id(),
    name: f.text({ required: true }),
    parent_id: f.int({ column: 'folder_id' }),
    size: f.computed(NInt(), (r, x) => x.extra.versions(r)[0]?.size ?? null),
    description: f.text(),
    created_at: f.createdAt(),
    updated_at: f.updatedAt(),
    name_with_path: f.computed(NStr(), (r, x) => {
      const folder = x.extra.tree.byId.get(r['folder_id']);
      return folder ? `${pathOf(x.extra.tree, folder)}/${r['name']}` : r['name'];
    }),
    private: f.bool(),
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
  name: f.text({ required: true }),
  parent_id: f.int(),
  private: f.bool(),
  updated_at: f.updatedAt(),
  is_tracked: f.bool(),
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
  operations: { show: { summary: 'Show a folder with its folders and files' } },
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
