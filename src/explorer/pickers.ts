/**
 * Pickers of the sandbox's real objects for the explorer (id fields, `{{project_id}}`-style
 * variables): `[{id, label}]` read from the app's own sandbox only, newest data, at most 200.
 */
import type { AppContext } from '../context/context.js';

export const PICKER_KINDS = [
  'companies',
  'projects',
  'users',
  'vendors',
  'rfis',
  'submittals',
  'drawing_areas',
  'drawings',
  'image_categories',
  'folders',
] as const;
export type PickerKind = (typeof PICKER_KINDS)[number];

export interface PickerItem {
  id: number;
  label: string;
  /** The variable this id usually fills (`project_id`), when one is conventional. */
  variable?: string;
}

const MAX = 200;

/** Objects of `kind` in sandbox `sandboxId`; `query` filters labels (case-insensitive substring). */
export async function pickerItems(ctx: AppContext, sandboxId: number, kind: PickerKind, query?: string): Promise<PickerItem[]> {
  const db = ctx.db;
  let items: PickerItem[];
  switch (kind) {
    case 'companies':
      items = (await db.selectFrom('companies').select(['id', 'name']).where('sandbox_id', '=', sandboxId).orderBy('id').execute()).map(
        (r) => ({
          id: r.id,
          label: r.name,
          variable: 'company_id',
        }),
      );
      break;
    case 'projects':
      items = (
        await db.selectFrom('projects').select(['id', 'display_name']).where('sandbox_id', '=', sandboxId).orderBy('id').execute()
      ).map((r) => ({
        id: r.id,
        label: r.display_name,
        variable: 'project_id',
      }));
      break;
    case 'users':
      items = (
        await db
          .selectFrom('users')
          .select(['id', 'first_name', 'last_name', 'email'])
          .where('sandbox_id', '=', sandboxId)
          .where('is_service_account', '=', 0)
          .orderBy('id')
          .execute()
      ).map((r) => ({ id: r.id, label: `${r.first_name} ${r.last_name} <${r.email}>`.trim() }));
      break;
    case 'vendors':
      items = (await db.selectFrom('vendors').select(['id', 'name']).where('sandbox_id', '=', sandboxId).orderBy('id').execute()).map(
        (r) => ({
          id: r.id,
          label: r.name,
        }),
      );
      break;
    case 'rfis':
      items = (
        await db
          .selectFrom('rfis')
          .select(['id', 'number', 'subject'])
          .where('sandbox_id', '=', sandboxId)
          .where('deleted_at', 'is', null)
          .orderBy('id')
          .execute()
      ).map((r) => ({ id: r.id, label: `#${r.number} ${r.subject}` }));
      break;
    case 'submittals':
      items = (
        await db
          .selectFrom('submittals')
          .select(['id', 'number', 'title'])
          .where('sandbox_id', '=', sandboxId)
          .where('deleted_at', 'is', null)
          .orderBy('id')
          .execute()
      ).map((r) => ({ id: r.id, label: `#${r.number} ${r.title}` }));
      break;
    case 'drawing_areas':
      items = (await db.selectFrom('drawing_areas').select(['id', 'name']).where('sandbox_id', '=', sandboxId).orderBy('id').execute()).map(
        (r) => ({
          id: r.id,
          label: r.name,
          variable: 'drawing_areas',
        }),
      );
      break;
    case 'drawings':
      items = (
        await db.selectFrom('drawings').select(['id', 'number', 'title']).where('sandbox_id', '=', sandboxId).orderBy('id').execute()
      ).map((r) => ({
        id: r.id,
        label: `${r.number} ${r.title}`,
      }));
      break;
    case 'image_categories':
      items = (
        await db.selectFrom('image_categories').select(['id', 'name']).where('sandbox_id', '=', sandboxId).orderBy('id').execute()
      ).map((r) => ({
        id: r.id,
        label: r.name,
        variable: 'image_category_id',
      }));
      break;
    case 'folders':
      items = (await db.selectFrom('folders').select(['id', 'name']).where('sandbox_id', '=', sandboxId).orderBy('id').execute()).map(
        (r) => ({
          id: r.id,
          label: r.name,
        }),
      );
      break;
  }
  const q = query?.trim().toLowerCase();
  const filtered = q ? items.filter((i) => i.label.toLowerCase().includes(q) || String(i.id) === q) : items;
  return filtered.slice(0, MAX).map((i) => ({ ...i, id: Number(i.id) }));
}
