/** Every migration, by name. Names are date-prefixed and sort in the order they run. */
import type { Migration } from 'kysely';
import * as initial from './2026-11-27T00-initial.js';

export const migrations: Record<string, Migration> = {
  '2026-11-27T00-initial': initial,
};
