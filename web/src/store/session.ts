/**
 * Shared state of the whole app (zustand): the signed-in developer and their apps. Pages read
 * it with `useSession(selector)`; the explorer has its own store (features/explorer/store.ts).
 */
import { create } from 'zustand';
import { api, type AppListEntry, type Developer } from '../api/portal.js';

interface SessionState {
  /** undefined: not known yet; null: signed out. */
  developer: Developer | null | undefined;
  apps: AppListEntry[] | null;
  load: () => Promise<void>;
  setDeveloper: (developer: Developer | null) => void;
  signOut: () => Promise<void>;
  loadApps: () => Promise<AppListEntry[]>;
}

export const useSession = create<SessionState>((set) => ({
  developer: undefined,
  apps: null,
  load: async () => {
    try {
      set({ developer: (await api.me()).developer });
    } catch {
      set({ developer: null });
    }
  },
  setDeveloper: (developer) => set({ developer, apps: null }),
  signOut: async () => {
    await api.signOut().catch(() => undefined);
    set({ developer: null, apps: null });
  },
  loadApps: async () => {
    const { apps } = await api.listApps();
    set({ apps });
    return apps;
  },
}));
