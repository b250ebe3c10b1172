/**
 * Newman (the Postman CLI runner, through its library API) runs the served "Procore Sandbox
 * Test Project" collection and environment, by URL, against a fresh sandbox on a listening
 * server: every request of both folders must answer 2xx and pass the collection's
 * "status is 2xx" test. Needs the OAuth token endpoint (client credentials) and the REST API.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSandboxByApp } from '../../src/db/repos/sandboxes.js';
import { getPostmanLinks, type PostmanLinks } from '../../src/postman/index.js';
import { createApp, revealCredentials } from '../../src/services/apps.js';
import { startServer, type RunningServer } from '../../src/server/runtime.js';

interface NewmanExecution {
  cursor: { ref: string };
  item: { name: string };
  request: { url: { toString(): string }; headers: { toObject(): Record<string, string> } };
  response?: { code: number };
  assertions?: { assertion: string; error?: { message: string } }[];
  requestError?: { message: string };
}

interface NewmanSummary {
  run: {
    stats: { requests: { total: number; failed: number }; assertions: { total: number; failed: number } };
    executions: NewmanExecution[];
    failures: { error: { message: string; test?: string }; source?: { name?: string } }[];
    error?: Error;
  };
}

interface NewmanLike {
  run(options: Record<string, unknown>, callback: (err: Error | null, summary: NewmanSummary) => void): unknown;
}

// newman ships no type declarations.
const newman = createRequire(import.meta.url)('newman') as NewmanLike;

function runNewman(options: Record<string, unknown>): Promise<NewmanSummary> {
  return new Promise((resolve, reject) => {
    newman.run({ reporters: [], timeoutRequest: 10_000, ...options }, (err, summary) => (err ? reject(err) : resolve(summary)));
  });
}

function describeFailures(summary: NewmanSummary): string {
  return JSON.stringify(
    summary.run.executions.map((e) => ({
      name: e.item.name,
      url: e.request.url.toString(),
      code: e.response?.code,
      error: e.requestError?.message,
    })),
    null,
    1,
  );
}

describe('Newman runs the served collection against a fresh sandbox', () => {
  let server: RunningServer;
  let links: PostmanLinks;
  let clientId: string;
  let clientSecret: string;
  let companyId: number;

  beforeAll(async () => {
    server = await startServer({ db: ':memory:', host: '127.0.0.1', port: 0, productionPort: 0 });
    const appId = server.setup!.app!.id;
    links = await getPostmanLinks(server.ctx, appId, server.sandboxUrl);
    const creds = await revealCredentials(server.ctx, appId, 'sandbox');
    clientId = creds!.clientId;
    clientSecret = creds!.clientSecret;
    companyId = (await findSandboxByApp(server.ctx.db, appId))!.company_id;
  });
  afterAll(() => server?.close());

  async function clientCredentialsToken(): Promise<string> {
    const res = await fetch(`${server.sandboxUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as { access_token: string; token_type: string };
    expect(body.token_type.toLowerCase()).toBe('bearer');
    return body.access_token;
  }

  function expectAllGreen(summary: NewmanSummary, token?: string): void {
    const { stats, failures } = summary.run;
    // A pm.sendRequest in a pre-request script shows up as a second entry for the same item.
    const executions = [...new Map(summary.run.executions.map((e) => [e.cursor.ref, e])).values()];
    expect(summary.run.error ?? undefined).toBeUndefined();
    expect(executions, describeFailures(summary)).toHaveLength(22);
    for (const e of executions) {
      expect(e.requestError, `${e.item.name}: ${e.requestError?.message}`).toBeUndefined();
      expect(e.response?.code, `${e.item.name} ${e.request.url.toString()}`).toBeGreaterThanOrEqual(200);
      expect(e.response?.code, `${e.item.name} ${e.request.url.toString()}`).toBeLessThan(300);
      expect(e.assertions?.map((a) => [a.assertion, a.error?.message])).toEqual([['status is 2xx', undefined]]);
      // postman-runtime reports the headers it sent with lower-cased names.
      const headers = Object.fromEntries(Object.entries(e.request.headers.toObject()).map(([k, v]) => [k.toLowerCase(), v]));
      expect(headers['authorization']).toMatch(token ? new RegExp(`^Bearer ${token}$`) : /^Bearer .+/);
      const url = e.request.url.toString();
      expect(url).not.toContain('{{');
      if (url.includes('/rest/v1.0/')) expect(headers['procore-company-id'], url).toBe(String(companyId));
      else expect(headers['procore-company-id']).toBeUndefined();
    }
    expect(stats.assertions).toMatchObject({ total: 22, failed: 0 });
    expect(failures.map((f) => `${f.source?.name}: ${f.error.message}`)).toEqual([]);
  }

  it('every request of both folders answers 2xx with a client-credentials token passed in', async () => {
    const token = await clientCredentialsToken();
    const summary = await runNewman({
      collection: links.collectionUrl,
      environment: links.environmentUrl,
      envVar: [{ key: 'access_token', value: token }],
    });
    expectAllGreen(summary, token);
  });

  it('needs no token at all: the collection fetches one with client credentials', async () => {
    // A second fresh sandbox: one run is 22 calls, and Procore's spike limit (25 per 10 s per
    // app and user) would refuse a second run on the same app right away.
    const second = await createApp(server.ctx, { developerId: server.setup!.developer.id, name: 'Newman without token' });
    companyId = second.sandbox.company_id;
    const secondLinks = await getPostmanLinks(server.ctx, second.app.id, server.sandboxUrl);
    const summary = await runNewman({ collection: secondLinks.collectionUrl, environment: secondLinks.environmentUrl });
    expectAllGreen(summary);
    expect(summary.run.stats.requests.total).toBe(23); // one token request, then reused
  });
});
