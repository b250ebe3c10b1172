/**
 * Top frames of a V8 CPU profile (`node --cpu-prof`): self time per function, and inclusive
 * time per function. `node --import tsx bench/profile-top.ts artifacts/profiles/<file>.cpuprofile [n]`
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [file, count] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-top.ts <file.cpuprofile> [n]');
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const n = Number(count ?? 30);
const byId = new Map(p.nodes.map((x) => [x.id, x]));
const parent = new Map<number, number>();
for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const selfUs = new Map<number, number>();
p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
const label = (x: Node) => {
  const url = x.callFrame.url.replace(/^.*\/node_modules\//, '~/').replace(/^.*\/(src|dist)\//, '$1/');
  return `${x.callFrame.functionName || '(anonymous)'} ${url}:${x.callFrame.lineNumber + 1}`;
};
const self = new Map<string, number>();
const total = new Map<string, number>();
let all = 0;
for (const [id, us] of selfUs) {
  all += us;
  const x = byId.get(id)!;
  self.set(label(x), (self.get(label(x)) ?? 0) + us);
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
console.log(`samples: ${p.samples.length}, ${(all / 1e6).toFixed(1)} s\n\n# self\n${top(self)}\n\n# inclusive\n${top(total)}`);
