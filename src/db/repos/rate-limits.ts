/**
 * The shared rate-limit windows (`rate_limit_hits`) of several server processes on one
 * database: one atomic upsert adds a process's hits to every window of a key and returns the
 * totals. Rows of windows that ended over an hour ago are deleted now and then.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** Matches `RateLimitStore` of `api/http/rate-limit.ts` (the API layer depends on storage, not back). */
export interface SharedWindows {
  add(key: string, sizes: readonly number[], starts: readonly number[], hits: readonly number[]): Promise<number[]>;
}

const SWEEP_EVERY_MS = 60_000;

/** `namespace` keeps environments apart (sandbox and production are separate systems at Procore). */
export function databaseRateLimitStore(db: Kysely<Database>, nowMs: () => number, namespace = ''): SharedWindows {
  let lastSweep = 0;
  return {
    async add(key, sizes, starts, hits) {
      const rows = await db
        .insertInto('rate_limit_hits')
        .values(sizes.map((size, i) => ({ key: `${namespace}${key}`, window_ms: size, window_start: starts[i]!, hits: hits[i]! })))
        .onConflict((oc) =>
          oc.columns(['key', 'window_ms', 'window_start']).doUpdateSet({ hits: sql<number>`rate_limit_hits.hits + excluded.hits` }),
        )
        .returning(['window_ms', 'hits'])
        .execute();
      const now = nowMs();
      if (now - lastSweep >= SWEEP_EVERY_MS) {
        lastSweep = now;
        void db
          .deleteFrom('rate_limit_hits')
          .where(sql<boolean>`window_start + window_ms < ${now - 3_600_000}`)
          .execute()
          .catch(() => {});
      }
      return sizes.map((size) => Number(rows.find((r) => Number(r.window_ms) === size)?.hits ?? 0));
    },
  };
}
