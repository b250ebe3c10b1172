/**
 * `{{variable}}` resolution and auth inheritance: the one implementation the server also uses
 * (src/explorer/model/variables.ts, pure TypeScript, no Node or DOM imports), re-exported here
 * so the explorer's features import their model from one folder.
 */
export {
  authParam,
  DYNAMIC_VARIABLES,
  resolveAuth,
  resolveDeep,
  resolveString,
  SCOPE_ORDER,
  scopeFromCollectionVariables,
  scopeFromEnvironment,
  type AuthBlock,
  type EffectiveAuth,
  type Resolved,
  type Scope,
  type ScopeName,
  type VariableRef,
} from '../../../../../src/explorer/model/variables.js';

import { scopeFromCollectionVariables, scopeFromEnvironment, type Scope } from '../../../../../src/explorer/model/variables.js';
import type { EnvironmentData, PostmanCollection } from './types.js';

/**
 * The scopes of one request, narrowest first as Postman's runtime looks them up:
 * local (the explorer's per-request overrides) > environment > collection > global.
 */
export function scopesFor(input: {
  globals?: EnvironmentData | null;
  collection?: PostmanCollection | null;
  environment?: EnvironmentData | null;
  local?: Record<string, string>;
}): Scope[] {
  const scopes: Scope[] = [];
  if (input.local && Object.keys(input.local).length > 0) scopes.push({ scope: 'local', values: input.local });
  if (input.environment) scopes.push({ scope: 'environment', values: scopeFromEnvironment(input.environment) });
  if (input.collection) scopes.push({ scope: 'collection', values: scopeFromCollectionVariables(input.collection.variable) });
  if (input.globals) scopes.push({ scope: 'global', values: scopeFromEnvironment(input.globals) });
  return scopes;
}

/** Splits a text into plain runs and `{{var}}` runs (for highlighting in the URL bar). */
export function splitVariables(text: string): { text: string; variable: string | null; start: number }[] {
  const out: { text: string; variable: string | null; start: number }[] = [];
  let last = 0;
  for (const m of text.matchAll(/\{\{([^{}]+?)\}\}/g)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index), variable: null, start: last });
    out.push({ text: m[0], variable: m[1]!, start: m.index });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), variable: null, start: last });
  return out;
}
