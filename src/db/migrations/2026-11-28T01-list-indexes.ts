/**
 * Indexes that cover the project-scoped list queries (tenant, project, not deleted, id order),
 * so a late page or a count does not read every table row.
 */
import type { Kysely } from 'kysely';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function up(db: Db): Promise<void> {
  for (const table of ['rfis', 'submittals']) {
    await db.schema.createIndex(`${table}_list`).on(table).columns(['project_id', 'sandbox_id', 'deleted_at', 'id']).execute();
  }
}

export async function down(db: Db): Promise<void> {
  for (const table of ['rfis', 'submittals']) await db.schema.dropIndex(`${table}_list`).ifExists().execute();
}
