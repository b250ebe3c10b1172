/**
 * Documents: the folder tree (`GET /folders` answers ONE root folder, not paginated), folders,
 * files with their versions, and the bearer-protected download of any stored blob.
 */
import { Type } from '@sinclair/typebox';
import { blobBytes } from '../../db/repos/blobs.js';
import type { Row } from '../../db/schema.js';
import { ApiError } from '../errors.js';
import { findInProject } from '../crud.js';
import { queryBool } from '../http/query.js';
import { Refs, bool } from '../refs.js';
import { defineResource, type ApiContext } from '../resource.js';
import { AnyObject, Id, NInt, NStr, NUserRef, Nullable, Obj, Timestamp } from '../schemas.js';

export const FileVersion = Obj(
  {
    id: Id,
    number: Type.Integer(),
    notes: NStr(),
    url: Type.String(),
    size: NInt(),
    created_at: Timestamp(),
    created_by: NUserRef,
    prostore_file: Obj({ id: Id, name: NStr(), url: NStr(), filename: NStr() }),
    file_id: Id,
  },
  { title: 'FileVersion' },
);

export const File = Obj(
  {
    id: Id,
    name: Type.String(),
    parent_id: NInt(),
    size: NInt(),
    description: NStr(),
    created_at: Timestamp(),
    updated_at: Timestamp(),
    checked_out_until: Timestamp(),
    checked_out_by: NUserRef,
    name_with_path: NStr(),
    private: Type.Boolean(),
    is_tracked: Type.Boolean(),
    tracked_folder: Nullable(AnyObject()),
    file_type: NStr(),
    legacy_id: NInt(),
    is_deleted: Type.Boolean(),
    custom_fields: AnyObject(),
    file_versions: Type.Array(FileVersion),
  },
  { title: 'File' },
);

const folderFields = {
  id: Id,
  name: Type.String(),
  parent_id: NInt(),
  private: Type.Boolean(),
  updated_at: Timestamp(),
  is_tracked: Type.Boolean(),
  tracked_folder: Nullable(AnyObject()),
  name_with_path: NStr(),
  read_only: Type.Boolean(),
  is_deleted: Type.Boolean(),
  is_recycle_bin: Type.Boolean(),
  has_children: Type.Boolean(),
  has_children_files: Type.Boolean(),
  has_children_folders: Type.Boolean(),
  custom_fields: AnyObject(),
};

/** A child folder: its own `folders`/`files` come back empty (Procore loads one level). */
export const Folder = Obj({ ...folderFields, folders: Type.Array(AnyObject()), files: Type.Array(AnyObject()) }, { title: 'Folder' });
export const FolderFull = Obj({ ...folderFields, folders: Type.Array(Folder), files: Type.Array(File) }, { title: 'FolderFull' });

interface Tree {
  folders: Row<'folders'>[];
  byId: Map<number, Row<'folders'>>;
  childFolders: Map<number, Row<'folders'>[]>;
  fileCounts: Map<number, number>;
}

async function loadTree(c: ApiContext, projectId: number): Promise<Tree> {
  const folders = await c.db
    .selectFrom('folders')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('sandbox_id', '=', c.auth.sandboxId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  const counts = await c.db
    .selectFrom('files')
    .select(['folder_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('project_id', '=', projectId)
    .where('sandbox_id', '=', c.auth.sandboxId)
    .groupBy('folder_id')
    .execute();
  const byId = new Map(folders.map((f) => [f.id, f]));
  const childFolders = new Map<number, Row<'folders'>[]>();
  for (const f of folders)
    if (f.parent_id !== null) (childFolders.get(f.parent_id) ?? childFolders.set(f.parent_id, []).get(f.parent_id))!.push(f);
  return { folders, byId, childFolders, fileCounts: new Map(counts.map((r) => [Number(r.folder_id), Number(r.n)])) };
}

function pathOf(tree: Tree, folder: Row<'folders'>): string {
  const names: string[] = [];
  let cur: Row<'folders'> | undefined = folder;
  for (let i = 0; cur && i < 64; i++) {
    names.unshift(cur.name);
    cur = cur.parent_id === null ? undefined : tree.byId.get(cur.parent_id);
  }
  return names.join('/');
}

function folderBase(tree: Tree, f: Row<'folders'>) {
  const folders = tree.childFolders.get(f.id)?.length ?? 0;
  const files = tree.fileCounts.get(f.id) ?? 0;
  return {
    id: f.id,
    name: f.name,
    parent_id: f.parent_id,
    private: bool(f.private),
    updated_at: f.updated_at,
    is_tracked: bool(f.is_tracked),
    tracked_folder: null,
    name_with_path: pathOf(tree, f),
    read_only: false,
    is_deleted: false,
    is_recycle_bin: false,
    has_children: folders + files > 0,
    has_children_files: files > 0,
    has_children_folders: folders > 0,
    custom_fields: {},
  };
}

async function serializeFiles(c: ApiContext, tree: Tree, files: Row<'files'>[], latestOnly: boolean) {
  if (!files.length) return [];
  const versions = await c.db
    .selectFrom('file_versions')
    .innerJoin('blobs', 'blobs.id', 'file_versions.blob_id')
    .select([
      'file_versions.id',
      'file_versions.file_id',
      'file_versions.number',
      'file_versions.notes',
      'file_versions.blob_id',
      'file_versions.created_by_id',
      'file_versions.created_at',
      'blobs.size',
      'blobs.filename',
      'blobs.content_type',
    ])
    .where('file_versions.sandbox_id', '=', c.auth.sandboxId)
    .where('blobs.sandbox_id', '=', c.auth.sandboxId)
    .where(
      'file_versions.file_id',
      'in',
      files.map((f) => f.id),
    )
    .orderBy('file_versions.number', 'desc')
    .execute();
  const refs = await new Refs(c.db, c.auth.sandboxId).loadUsers(versions.map((v) => v.created_by_id));
  return files.map((f) => {
    let mine = versions.filter((v) => Number(v.file_id) === f.id);
    if (latestOnly) mine = mine.slice(0, 1);
    const folder = tree.byId.get(f.folder_id);
    const ext = /\.([A-Za-z0-9]{1,8})$/.exec(f.name)?.[1]?.toLowerCase() ?? null;
    return {
      id: f.id,
      name: f.name,
      parent_id: f.folder_id,
      size: mine[0] ? Number(mine[0].size) : null,
      description: f.description,
      created_at: f.created_at,
      updated_at: f.updated_at,
      checked_out_until: null,
      checked_out_by: null,
      name_with_path: folder ? `${pathOf(tree, folder)}/${f.name}` : f.name,
      private: bool(f.private),
      is_tracked: false,
      tracked_folder: null,
      file_type: ext,
      legacy_id: f.id,
      is_deleted: false,
      custom_fields: {},
      file_versions: mine.map((v) => {
        const url = c.blobUrl(Number(v.blob_id), v.filename);
        return {
          id: v.id,
          number: v.number,
          notes: v.notes,
          url,
          size: Number(v.size),
          created_at: v.created_at,
          created_by: refs.user(v.created_by_id),
          prostore_file: { id: Number(v.blob_id), name: v.filename, url, filename: v.filename },
          file_id: f.id,
        };
      }),
    };
  });
}

async function folderFull(c: ApiContext, tree: Tree, folder: Row<'folders'>) {
  const excludeFolders = queryBool(c.query, 'exclude_folders') ?? false;
  const excludeFiles = queryBool(c.query, 'exclude_files') ?? false;
  const latestOnly = queryBool(c.query, 'show_latest_file_version_only') ?? false;
  const files = excludeFiles
    ? []
    : await c.db
        .selectFrom('files')
        .selectAll()
        .where('folder_id', '=', folder.id)
        .where('sandbox_id', '=', c.auth.sandboxId)
        .orderBy('name')
        .orderBy('id')
        .execute();
  return {
    ...folderBase(tree, folder),
    folders: excludeFolders
      ? []
      : (tree.childFolders.get(folder.id) ?? []).map((f) => ({ ...folderBase(tree, f), folders: [], files: [] })),
    files: await serializeFiles(c, tree, files, latestOnly),
  };
}

/** The folder `pick` chooses from the scoped project's tree, in full; 404 when there is none. */
async function showFolder(c: ApiContext, pick: (tree: Tree) => Row<'folders'> | undefined) {
  const tree = await loadTree(c, c.requireProject().id);
  const folder = pick(tree);
  if (!folder) throw ApiError.notFound();
  return folderFull(c, tree, folder);
}

const folderQuery = {
  exclude_folders: Type.String({ description: 'true to leave out sub-folders' }),
  exclude_files: Type.String({ description: 'true to leave out files' }),
  show_latest_file_version_only: Type.String({ description: 'true for the latest file version only' }),
};

export const documents = defineResource({
  name: 'documents',
  tag: 'Documents',
  operations: [
    {
      method: 'GET',
      path: '/folders',
      operationId: 'listFoldersAndFiles',
      summary: "List a project's root folder with its folders and files",
      description:
        'One root folder object (not an array, not paginated). Folders deeper than the root’s children come back with empty `folders` and `files`.',
      project: { from: 'query' },
      query: folderQuery,
      response: FolderFull,
      handler: (c) => showFolder(c, (tree) => tree.folders.find((f) => f.parent_id === null)),
    },
    {
      method: 'GET',
      path: '/folders/{id}',
      operationId: 'showFolder',
      summary: 'Show a folder with its folders and files',
      project: { from: 'query' },
      query: folderQuery,
      response: FolderFull,
      handler: (c) => showFolder(c, (tree) => tree.byId.get(c.params['id'] as number)),
    },
    {
      method: 'GET',
      path: '/files/{id}',
      operationId: 'showFile',
      summary: 'Show a file with its versions',
      project: { from: 'query' },
      query: { show_latest_version_only: Type.String() },
      response: File,
      async handler(c) {
        const file = await findInProject(c, c.db, 'files', c.params['id'] as number);
        const tree = await loadTree(c, c.requireProject().id);
        const [out] = await serializeFiles(c, tree, [file], queryBool(c.query, 'show_latest_version_only') ?? false);
        return out;
      },
    },
  ],
});

/** RFC 6266 `Content-Disposition` with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export const blobs = defineResource({
  name: 'blobs',
  tag: 'Downloads',
  operations: [
    {
      method: 'GET',
      path: '/blobs/{blob_id}/{filename}',
      operationId: 'downloadBlob',
      summary: 'Download stored file bytes (file versions, drawing sheets, images)',
      description:
        'The `url` fields of files, drawings and images point here. Bearer-protected; a blob of another sandbox is a 404. No Procore-Company-Id header needed.',
      companyHeader: 'exempt',
      raw: true,
      async handler(c) {
        const blob = await c.db
          .selectFrom('blobs')
          .selectAll()
          .where('id', '=', c.params['blob_id'] as number)
          .where('sandbox_id', '=', c.auth.sandboxId)
          .executeTakeFirst();
        if (!blob || blob.filename !== c.rawParams['filename']) throw ApiError.notFound();
        const data = await blobBytes(c.db, blob);
        return c.reply
          .code(200)
          .header('Content-Type', blob.content_type.startsWith('text/') ? `${blob.content_type}; charset=utf-8` : blob.content_type)
          .header('Content-Disposition', contentDisposition(blob.filename))
          .header('X-Content-Type-Options', 'nosniff')
          .header('Content-Security-Policy', "default-src 'none'; sandbox")
          .header('Cache-Control', 'private, max-age=3600')
          .header('ETag', `"${blob.sha256}"`)
          .send(data);
      },
    },
  ],
});
