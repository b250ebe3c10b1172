/** Types of build-server.mjs for the TypeScript tests that build before they spawn the CLI. */
export declare const SERVER_BUNDLE: string;
export declare const LIBRARY_BUNDLE: string;
export declare function serverBuildIsStale(): boolean;
export declare function buildServer(): Promise<void>;
export declare function ensureServerBuild(): Promise<string>;
