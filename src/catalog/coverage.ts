/**
 * Coverage of Procore's API by this sandbox, as data and as the Markdown of `docs/coverage.md`:
 * every catalogue operation × served × modelled × tested, with totals per version prefix and per
 * category, the connectors' missing endpoints and the declared routes outside the catalogue.
 * Pure: the caller (scripts/coverage.ts) says what is served, modelled and tested.
 */
import type { CatalogOperation, HttpMethod } from './types.js';

export interface CoverageRow {
  op: CatalogOperation;
  served: boolean;
  modelled: boolean;
  /** Served by the generic engine (`src/api/generic/`) from the catalogue's data, not by a declaration. */
  generated: boolean;
  tested: boolean;
}

export interface ConnectorCoverage {
  connector: string;
  file: string;
  source: { repository: string; path: string; commit: string };
  endpoints: { method: string; path: string; operationId: string; served: boolean; used_by?: string }[];
}

export interface CoverageInput {
  operations: readonly CatalogOperation[];
  /** A registered route serves it. */
  served: (op: CatalogOperation) => boolean;
  /** The generic engine answers it (counted as served). */
  generated?: (op: CatalogOperation) => boolean;
  /** Why an operation is not served (e.g. routed but refused as not modelled), or null. */
  reason?: (op: CatalogOperation) => string | null;
  modelled: (op: CatalogOperation) => boolean;
  tested: (op: CatalogOperation) => boolean;
  connectors: ConnectorCoverage[];
  /** `/rest/…` routes of the app that match no catalogue operation (downloads, …). */
  extraRoutes: string[];
  /** How many routes the app has on the legacy `/vapid` prefix (not in the catalogue). */
  vapidTwins: number;
}

// ---------------------------------------------------------------------------------------------
// "tested": path literals in test files

/** A path written in a test file, as far as it can be read statically. */
export interface PathLiteral {
  method: HttpMethod;
  /** `/rest/v1.0`, or null when the literal starts with an interpolation (`${prefix}/…`) or none. */
  prefix: string | null;
  /** True when an interpolation stands before the first segment: any leading segments match. */
  openHead: boolean;
  /** Segments after the prefix; `*` stands for an interpolated or `{param}` segment. */
  segments: string[];
}

const LITERAL_RE = /(['"`])((?:\$\{[^}'"`]*\}|\/)[^'"`\s]*?)\1/g;
const METHOD_RE = /['"](GET|POST|PATCH|PUT|DELETE)['"]|\.(get|post|patch|put|delete)\(\s*$/g;

/**
 * The API paths written as string or template literals in a test file, each with the HTTP method
 * named before it (a quoted `'POST'` or a `.post(` call on the same line, or on the previous line
 * when the literal continues a call begun there; GET otherwise). `/vapid` paths are left out: the catalogue describes `/rest/…` only.
 */
export function extractPathLiterals(source: string): PathLiteral[] {
  const out: PathLiteral[] = [];
  for (const m of source.matchAll(LITERAL_RE)) {
    let text = m[2] as string;
    const q = text.search(/[?#]/);
    if (q >= 0) text = text.slice(0, q);
    let prefix: string | null = null;
    let openHead = false;
    const version = /^\/rest\/(v\d+\.\d+)(?=\/|$)/.exec(text);
    if (version) {
      prefix = `/rest/${version[1]}`;
      text = text.slice(prefix.length);
    } else if (/^\/vapid(\/|$)/.test(text)) {
      continue;
    } else if (text.startsWith('${')) {
      const end = text.indexOf('}');
      openHead = true;
      text = text.slice(end + 1);
      if (text !== '' && !text.startsWith('/')) continue;
    }
    const segments = text
      .split('/')
      .filter(Boolean)
      .map((s) => (s.includes('${') || /^\{[^}]+\}$/.test(s) ? '*' : s));
    if (!segments.length) continue;
    if (segments.some((s) => !/^[\w.*-]+$/.test(s))) continue; // not a path
    const at = m.index ?? 0;
    const lineStart = source.lastIndexOf('\n', at - 1) + 1;
    const before = source.slice(lineStart, at);
    let found = [...before.matchAll(METHOD_RE)].pop();
    // A literal continuing a call begun above (`inject({\n method: 'POST',\n url: `…` })`).
    if (!found && !before.includes('('))
      found = [...source.slice(source.lastIndexOf('\n', lineStart - 2) + 1, lineStart).matchAll(METHOD_RE)].pop();
    const method = (found ? (found[1] ?? found[2] ?? 'GET') : 'GET').toUpperCase() as HttpMethod;
    out.push({ method, prefix, openHead, segments });
  }
  return out;
}

/** Whether a path literal names `op` (same method; `*` fits a `{param}`; ids fit a `{param}`). */
export function literalMatches(literal: PathLiteral, op: CatalogOperation): boolean {
  if (literal.method !== op.method) return false;
  if (literal.prefix !== null && literal.prefix !== op.prefix) return false;
  const tpl = op.template.split('/').filter(Boolean);
  const lead = tpl.length - literal.segments.length;
  if (lead < 0 || (lead > 0 && !literal.openHead)) return false;
  for (let i = 0; i < literal.segments.length; i++) {
    const t = tpl[lead + i] as string;
    const s = literal.segments[i] as string;
    const param = /^\{[^}]+\}$/.test(t);
    if (param ? !(s === '*' || /^\d+$/.test(s)) : s !== t) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Markdown

const mark = (b: boolean): string => (b ? '✓' : '·');
const pct = (n: number, d: number): string => (d === 0 ? '–' : `${((100 * n) / d).toFixed(1)} %`);

interface Tally {
  operations: number;
  served: number;
  modelled: number;
  generated: number;
  tested: number;
}

function tally(rows: CoverageRow[]): Tally {
  return {
    operations: rows.length,
    served: rows.filter((r) => r.served).length,
    modelled: rows.filter((r) => r.modelled).length,
    generated: rows.filter((r) => r.generated).length,
    tested: rows.filter((r) => r.tested).length,
  };
}

function tallyLine(name: string, t: Tally): string {
  return `| ${name} | ${t.operations} | ${t.served} | ${pct(t.served, t.operations)} | ${t.modelled} | ${t.generated} | ${t.tested} |`;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export function coverageRows(input: CoverageInput): CoverageRow[] {
  return input.operations.map((op) => {
    const routed = input.served(op);
    const generated = !routed && (input.generated?.(op) ?? false);
    const served = routed || generated;
    return { op, served, modelled: routed && input.modelled(op), generated, tested: served && input.tested(op) };
  });
}

/** The whole of `docs/coverage.md`. */
export function renderCoverage(input: CoverageInput): string {
  const rows = coverageRows(input);
  const total = tally(rows);
  const head = '| | operations | served | share | modelled | generated | tested |\n|---|---:|---:|---:|---:|---:|---:|';
  const L: string[] = [];
  L.push('# Coverage of Procore’s API');
  L.push('');
  L.push(
    'Generated by `npm run coverage:doc` (`scripts/coverage.ts`) from the catalogue of Procore’s current API ' +
      '(`reference/procore-2026/`, 2,636 operations) and the routes of the built app. ' +
      '`test/catalog/coverage-doc.test.ts` fails when this file is stale: regenerate it, do not edit it.',
  );
  L.push('');
  L.push(
    '- **served**: the built app has a route for the operation’s method and path on its own prefix (`app.routeRegistry`), ' +
      'or the generic engine answers it (`src/api/generic/`: the catch-all of each prefix dispatching through the catalogue).',
  );
  L.push('- **modelled**: served by a hand resource declaration over stored sandbox state (`src/api/resources/`).');
  L.push(
    '- **generated**: served by the generic engine from the catalogue’s data over stored rows (`records`), or through a hand ' +
      'declaration’s own show/list for the reads of a declared resource on another version or action (docs/api.md).',
  );
  L.push(
    '- **tested**: served, and some test file (`src/**/*.test.ts`, `test/**/*.test.ts`, except the catalogue’s and ' +
      'connectors’ own suites) writes its path as a string literal — `/rest/vX.Y/…` on that prefix, or a relative or ' +
      '`${prefix}/…`-style path ending in the same segments, interpolations and ids standing for `{params}` — with ' +
      "its method quoted or called (`'POST'`, `.post(`) on the same line, or on the line above when the literal " +
      'continues a call begun there (GET otherwise). ' +
      'Newman also runs the whole Postman collection (`test/clients/newman.test.ts`); that is not counted here.',
  );
  L.push('');
  L.push('## Totals');
  L.push('');
  L.push(head);
  L.push(tallyLine('all', total));
  L.push('');
  L.push('## By version prefix');
  L.push('');
  L.push(head);
  for (const [prefix, list] of [...groupBy(rows, (r) => r.op.prefix || '/oauth')].sort(([a], [b]) => (a < b ? -1 : 1)))
    L.push(tallyLine(`\`${prefix}\``, tally(list)));
  L.push('');
  L.push('## By category');
  L.push('');
  L.push(head);
  const byCategory = [...groupBy(rows, (r) => r.op.category)].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  for (const [category, list] of byCategory) L.push(tallyLine(category, tally(list)));
  L.push('');
  L.push('## Connectors');
  L.push('');
  L.push(
    'Endpoint lists of real connectors (`test/connectors/*.json`, each with its source), checked by `test/connectors/connectors.test.ts`.',
  );
  for (const c of input.connectors) {
    const served = c.endpoints.filter((e) => e.served).length;
    L.push('');
    L.push(`### ${c.connector}: ${served} of ${c.endpoints.length} served`);
    L.push('');
    L.push(
      `Source: \`${c.source.repository}\` \`${c.source.path}\` at \`${c.source.commit.slice(0, 12)}\` (\`test/connectors/${c.file}\`).`,
    );
    const missing = c.endpoints.filter((e) => !e.served);
    if (missing.length) {
      L.push('');
      L.push('Missing:');
      L.push('');
      for (const e of missing) L.push(`- \`${e.method} ${e.path}\` (${e.operationId})${e.used_by ? ` — ${e.used_by}` : ''}`);
    }
  }
  L.push('');
  L.push('## Routes outside the catalogue');
  L.push('');
  L.push(
    `Routes of the app under \`/rest/\` that name no operation of the 2026 catalogue, besides its ${input.vapidTwins} routes on the legacy \`/vapid\` prefix:`,
  );
  L.push('');
  for (const r of input.extraRoutes) L.push(`- \`${r}\``);
  if (!input.extraRoutes.length) L.push('- none');
  L.push('');
  L.push('## Not served, with reasons');
  L.push('');
  const unserved = rows.filter((r) => !r.served);
  if (!unserved.length) L.push('- none');
  for (const r of unserved) L.push(`- \`${r.op.method} ${r.op.path}\` — ${input.reason?.(r.op) ?? 'no route'}`);
  L.push('');
  L.push('## Operations');
  L.push('');
  L.push('Served · modelled · generated · tested, per category and module.');
  for (const [category, list] of byCategory) {
    L.push('');
    L.push(`### ${category}`);
    for (const [module, mods] of [...groupBy(list, (r) => r.op.module)].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const t = tally(mods);
      L.push('');
      L.push(`#### ${module} (${t.served} of ${t.operations} served)`);
      L.push('');
      L.push('| S | M | G | T | operation | operationId |');
      L.push('|:-:|:-:|:-:|:-:|---|---|');
      const sorted = [...mods].sort((a, b) =>
        a.op.path < b.op.path ? -1 : a.op.path > b.op.path ? 1 : a.op.method < b.op.method ? -1 : 1,
      );
      for (const r of sorted)
        L.push(
          `| ${mark(r.served)} | ${mark(r.modelled)} | ${mark(r.generated)} | ${mark(r.tested)} | \`${r.op.method} ${r.op.path}\` | ${r.op.operationId} |`,
        );
    }
  }
  L.push('');
  return L.join('\n');
}
