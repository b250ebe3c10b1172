import { describe, expect, it } from 'vitest';
import { FaultStore, faultRuleProblems } from './faults.js';
import { pathPattern } from './patterns.js';

describe('path patterns', () => {
  it('match one segment with *, any with **, the rest literally', () => {
    const p = pathPattern('/rest/v1.0/projects/*/rfis');
    expect(p.test('/rest/v1.0/projects/42/rfis')).toBe(true);
    expect(p.test('/rest/v1.0/projects/42/rfis/')).toBe(true);
    expect(p.test('/rest/v1.0/projects/42/rfis/7')).toBe(false);
    expect(p.test('/rest/v1x0/projects/42/rfis')).toBe(false);
    expect(p.test('/rest/v1.0/projects//rfis')).toBe(false);
    expect(pathPattern('/vapid/**').test('/vapid/projects/1/rfis')).toBe(true);
    expect(pathPattern('/a/(b)').test('/a/(b)')).toBe(true);
  });
});

describe('FaultStore', () => {
  it('picks the first matching rule for the company and counts its hits', () => {
    const store = new FaultStore(() => 'now');
    const a = store.add({ path: '/x/*', method: 'get', status: 500, company_id: 7 });
    const b = store.add({ path: '/x/**', status: 503 });
    expect(a.method).toBe('GET');
    expect(store.candidates('POST', '/x/1').map((r) => r.id)).toEqual([b.id]);
    expect(store.pick(store.candidates('GET', '/x/1'), 7)?.id).toBe(a.id);
    expect(store.pick(store.candidates('GET', '/x/1'), 8)?.id).toBe(b.id);
    expect(store.list().map((r) => r.hits)).toEqual([1, 1]);
    expect(store.candidates('GET', '/y')).toEqual([]);
  });

  it('honours rate and times', () => {
    const store = new FaultStore();
    store.add({ path: '/x', status: 500, rate: 0.25, times: 2 });
    const draws = [0.9, 0.1, 0.3, 0.2, 0.0];
    const random = () => draws.shift()!;
    const results = Array.from({ length: 4 }, () => store.pick(store.candidates('GET', '/x'), null, random)?.status ?? null);
    expect(results).toEqual([null, 500, null, 500]);
    expect(store.size).toBe(0);
  });

  it('explains what a rule lacks', () => {
    expect(faultRuleProblems({ path: '/x' })).toEqual(['a rule needs status, delay_ms or drop']);
    expect(faultRuleProblems({ path: 'x', drop: true, status: 500 })).toEqual([
      'path must start with /',
      'drop and status exclude each other',
    ]);
    expect(faultRuleProblems({ path: '/x', delay_ms: 5 })).toEqual([]);
  });
});
