/**
 * Top frames of a V8 CPU profile (`node --cpu-prof`): self and inclusive time per function, and
 * self time per source file (frames of the bundled `dist/` mapped back to `src/` and packages
 * through the bundle's source map).
 * `node --import tsx bench/profile-top.ts <file.cpuprofile> [n] [--from <function>]`: with
 * `--from`, samples before the first one whose stack holds `<function>` (e.g. `requireBearer`,
 * the first request) are left out, so start-up does not count in a load profile; `--until`
 * likewise ends at the first such sample (start-up alone).
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args.splice(i, 2)[1];
};
const from = flag('--from');
const until = flag('--until');
const [file, count] = args;
if (!file) throw new Error('usage: profile-top.ts <file.cpuprofile> [n] [--from fn] [--until fn]');
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const n = Number(count ?? 30);
const byId = new Map(p.nodes.map((x) => [x.id, x]));
const parent = new Map<number, number>();
for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x.id);

const maps = new Map<string, SourceMap | null>();
function sourceOf(x: Node): string {
  const url = x.callFrame.url;
  if (!url) return `(${x.callFrame.functionName || 'native'})`;
  if (url.startsWith('node:')) return 'node:*';
  let map = maps.get(url);
  if (map === undefined) {
    const path = url.startsWith('file:') ? fileURLToPath(url) : url;
    map = existsSync(`${path}.map`) ? new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8'))) : null;
    maps.set(url, map);
  }
  const entry = map?.findEntry(x.callFrame.lineNumber, x.callFrame.columnNumber) as { originalSource?: string } | undefined;
  const src = entry?.originalSource ?? url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(src);
  return pkg ? `~/${pkg[1]}` : src.replace(/^.*\/(src|bench|scripts|web)\//, '$1/');
}
const label = (x: Node) => {
  const url = x.callFrame.url.includes('/dist/') ? sourceOf(x) : x.callFrame.url.replace(/^.*\/node_modules\//, '~/');
  return `${x.callFrame.functionName || '(anonymous)'} ${url}:${x.callFrame.lineNumber + 1}`;
};
const stackHas = (id: number, name: string) => {
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur))
    if (byId.get(cur)!.callFrame.functionName === name) return true;
  return false;
};
let first = 0;
let last = p.samples.length;
if (from)
  first = Math.max(
    0,
    p.samples.findIndex((id) => stackHas(id, from)),
  );
if (until)
  last = Math.max(
    0,
    p.samples.findIndex((id) => stackHas(id, until)),
  );
const selfUs = new Map<number, number>();
for (let i = first; i < last; i++) selfUs.set(p.samples[i]!, (selfUs.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
const self = new Map<string, number>();
const total = new Map<string, number>();
const files = new Map<string, number>();
let all = 0;
for (const [id, us] of selfUs) {
  all += us;
  const x = byId.get(id)!;
  self.set(label(x), (self.get(label(x)) ?? 0) + us);
  files.set(sourceOf(x), (files.get(sourceOf(x)) ?? 0) + us);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur)!);
    if (seen.has(l)) continue;
    seen.add(l);
    total.set(l, (total.get(l) ?? 0) + us);
  }
}
const top = (m: Map<string, number>) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((100 * v) / all).toFixed(1).padStart(5)}%  ${k}`)
    .join('\n');
console.log(
  `samples: ${last - first}, ${(all / 1e6).toFixed(2)} s\n\n# self, by source file\n${top(files)}\n\n# self\n${top(self)}\n\n# inclusive\n${top(total)}`,
);
