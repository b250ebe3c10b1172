/**
 * The explorer's local workspace (kept in this browser's localStorage, not on the server): the
 * open request, the selected environment and collection. Versioned like the server's records:
 * `v` plus one `up()` step per older version, so a stored workspace survives an upgrade.
 */
import type { Draft } from './request.js';

export const WORKSPACE_VERSION = 2;

export interface Workspace {
  v: typeof WORKSPACE_VERSION;
  environmentId: string | null;
  collectionId: string | null;
  open: { draft: Draft; name: string; collectionId: string | null; itemId: string | null } | null;
}

/** `up[n]` turns version n into n + 1. v1 stored the environment under `env`. */
const UP: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {
  1: ({ env, ...rest }) => ({ ...rest, environmentId: typeof env === 'string' ? env : null, v: 2 }),
};

export function upgradeWorkspace(stored: unknown): Workspace {
  const empty: Workspace = { v: WORKSPACE_VERSION, environmentId: null, collectionId: null, open: null };
  if (!stored || typeof stored !== 'object') return empty;
  let data = stored as Record<string, unknown>;
  let v = typeof data['v'] === 'number' ? (data['v'] as number) : 1;
  if (v > WORKSPACE_VERSION) return empty;
  while (v < WORKSPACE_VERSION) {
    const step = UP[v];
    if (!step) return empty;
    data = step(data);
    v++;
  }
  return {
    v: WORKSPACE_VERSION,
    environmentId: typeof data['environmentId'] === 'string' ? data['environmentId'] : null,
    collectionId: typeof data['collectionId'] === 'string' ? data['collectionId'] : null,
    open: data['open'] && typeof data['open'] === 'object' ? (data['open'] as Workspace['open']) : null,
  };
}
