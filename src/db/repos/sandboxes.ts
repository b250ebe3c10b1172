/**
 * Sandboxes: insertion of a planned seed (the services plan it), reset to seed, and the id block counter.
 */
import type { Kysely, Transaction } from 'kysely';
import { isoSeconds } from '../../core/clock.js';
import type { SeedPlan } from '../../core/seed/plan.js';
import { SANDBOX_TABLES, type Database, type Row } from '../schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Rows per insert statement (keeps PostgreSQL and SQLite under their parameter limits). */
const CHUNK = 50;

async function insertPlanRows(trx: Db, plan: SeedPlan): Promise<void> {
  const all = [...Object.entries(plan.rows).map(([table, rows]) => ({ table, rows: rows as object[] })), ...plan.more];
  for (const { table, rows } of all) {
    for (let i = 0; i < rows.length; i += CHUNK) {
      // The row type matches `table` (the plan is keyed by table), which TS cannot correlate here.
      await trx
        .insertInto(table as keyof Database)
        .values(rows.slice(i, i + CHUNK) as never)
        .execute();
    }
  }
}

/** Plans the rows of sandbox number `n` (the services' planner: core seed plus resources' seeds). */
export type SandboxPlanner = (sandboxNumber: number) => SeedPlan;

export interface NewSandbox {
  plan: SandboxPlanner;
  appId: number | null;
  userPasswordEnc: string;
  userPasswordHash: string;
  nowMs: number;
}

/**
 * Creates the next sandbox inside `trx`. Its number comes from the `sandbox` counter: the
 * counter row stays locked until `trx` ends, so racing creators (other processes included) wait
 * their turn instead of colliding, and a rolled-back creation leaves no gap.
 */
export async function insertSandbox(trx: Db, input: NewSandbox): Promise<Row<'sandboxes'>> {
  const counter = await trx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', 'sandbox')
    .returning('value')
    .executeTakeFirstOrThrow();
  const sandboxNumber = Number(counter.value);
  const plan = input.plan(sandboxNumber);
  const row: Row<'sandboxes'> = {
    id: sandboxNumber,
    app_id: input.appId,
    company_id: plan.companyId,
    project_id: plan.projectId,
    next_id: plan.nextId,
    user_password_enc: input.userPasswordEnc,
    user_password_hash: input.userPasswordHash,
    created_at: isoSeconds(input.nowMs),
    reset_at: null,
  };
  await trx.insertInto('sandboxes').values(row).execute();
  await insertPlanRows(trx, plan);
  return row;
}

/** Deletes every row of a sandbox and seeds it again with the same ids. Tokens stay valid. */
export async function resetSandboxRows(trx: Db, sandbox: Row<'sandboxes'>, input: { plan: SandboxPlanner; nowMs: number }): Promise<void> {
  for (const table of SANDBOX_TABLES) {
    await trx.deleteFrom(table).where('sandbox_id', '=', sandbox.id).execute();
  }
  const plan = input.plan(sandbox.id);
  await insertPlanRows(trx, plan);
  await trx
    .updateTable('sandboxes')
    .set({ next_id: plan.nextId, reset_at: isoSeconds(input.nowMs) })
    .where('id', '=', sandbox.id)
    .execute();
}

/**
 * Reserves `count` consecutive ids in a sandbox's block for rows created through the API.
 * One atomic update: safe across processes sharing a database.
 */
export async function allocateIds(db: Db, sandboxId: number, count = 1): Promise<number> {
  const row = await db
    .updateTable('sandboxes')
    .set((eb) => ({ next_id: eb('next_id', '+', count) }))
    .where('id', '=', sandboxId)
    .returning('next_id')
    .executeTakeFirstOrThrow();
  return Number(row.next_id) - count;
}

export function findSandboxById(db: Db, id: number) {
  return db.selectFrom('sandboxes').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findSandboxByApp(db: Db, appId: number) {
  return db.selectFrom('sandboxes').selectAll().where('app_id', '=', appId).executeTakeFirst();
}

export function findSandboxByCompany(db: Db, companyId: number) {
  return db.selectFrom('sandboxes').selectAll().where('company_id', '=', companyId).executeTakeFirst();
}
