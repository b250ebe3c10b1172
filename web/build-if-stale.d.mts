/** Path of the built index.html. */
export const distIndex: string;
/** True when web/dist is missing or older than the web sources. */
export function webBuildIsStale(): boolean;
/** Builds web/dist with Vite when stale; 'fresh' | 'built' | 'unavailable'. */
export function ensureWebBuild(options?: { log?: (message: string) => void }): Promise<'fresh' | 'built' | 'unavailable'>;
