/**
 * What every route, plugin and repository is handed: storage, the clock, the server key and the
 * settings. One context serves both environments (sandbox and production ports).
 */
import type { Kysely } from 'kysely';
import type { AdjustableClock } from '../core/clock.js';
import type { SecretBox } from '../core/crypto.js';
import type { Database } from '../db/schema.js';
import type { Settings } from './settings.js';

export interface AppContext {
  db: Kysely<Database>;
  engine: 'sqlite' | 'postgres';
  clock: AdjustableClock;
  secrets: SecretBox;
  settings: Settings;
}
