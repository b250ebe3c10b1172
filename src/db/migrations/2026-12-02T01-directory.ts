/**
 * The company directory (src/api/resources/users/, vendors/): the fields of Procore's company
 * users and vendors that their write bodies set, as columns of `users` and `vendors`. Booleans
 * are 0/1 with a default, so rows written before this migration read as `false`.
 * Frozen once released: only Kysely here.
 */
import type { Kysely } from 'kysely';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const USER_TEXT = ['initials', 'notes', 'employee_id', 'fax_number', 'email_signature', 'origin_id', 'origin_data', 'avatar'];
const USER_INT = ['business_phone_extension', 'work_classification_id', 'default_permission_template_id', 'company_permission_template_id'];
const VENDOR_TEXT = [
  'abbreviated_name',
  'address',
  'city',
  'zip',
  'state_code',
  'country_code',
  'business_phone',
  'mobile_phone',
  'fax_number',
  'email_address',
  'website',
  'license_number',
  'labor_union',
  'notes',
  'origin_id',
  'origin_data',
  'origin_code',
  'bidding',
];
const VENDOR_FLAGS = ['authorized_bidder', 'prequalified', 'union_member', 'non_union_prevailing_wage'];
const VENDOR_INT = ['primary_contact_id'];

export async function up(db: Db): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  for (const c of USER_TEXT) await db.schema.alterTable('users').addColumn(c, 'text').execute();
  for (const c of USER_INT) await db.schema.alterTable('users').addColumn(c, 'bigint').execute();
  for (const c of VENDOR_TEXT) await db.schema.alterTable('vendors').addColumn(c, 'text').execute();
  for (const c of VENDOR_FLAGS)
    await db.schema
      .alterTable('vendors')
      .addColumn(c, 'integer', (col) => col.notNull().defaultTo(0))
      .execute();
  for (const c of VENDOR_INT) await db.schema.alterTable('vendors').addColumn(c, 'bigint').execute();
}

export async function down(db: Db): Promise<void> {
  for (const c of [...VENDOR_TEXT, ...VENDOR_FLAGS, ...VENDOR_INT]) await db.schema.alterTable('vendors').dropColumn(c).execute();
  for (const c of [...USER_TEXT, ...USER_INT]) await db.schema.alterTable('users').dropColumn(c).execute();
}
