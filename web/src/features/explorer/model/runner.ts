/**
 * Pass/fail for the Runner. The explorer does not execute collection scripts: the page's CSP
 * (`script-src 'self'`, no `unsafe-eval`) forbids evaluating code, and running untrusted
 * imported scripts in the portal's origin would hand them the developer's session. Instead the
 * runner reads the test scripts (collection → folder → request) and evaluates the assertions
 * Postman collections most often make about the response, statically:
 *
 * - `pm.response.to.have.status(200)`, `pm.response.to.be.ok` (200)
 * - `pm.expect(pm.response.code).to.be.within(200, 299)` / `.to.eql(201)` / `.to.equal(201)` /
 *   `.to.be.oneOf([200, 201])`, and `.to.be.below(n)` / `.to.be.above(n)`
 * - `pm.response.to.have.header('Total')`
 * - `pm.response.to.be.json` (the body parses as JSON)
 * - `pm.expect(pm.response.responseTime).to.be.below(500)`
 *
 * A `pm.test` block with none of these is reported as "not evaluated" (neither pass nor fail).
 * Without any test script the check is "status is 2xx".
 */

export interface RunResponse {
  status: number;
  headers: readonly [string, string][];
  body: string;
  timeMs: number;
}

export interface Check {
  name: string;
  /** null: not evaluated (an assertion the runner cannot read). */
  pass: boolean | null;
  detail: string;
}

type Assertion = (r: RunResponse) => { pass: boolean; detail: string };

const NUM = String.raw`(\d+(?:\.\d+)?)`;

function assertionsIn(chunk: string): Assertion[] {
  const out: Assertion[] = [];
  const code = String.raw`pm\.response\.code\s*\)`;
  for (const m of chunk.matchAll(/pm\.response\.to\.have\.status\(\s*(\d{3})\s*\)/g)) {
    const want = Number(m[1]);
    out.push((r) => ({ pass: r.status === want, detail: `status ${r.status}, expected ${want}` }));
  }
  if (/pm\.response\.to\.be\.ok\b/.test(chunk)) out.push((r) => ({ pass: r.status === 200, detail: `status ${r.status}, expected 200` }));
  for (const m of chunk.matchAll(new RegExp(`${code}\\.to\\.be\\.within\\(\\s*${NUM}\\s*,\\s*${NUM}\\s*\\)`, 'g'))) {
    const lo = Number(m[1]);
    const hi = Number(m[2]);
    out.push((r) => ({ pass: r.status >= lo && r.status <= hi, detail: `status ${r.status}, expected ${lo}–${hi}` }));
  }
  for (const m of chunk.matchAll(new RegExp(`${code}\\.to\\.(?:eql|equal|eq)\\(\\s*(\\d{3})\\s*\\)`, 'g'))) {
    const want = Number(m[1]);
    out.push((r) => ({ pass: r.status === want, detail: `status ${r.status}, expected ${want}` }));
  }
  for (const m of chunk.matchAll(new RegExp(`${code}\\.to\\.be\\.oneOf\\(\\s*\\[([\\d\\s,]+)\\]\\s*\\)`, 'g'))) {
    const list = m[1]!.split(',').map((s) => Number(s.trim()));
    out.push((r) => ({ pass: list.includes(r.status), detail: `status ${r.status}, expected one of ${list.join(', ')}` }));
  }
  for (const m of chunk.matchAll(new RegExp(`${code}\\.to\\.be\\.(below|above)\\(\\s*${NUM}\\s*\\)`, 'g'))) {
    const n = Number(m[2]);
    const below = m[1] === 'below';
    out.push((r) => ({ pass: below ? r.status < n : r.status > n, detail: `status ${r.status}, expected ${m[1]} ${n}` }));
  }
  for (const m of chunk.matchAll(/pm\.response\.to\.have\.header\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const name = m[1]!.toLowerCase();
    out.push((r) => ({ pass: r.headers.some(([k]) => k.toLowerCase() === name), detail: `header ${m[1]}` }));
  }
  if (/pm\.response\.to\.be\.json\b/.test(chunk))
    out.push((r) => {
      try {
        JSON.parse(r.body);
        return { pass: true, detail: 'body is JSON' };
      } catch {
        return { pass: false, detail: 'body is not JSON' };
      }
    });
  for (const m of chunk.matchAll(new RegExp(`pm\\.response\\.responseTime\\s*\\)\\.to\\.be\\.below\\(\\s*${NUM}\\s*\\)`, 'g'))) {
    const n = Number(m[1]);
    out.push((r) => ({ pass: r.timeMs < n, detail: `${Math.round(r.timeMs)} ms, expected below ${n} ms` }));
  }
  return out;
}

/** The checks of the given test scripts (in order), evaluated against a response. */
export function evaluateTests(scripts: readonly string[], response: RunResponse): Check[] {
  const checks: Check[] = [];
  for (const script of scripts) {
    const blocks = script.split(/pm\.test\s*\(/).slice(1);
    for (const block of blocks) {
      const name = /^\s*(['"`])((?:\\.|(?!\1).)*)\1/.exec(block)?.[2] ?? 'test';
      const assertions = assertionsIn(block);
      if (assertions.length === 0) {
        checks.push({ name, pass: null, detail: 'not evaluated: the explorer reads assertions, it does not run scripts' });
        continue;
      }
      const results = assertions.map((a) => a(response));
      const failed = results.find((r) => !r.pass);
      checks.push({ name, pass: !failed, detail: (failed ?? results[0]!).detail });
    }
  }
  if (checks.length === 0) {
    checks.push({ name: 'status is 2xx', pass: response.status >= 200 && response.status < 300, detail: `status ${response.status}` });
  }
  return checks;
}

/** A request passes when no check failed (checks not evaluated do not fail it). */
export function passed(checks: readonly Check[]): boolean {
  return checks.every((c) => c.pass !== false);
}
