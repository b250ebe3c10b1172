/** Every migration, by name. Names are date-prefixed and sort in the order they run. */
import type { Migration } from 'kysely';
import * as initial from './2026-11-27T00-initial.js';
import * as oauth from './2026-11-27T01-oauth.js';
import * as portal from './2026-11-27T03-portal.js';
import * as counters from './2026-11-28T00-counters.js';
import * as listIndexes from './2026-11-28T01-list-indexes.js';
import * as authThrottles from './2026-12-01T00-auth-throttles.js';
import * as records from './2026-12-01T01-records.js';
import * as explorer from './2026-12-02T00-explorer.js';
import * as fastPath from './2026-12-02T00-fast-path.js';
import * as directory from './2026-12-02T01-directory.js';

export const migrations: Record<string, Migration> = {
  '2026-11-27T00-initial': initial,
  '2026-11-27T01-oauth': oauth,
  '2026-11-27T03-portal': portal,
  '2026-11-28T00-counters': counters,
  '2026-11-28T01-list-indexes': listIndexes,
  '2026-12-01T00-auth-throttles': authThrottles,
  '2026-12-01T01-records': records,
  '2026-12-02T00-explorer': explorer,
  '2026-12-02T00-fast-path': fastPath,
  '2026-12-02T01-directory': directory,
};
