/** Types of build-server.mjs (bundles src/ into dist/cli.mjs). */
export const SERVER_BUNDLE: string;
export function serverBuildIsStale(): boolean;
export function buildServer(): Promise<void>;
/** Rebuilds dist/cli.mjs when a source is newer; returns its path. */
export function ensureServerBuild(): Promise<string>;
