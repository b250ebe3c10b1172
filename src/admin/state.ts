/**
 * The automation state of one server (both environments share it through their context):
 * fault rules, the request journal and the admin key. Kept beside the context, not in it, so
 * code that builds an `AppContext` by hand needs to know nothing about it.
 */
import { isoSeconds } from '../core/clock.js';
import type { AppContext } from '../context/context.js';
import { FaultStore } from './faults.js';
import { Journal } from './journal.js';

export interface Automation {
  faults: FaultStore;
  journal: Journal;
  /** Bearer key of `/__admin/*`; null: the admin API answers 401 to everyone. */
  adminKey: string | null;
}

const states = new WeakMap<AppContext, Automation>();

export function automationOf(ctx: AppContext): Automation {
  let state = states.get(ctx);
  if (!state) {
    state = {
      faults: new FaultStore(() => isoSeconds(ctx.clock.nowMs())),
      journal: new Journal(ctx.settings.journalSize ?? 1000),
      adminKey: null,
    };
    states.set(ctx, state);
  }
  return state;
}
