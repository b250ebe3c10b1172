/** Small selectors over the explorer store shared by several panels. */
import type { ExplorerStore } from './store.js';

/** The sandbox app a collection belongs to (pre-installed collections carry it). */
export function appIdFor(s: ExplorerStore, collectionId: string | null): number | null {
  if (!collectionId) return s.apps[0]?.id ?? null;
  const byRecord = s.apps.find((a) => a.collection_id === collectionId);
  if (byRecord) return byRecord.id;
  const c = s.collections.find((r) => r.id === collectionId);
  return c?.data._sandbox?.app_id ?? s.apps[0]?.id ?? null;
}

/** Names of variables typed `secret` in the active environment and globals (masked in snippets). */
export function secretNames(s: ExplorerStore): string[] {
  const env = s.environments.find((e) => e.id === s.environmentId);
  const names = [...(env?.data.values ?? []), ...(s.globals?.data.values ?? [])].filter((v) => v.type === 'secret').map((v) => v.key);
  return [...new Set([...names, 'access_token', 'client_secret'])];
}
