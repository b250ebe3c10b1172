/**
 * The read-only RFI page behind an RFI's `link` (`/projects/{project_id}/rfis/{id}`, as Procore's
 * link opens its web UI): `GET /api/portal/projects/{project_id}/rfis/{id}` answers the RFI of a
 * sandbox the signed-in developer owns, else 404.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface RfiPageView {
  id: number;
  project: { id: number; name: string; company_id: number };
  number: string;
  subject: string;
  status: string;
  due_date: string | null;
  created_at: string;
  rfi_manager: string | null;
  assignees: string[];
  question: { body: string; created_by: string | null; created_at: string } | null;
  replies: { id: number; body: string; created_by: string | null; created_at: string }[];
  deleted: boolean;
}

const name = (u: { first_name: string; last_name: string } | undefined) => (u ? `${u.first_name} ${u.last_name}`.trim() : null);

/** The RFI page of `rfiId` in `projectId`, if the project's sandbox belongs to an app of `developerId`. */
export async function rfiPageView(
  db: Kysely<Database>,
  developerId: number,
  projectId: number,
  rfiId: number,
): Promise<RfiPageView | null> {
  const project = await db
    .selectFrom('projects')
    .innerJoin('sandboxes', 'sandboxes.id', 'projects.sandbox_id')
    .innerJoin('apps', 'apps.id', 'sandboxes.app_id')
    .select(['projects.id', 'projects.name', 'projects.company_id', 'projects.sandbox_id'])
    .where('projects.id', '=', projectId)
    .where('apps.developer_id', '=', developerId)
    .executeTakeFirst();
  if (!project) return null;
  const sandboxId = Number(project.sandbox_id);
  const rfi = await db
    .selectFrom('rfis')
    .selectAll()
    .where('id', '=', rfiId)
    .where('project_id', '=', projectId)
    .where('sandbox_id', '=', sandboxId)
    .executeTakeFirst();
  if (!rfi) return null;
  const question = await db
    .selectFrom('rfi_questions')
    .selectAll()
    .where('rfi_id', '=', rfiId)
    .where('sandbox_id', '=', sandboxId)
    .orderBy('id')
    .executeTakeFirst();
  const replies = await db
    .selectFrom('rfi_replies')
    .selectAll()
    .where('rfi_id', '=', rfiId)
    .where('sandbox_id', '=', sandboxId)
    .orderBy('id')
    .execute();
  const assigneeIds = safeIds(rfi.assignee_ids);
  const userIds = [rfi.rfi_manager_id, question?.created_by_id, ...replies.map((r) => r.created_by_id), ...assigneeIds].filter(
    (x): x is number => typeof x === 'number',
  );
  const users = userIds.length
    ? await db
        .selectFrom('users')
        .select(['id', 'first_name', 'last_name'])
        .where('sandbox_id', '=', sandboxId)
        .where('id', 'in', userIds)
        .execute()
    : [];
  const byId = new Map(users.map((u) => [Number(u.id), u]));
  const who = (id: number | null | undefined) => (id == null ? null : name(byId.get(Number(id))));
  return {
    id: Number(rfi.id),
    project: { id: Number(project.id), name: project.name, company_id: Number(project.company_id) },
    number: rfi.number,
    subject: rfi.subject,
    status: rfi.status,
    due_date: rfi.due_date,
    created_at: rfi.created_at,
    rfi_manager: who(rfi.rfi_manager_id),
    assignees: assigneeIds.map((id) => who(id)).filter((n): n is string => n !== null),
    question: question ? { body: question.body, created_by: who(question.created_by_id), created_at: question.created_at } : null,
    replies: replies.map((r) => ({ id: Number(r.id), body: r.body, created_by: who(r.created_by_id), created_at: r.created_at })),
    deleted: rfi.deleted_at !== null,
  };
}

function safeIds(json: string): number[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is number => Number.isSafeInteger(x)) : [];
  } catch {
    return [];
  }
}
