/**
 * Plans the rows of a fresh Developer Sandbox (product.md §3.5) without touching storage.
 * The same inputs give the same rows and ids, so a sandbox regenerated on a fresh database (or
 * reset to seed) has the ids it had before.
 */
import { createHash } from 'node:crypto';
import type { NewRow } from '../../db/schema.js';
import { DAY_MS, isoDate, isoSeconds } from '../clock.js';
import { IdAllocator, blockStart } from '../ids.js';
import type { AssetFile, SeedAssets } from './assets-types.js';
import { DRAWING_SHEETS, FOLDERS, PROJECT, SEED_USERS, SERVICE_ACCOUNT, VENDORS, type SeedUserKey } from './content.js';

export interface SeedDeveloper {
  id: number;
  email: string;
  name: string;
  passwordHash: string;
}

export interface SeedInput {
  sandboxNumber: number;
  appName: string;
  /** The app owner's portal account; appears in the company directory and can sign in. */
  developer: SeedDeveloper | null;
  /** Creation time: seed timestamps and schedule dates are relative to it. */
  createdAtMs: number;
  assets: SeedAssets;
}

export interface SeedPlan {
  companyId: number;
  projectId: number;
  /** First id free for rows created later in this sandbox. */
  nextId: number;
  /** Hands out the next seed ids (resources' own seed rows continue the sequence). */
  ids: IdAllocator;
  /** Seeded users and vendors by key, for resources' seed rows. */
  users: Record<SeedUserKey, number>;
  vendors: Record<(typeof VENDORS)[number]['key'], number>;
  /** Sandbox creation time and its day (ms, UTC midnight). */
  created: string;
  day0: number;
  /** Rows of declared resources (added by the services' planner), inserted after `rows`. */
  more: { table: string; rows: Record<string, unknown>[] }[];
  rows: {
    companies: NewRow<'companies'>[];
    vendors: NewRow<'vendors'>[];
    users: NewRow<'users'>[];
    projects: NewRow<'projects'>[];
    project_users: NewRow<'project_users'>[];
    blobs: NewRow<'blobs'>[];
    folders: NewRow<'folders'>[];
    files: NewRow<'files'>[];
    file_versions: NewRow<'file_versions'>[];
    image_categories: NewRow<'image_categories'>[];
    images: NewRow<'images'>[];
    drawing_areas: NewRow<'drawing_areas'>[];
    drawing_sets: NewRow<'drawing_sets'>[];
    drawing_disciplines: NewRow<'drawing_disciplines'>[];
    drawings: NewRow<'drawings'>[];
    drawing_revisions: NewRow<'drawing_revisions'>[];
  };
}

/** Ids reserved at the start of each block for the fixed seed rows. */
const SEED_ID_SPAN = 1000;

export function planSandbox(input: SeedInput): SeedPlan {
  const ids = new IdAllocator(blockStart(input.sandboxNumber));
  const sandbox_id = input.sandboxNumber;
  const created = isoSeconds(input.createdAtMs);
  const day0 = Math.floor(input.createdAtMs / DAY_MS) * DAY_MS;
  const stamps = { created_at: created, updated_at: created };

  const companyId = ids.next();
  const rows: SeedPlan['rows'] = {
    companies: [],
    vendors: [],
    users: [],
    projects: [],
    project_users: [],
    blobs: [],
    folders: [],
    files: [],
    file_versions: [],
    image_categories: [],
    images: [],
    drawing_areas: [],
    drawing_sets: [],
    drawing_disciplines: [],
    drawings: [],
    drawing_revisions: [],
  };

  rows.companies.push({ id: companyId, sandbox_id, name: `${input.appName} (Sandbox)`, is_active: 1, logo_url: null, ...stamps });

  const vendorIds = {} as Record<(typeof VENDORS)[number]['key'], number>;
  for (const v of VENDORS) {
    const id = ids.next();
    vendorIds[v.key] = id;
    rows.vendors.push({ id, sandbox_id, company_id: companyId, name: v.name, trade_name: v.trade_name, is_active: 1, ...stamps });
  }

  const baseUser = {
    sandbox_id,
    company_id: companyId,
    business_phone: null,
    mobile_phone: null,
    address: PROJECT.address,
    city: PROJECT.city,
    state_code: PROJECT.state_code,
    country_code: PROJECT.country_code,
    zip: PROJECT.zip,
    is_active: 1,
    last_login_at: null,
    ...stamps,
  } as const;

  if (input.developer) {
    const developerUserId = ids.next();
    const [first, ...rest] = input.developer.name.trim().split(/\s+/);
    rows.users.push({
      ...baseUser,
      id: developerUserId,
      email: input.developer.email,
      first_name: first || 'Developer',
      last_name: rest.join(' '),
      job_title: 'Developer',
      is_employee: 1,
      developer_id: input.developer.id,
      is_company_admin: 1,
      is_service_account: 0,
      password_hash: input.developer.passwordHash,
      vendor_id: vendorIds.gc,
    });
  }

  const userIds = {} as Record<SeedUserKey, number>;
  SEED_USERS.forEach((u, i) => {
    const id = ids.next();
    userIds[u.key] = id;
    rows.users.push({
      ...baseUser,
      id,
      email: u.email,
      first_name: u.first_name,
      last_name: u.last_name,
      job_title: u.job_title,
      business_phone: `(805) 555-01${String(10 + i)}`,
      is_employee: u.vendor === 'gc' ? 1 : 0,
      developer_id: null,
      is_company_admin: 0,
      is_service_account: 0,
      password_hash: null,
      vendor_id: vendorIds[u.vendor],
    });
  });

  const serviceAccountId = ids.next();
  rows.users.push({
    ...baseUser,
    id: serviceAccountId,
    email: SERVICE_ACCOUNT.email,
    first_name: SERVICE_ACCOUNT.first_name,
    last_name: SERVICE_ACCOUNT.last_name,
    job_title: null,
    is_employee: 0,
    developer_id: null,
    is_company_admin: 1,
    is_service_account: 1,
    // Not a scrypt hash: verification always fails, so the account cannot sign in.
    password_hash: '!',
    vendor_id: null,
  });

  const projectId = ids.next();
  rows.projects.push({
    id: projectId,
    sandbox_id,
    company_id: companyId,
    name: PROJECT.name,
    project_number: PROJECT.project_number,
    display_name: PROJECT.display_name,
    description: PROJECT.description,
    address: PROJECT.address,
    city: PROJECT.city,
    state_code: PROJECT.state_code,
    country_code: PROJECT.country_code,
    zip: PROJECT.zip,
    county: PROJECT.county,
    time_zone: PROJECT.time_zone,
    latitude: PROJECT.latitude,
    longitude: PROJECT.longitude,
    phone: PROJECT.phone,
    fax: null,
    stage: PROJECT.stage,
    active: 1,
    square_feet: PROJECT.square_feet,
    total_value: PROJECT.total_value,
    start_date: isoDate(day0),
    completion_date: isoDate(day0 + 150 * DAY_MS),
    ...stamps,
  });

  const templates: Record<SeedUserKey, string> = { arch: 'Architect', sub: 'Subcontractor', demo: 'Project Manager' };
  for (const u of SEED_USERS) {
    rows.project_users.push({
      project_id: projectId,
      user_id: userIds[u.key],
      sandbox_id,
      permission_template: templates[u.key],
      created_at: created,
    });
  }

  const creatorId = userIds.demo;

  const addBlob = (file: AssetFile): number => {
    const id = ids.next();
    rows.blobs.push({
      id,
      sandbox_id,
      filename: file.filename,
      content_type: file.contentType,
      size: file.data.length,
      sha256: sha256OfBuffer(file.data),
      data: file.data,
      created_at: created,
    });
    return id;
  };

  // Documents: a root folder with a basic structure and real files.
  const rootId = ids.next();
  rows.folders.push({
    id: rootId,
    sandbox_id,
    project_id: projectId,
    parent_id: null,
    name: 'Documents',
    private: 0,
    is_tracked: 0,
    ...stamps,
  });
  const addFolder = (parentId: number, name: string, files: readonly (keyof SeedAssets['documents'])[]): number => {
    const folderId = ids.next();
    rows.folders.push({ id: folderId, sandbox_id, project_id: projectId, parent_id: parentId, name, private: 0, is_tracked: 0, ...stamps });
    for (const key of files) {
      const asset = input.assets.documents[key];
      if (!asset) throw new Error(`seed asset missing: document ${key}`);
      const fileId = ids.next();
      rows.files.push({
        id: fileId,
        sandbox_id,
        project_id: projectId,
        folder_id: folderId,
        name: asset.filename,
        description: null,
        private: 0,
        created_by_id: creatorId,
        ...stamps,
      });
      rows.file_versions.push({
        id: ids.next(),
        sandbox_id,
        file_id: fileId,
        number: 1,
        notes: 'Initial upload',
        blob_id: addBlob(asset),
        created_by_id: creatorId,
        created_at: created,
      });
    }
    return folderId;
  };
  for (const f of FOLDERS) {
    const id = addFolder(rootId, f.name, f.files);
    for (const child of f.children ?? []) addFolder(id, child.name, child.files);
  }

  // Photos: one album with the "sandbox" picture.
  const categoryId = ids.next();
  rows.image_categories.push({ id: categoryId, sandbox_id, project_id: projectId, name: 'Sandbox', private: 0, position: 1, ...stamps });
  const photo = input.assets.sandboxPhoto;
  rows.images.push({
    id: ids.next(),
    sandbox_id,
    project_id: projectId,
    image_category_id: categoryId,
    blob_id: addBlob(photo.image),
    thumbnail_blob_id: addBlob(photo.thumbnail),
    filename: photo.image.filename,
    description: 'The sandbox',
    width: photo.width,
    height: photo.height,
    taken_at: created,
    private: 0,
    starred: 0,
    uploader_id: creatorId,
    ...stamps,
  });

  // Drawings: one area, one set, disciplines, sheets with a current revision each.
  const areaId = ids.next();
  rows.drawing_areas.push({ id: areaId, sandbox_id, project_id: projectId, name: 'Building A', description: 'Main building', ...stamps });
  const setId = ids.next();
  rows.drawing_sets.push({
    id: setId,
    sandbox_id,
    project_id: projectId,
    name: 'Issued for Construction',
    date: isoDate(day0),
    position: 1,
    ...stamps,
  });
  const disciplineIds = new Map<string, number>();
  for (const sheet of DRAWING_SHEETS) {
    if (!disciplineIds.has(sheet.discipline)) {
      const id = ids.next();
      disciplineIds.set(sheet.discipline, id);
      rows.drawing_disciplines.push({ id, sandbox_id, project_id: projectId, name: sheet.discipline, position: disciplineIds.size });
    }
  }
  for (const sheet of DRAWING_SHEETS) {
    const files = input.assets.drawings[sheet.number];
    if (!files) throw new Error(`seed asset missing: drawing ${sheet.number}`);
    const drawingId = ids.next();
    rows.drawings.push({
      id: drawingId,
      sandbox_id,
      project_id: projectId,
      drawing_area_id: areaId,
      discipline_id: disciplineIds.get(sheet.discipline) ?? null,
      number: sheet.number,
      title: sheet.title,
      obsolete: 0,
      ...stamps,
    });
    rows.drawing_revisions.push({
      id: ids.next(),
      sandbox_id,
      project_id: projectId,
      drawing_id: drawingId,
      drawing_set_id: setId,
      revision_number: '0',
      current: 1,
      pdf_blob_id: addBlob(files.pdf),
      png_blob_id: addBlob(files.png),
      thumbnail_blob_id: addBlob(files.thumbnail),
      drawing_date: isoDate(day0),
      received_date: isoDate(day0),
      ...stamps,
    });
  }

  return {
    companyId,
    projectId,
    nextId: blockStart(input.sandboxNumber) + SEED_ID_SPAN,
    ids,
    users: userIds,
    vendors: vendorIds,
    created,
    day0,
    more: [],
    rows,
  };
}

/** Throws when the seed used more ids than the block reserves for it. */
export function checkSeedSpan(plan: SeedPlan): void {
  if (plan.ids.peek > plan.nextId) throw new Error('seed outgrew its id span');
}

/** The seed files are the same buffers for every sandbox: each is hashed once per process. */
const hashes = new WeakMap<Buffer, string>();
function sha256OfBuffer(data: Buffer): string {
  let hash = hashes.get(data);
  if (hash === undefined) hashes.set(data, (hash = createHash('sha256').update(data).digest('hex')));
  return hash;
}
