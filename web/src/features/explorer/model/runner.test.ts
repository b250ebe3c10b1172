import { describe, expect, it } from 'vitest';
import { evaluateTests, passed } from './runner.js';

const ok = { status: 200, headers: [['Total', '1']] as [string, string][], body: '[]', timeMs: 12 };

describe('runner assertions', () => {
  it("reads the sandbox collection's own test script", () => {
    const script = ["pm.test('status is 2xx', function () {", '  pm.expect(pm.response.code).to.be.within(200, 299);', '});'].join('\n');
    expect(evaluateTests([script], ok)).toEqual([{ name: 'status is 2xx', pass: true, detail: 'status 200, expected 200–299' }]);
    const failed = evaluateTests([script], { ...ok, status: 401 });
    expect(failed[0]!.pass).toBe(false);
    expect(passed(failed)).toBe(false);
  });

  it('evaluates status, header, JSON and time assertions, and says what it could not read', () => {
    const script = `
      pm.test("created", () => { pm.response.to.have.status(201); });
      pm.test('paged', function () { pm.response.to.have.header('Total'); pm.response.to.be.json; });
      pm.test('fast', () => pm.expect(pm.response.responseTime).to.be.below(500));
      pm.test('custom', () => { const x = pm.response.json(); pm.expect(x.length).to.eql(1); });
    `;
    const checks = evaluateTests([script], ok);
    expect(checks.map((c) => [c.name, c.pass])).toEqual([
      ['created', false],
      ['paged', true],
      ['fast', true],
      ['custom', null],
    ]);
    expect(passed(checks.filter((c) => c.name !== 'created'))).toBe(true);
  });

  it('falls back to "status is 2xx" without scripts', () => {
    expect(evaluateTests([], { ...ok, status: 204 })).toEqual([{ name: 'status is 2xx', pass: true, detail: 'status 204' }]);
    expect(passed(evaluateTests([], { ...ok, status: 500 }))).toBe(false);
  });
});
