/**
 * Initial schema. Frozen once released: never import application code here, only Kysely.
 * Types are portable: text timestamps, integer booleans, JSON as text, bigint ids.
 */
import { type Kysely, PostgresAdapter } from 'kysely';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Columns common to every table whose rows belong to one sandbox. */
function sandboxTable(db: Db, name: string) {
  return db.schema
    .createTable(name)
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('sandbox_id', 'bigint', (c) => c.notNull());
}

export async function up(db: Db): Promise<void> {
  const pg = isPostgres(db);
  const autoId = pg ? 'bigserial' : 'integer';
  const blob = pg ? 'bytea' : 'blob';
  const real = pg ? 'double precision' : 'real';
  const serialTable = (name: string) =>
    db.schema.createTable(name).addColumn('id', autoId, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()));

  await db.schema
    .createTable('server_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await serialTable('developers')
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await serialTable('apps')
    .addColumn('developer_id', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('redirect_uris', 'text', (c) => c.notNull())
    .addColumn('grant_types', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('apps_developer').on('apps').column('developer_id').execute();

  await serialTable('app_credentials')
    .addColumn('app_id', 'bigint', (c) => c.notNull())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('rotated_at', 'text')
    .execute();
  await db.schema.createIndex('app_credentials_app').on('app_credentials').columns(['app_id', 'environment']).unique().execute();

  await db.schema
    .createTable('sandboxes')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('app_id', 'bigint', (c) => c.unique())
    .addColumn('company_id', 'bigint', (c) => c.notNull())
    .addColumn('project_id', 'bigint', (c) => c.notNull())
    .addColumn('next_id', 'bigint', (c) => c.notNull())
    .addColumn('user_password_enc', 'text', (c) => c.notNull())
    .addColumn('user_password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('reset_at', 'text')
    .execute();

  await sandboxTable(db, 'companies')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('is_active', 'integer', (c) => c.notNull())
    .addColumn('logo_url', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await sandboxTable(db, 'vendors')
    .addColumn('company_id', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('trade_name', 'text')
    .addColumn('is_active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await sandboxTable(db, 'users')
    .addColumn('company_id', 'bigint', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('job_title', 'text')
    .addColumn('business_phone', 'text')
    .addColumn('mobile_phone', 'text')
    .addColumn('address', 'text')
    .addColumn('city', 'text')
    .addColumn('state_code', 'text')
    .addColumn('country_code', 'text')
    .addColumn('zip', 'text')
    .addColumn('is_employee', 'integer', (c) => c.notNull())
    .addColumn('is_active', 'integer', (c) => c.notNull())
    .addColumn('developer_id', 'bigint')
    .addColumn('is_company_admin', 'integer', (c) => c.notNull())
    .addColumn('is_service_account', 'integer', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('vendor_id', 'bigint')
    .addColumn('last_login_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_company_email').on('users').columns(['company_id', 'email']).unique().execute();

  await sandboxTable(db, 'projects')
    .addColumn('company_id', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('project_number', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('address', 'text')
    .addColumn('city', 'text')
    .addColumn('state_code', 'text')
    .addColumn('country_code', 'text')
    .addColumn('zip', 'text')
    .addColumn('county', 'text')
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('latitude', real)
    .addColumn('longitude', real)
    .addColumn('phone', 'text')
    .addColumn('fax', 'text')
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('square_feet', 'bigint')
    .addColumn('total_value', 'text')
    .addColumn('start_date', 'text')
    .addColumn('completion_date', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('projects_company').on('projects').column('company_id').execute();

  await db.schema
    .createTable('project_users')
    .addColumn('project_id', 'bigint', (c) => c.notNull())
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('sandbox_id', 'bigint', (c) => c.notNull())
    .addColumn('permission_template', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_users_pk', ['project_id', 'user_id'])
    .execute();

  await sandboxTable(db, 'tasks')
    .addColumn('project_id', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('task_name', 'text', (c) => c.notNull())
    .addColumn('wbs', 'text', (c) => c.notNull())
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('parent_id', 'bigint')
    .addColumn('start_datetime', 'text', (c) => c.notNull())
    .addColumn('finish_datetime', 'text', (c) => c.notNull())
    .addColumn('percentage', 'integer', (c) => c.notNull())
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('milestone', 'integer', (c) => c.notNull())
    .addColumn('critical_path', 'integer', (c) => c.notNull())
    .addColumn('schedule_duration', 'integer', (c) => c.notNull())
    .addColumn('resource_name', 'text')
    .addColumn('notes', 'text')
    .addColumn('created_by_id', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tasks_project').on('tasks').columns(['project_id', 'row_number']).execute();

  await sandboxTable(db, 'blobs')
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('data', blob, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await sandboxTable(db, 'folders')
    .addColumn('project_id', 'bigint', (c) => c.notNull())
    .addColumn('parent_id', 'bigint')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('private', 'integer', (c) => c.notNull())
    .addColumn('is_tracked', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('folders_project').on('folders').columns(['project_id', 'parent_id']).execute();

  await sandboxTable(db, 'files')
    .addColumn('project_id', 'bigint', (c) => c.notNull())
    .addColumn('folder_id', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('private', 'integer', (c) => c.notNull())
    .addColumn('created_by_id', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('files_folder').on('files').column('folder_id').execute();

  await sandboxTable(db, 'file_versions')
    .addColumn('file_id', 'bigint', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('blob_id', 'bigint', (c) => c.notNull())
    .addColumn('created_by_id', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('file_versions_file').on('file_versions').column('file_id').execute();

  await sandboxTable(db, 'image_categories')
    .addColumn('project_id', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('private', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await sandboxTable(db, 'images')
    .addColumn('project_id', 'bigint', (c) => c.notNull())
    .addColumn('image_category_id', 'bigint', (c) => c.notNull())
    .addColumn('blob_id', 'bigint', (c) => c.notNull())
    .addColumn('thumbnail_blob_id', 'bigint', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('taken_at', 'text')
    .addColumn('private', 'integer', (c) => c.notNull())
    .addColumn('starred', 'integer', (c) => c.notNull())
    .addColumn('uploader_id', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('images_project').on('images').columns(['project_id', 'image_category_id']).execute();

  await sandboxTable(db, 'drawing_areas')
    .addColumn('project_id', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await sandboxTable(db, 'drawing_sets')
    .addColumn('project_id', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('date', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await sandboxTable(db, 'drawing_disciplines')
    .addColumn('project_id', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();

  await sandboxTable(db, 'drawings')
    .addColumn('project_id', 'bigint', (c) => c.notNull())
    .addColumn('drawing_area_id', 'bigint', (c) => c.notNull())
    .addColumn('discipline_id', 'bigint')
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('obsolete', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('drawings_area').on('drawings').column('drawing_area_id').execute();

  await sandboxTable(db, 'drawing_revisions')
    .addColumn('project_id', 'bigint', (c) => c.notNull())
    .addColumn('drawing_id', 'bigint', (c) => c.notNull())
    .addColumn('drawing_set_id', 'bigint', (c) => c.notNull())
    .addColumn('revision_number', 'text', (c) => c.notNull())
    .addColumn('current', 'integer', (c) => c.notNull())
    .addColumn('pdf_blob_id', 'bigint', (c) => c.notNull())
    .addColumn('png_blob_id', 'bigint', (c) => c.notNull())
    .addColumn('thumbnail_blob_id', 'bigint', (c) => c.notNull())
    .addColumn('drawing_date', 'text')
    .addColumn('received_date', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('drawing_revisions_drawing').on('drawing_revisions').column('drawing_id').execute();

  await sandboxTable(db, 'rfis')
    .addColumn('project_id', 'bigint', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('private', 'integer', (c) => c.notNull())
    .addColumn('draft', 'integer', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('due_date', 'text')
    .addColumn('initiated_at', 'text')
    .addColumn('rfi_manager_id', 'bigint')
    .addColumn('created_by_id', 'bigint')
    .addColumn('received_from_id', 'bigint')
    .addColumn('responsible_contractor_id', 'bigint')
    .addColumn('assignee_ids', 'text', (c) => c.notNull())
    .addColumn('distribution_ids', 'text', (c) => c.notNull())
    .addColumn('cost_impact', 'text', (c) => c.notNull())
    .addColumn('schedule_impact', 'text', (c) => c.notNull())
    .addColumn('location_id', 'bigint')
    .addColumn('drawing_number', 'text')
    .addColumn('time_resolved', 'text')
    .addColumn('deleted_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rfis_project').on('rfis').columns(['project_id', 'id']).execute();

  await sandboxTable(db, 'rfi_questions')
    .addColumn('rfi_id', 'bigint', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_by_id', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rfi_questions_rfi').on('rfi_questions').column('rfi_id').execute();

  await sandboxTable(db, 'rfi_replies')
    .addColumn('rfi_id', 'bigint', (c) => c.notNull())
    .addColumn('question_id', 'bigint', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('official', 'integer', (c) => c.notNull())
    .addColumn('created_by_id', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rfi_replies_rfi').on('rfi_replies').column('rfi_id').execute();

  await sandboxTable(db, 'submittals')
    .addColumn('project_id', 'bigint', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('revision', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('status_id', 'integer', (c) => c.notNull())
    .addColumn('type_name', 'text')
    .addColumn('private', 'integer', (c) => c.notNull())
    .addColumn('due_date', 'text')
    .addColumn('issue_date', 'text')
    .addColumn('received_date', 'text')
    .addColumn('submit_by', 'text')
    .addColumn('submittal_manager_id', 'bigint')
    .addColumn('received_from_id', 'bigint')
    .addColumn('responsible_contractor_id', 'bigint')
    .addColumn('created_by_id', 'bigint')
    .addColumn('distribution_member_ids', 'text', (c) => c.notNull())
    .addColumn('distributed_at', 'text')
    .addColumn('deleted_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('submittals_project').on('submittals').columns(['project_id', 'id']).execute();

  await serialTable('auth_codes')
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('credential_id', 'bigint', (c) => c.notNull())
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('sandbox_id', 'bigint', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('code_challenge', 'text')
    .addColumn('code_challenge_method', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('consumed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await serialTable('access_tokens')
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('refresh_token_hash', 'text', (c) => c.unique())
    .addColumn('credential_id', 'bigint', (c) => c.notNull())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('sandbox_id', 'bigint', (c) => c.notNull())
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('auth_code_id', 'bigint')
    .addColumn('grant_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('refresh_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('access_tokens_grant').on('access_tokens').column('grant_id').execute();
  await db.schema.createIndex('access_tokens_credential').on('access_tokens').column('credential_id').execute();
}

export async function down(db: Db): Promise<void> {
  for (const t of [
    'access_tokens',
    'auth_codes',
    'submittals',
    'rfi_replies',
    'rfi_questions',
    'rfis',
    'drawing_revisions',
    'drawings',
    'drawing_disciplines',
    'drawing_sets',
    'drawing_areas',
    'images',
    'image_categories',
    'file_versions',
    'files',
    'folders',
    'blobs',
    'tasks',
    'project_users',
    'projects',
    'users',
    'vendors',
    'companies',
    'sandboxes',
    'app_credentials',
    'apps',
    'developers',
    'server_meta',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
