/**
 * The sandbox seed planner: the core seed (company, directory, project, documents, photos,
 * drawings; `core/seed/plan.ts`) plus the seed rows every declared API resource gives for itself.
 * Storage only inserts what this plans.
 */
import { DAY_MS, isoDate } from '../core/clock.js';
import type { SeedAssets } from '../core/seed/assets-types.js';
import { checkSeedSpan, planSandbox, type SeedDeveloper, type SeedPlan } from '../core/seed/plan.js';
import type { SeedContext } from '../api/resource.js';
import { RESOURCES } from '../api/resources/index.js';

export interface SandboxSeedInput {
  appName: string;
  developer: SeedDeveloper | null;
  nowMs: number;
  assets: SeedAssets;
}

/** A planner for `insertSandbox`/`resetSandboxRows`: the rows of sandbox number `n`. */
export function sandboxPlanner(input: SandboxSeedInput): (sandboxNumber: number) => SeedPlan {
  return (sandboxNumber) => {
    const plan = planSandbox({
      sandboxNumber,
      appName: input.appName,
      developer: input.developer,
      createdAtMs: input.nowMs,
      assets: input.assets,
    });
    const s: SeedContext = {
      sandboxId: sandboxNumber,
      companyId: plan.companyId,
      projectId: plan.projectId,
      users: plan.users,
      vendors: plan.vendors,
      created: plan.created,
      day: (n) => isoDate(plan.day0 + n * DAY_MS),
      day0Ms: plan.day0,
      nextId: () => plan.ids.next(),
    };
    for (const resource of RESOURCES) if (resource.seed) plan.more.push(...resource.seed(s));
    checkSeedSpan(plan);
    return plan;
  };
}
