/**
 * The package's main export: the Node library for test suites (see README "Use it in your
 * tests" and docs/automation.md).
 *
 * @example
 * import { startSandbox } from 'procore-sandbox';
 * const sb = await startSandbox({ port: 0 });
 */
import type * as Public from './lib/public.js';
import { startSandbox as start } from './lib/sandbox.js';

export type * from './lib/public.js';

export const startSandbox: typeof Public.startSandbox = start;
