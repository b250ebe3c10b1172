/**
 * Races across two server processes' worth of runtime (two connection pools, two Fastify
 * instances) on one database (security.md B2, C4, C9): racing refreshes leave exactly one live
 * pair, and a revoke racing a refresh leaves nothing of the grant alive.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, ENGINES, freshPostgresDatabase, type TestRuntime, useScratchDir } from '../../../test/helpers/runtime.js';
import { sha256Hex } from '../../core/crypto.js';
import { runAuthorizeFlow } from './flow.js';

const LOCALHOST = 'http://localhost';
const scratch = useScratchDir('oauth-races-');

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`${engine.name}: OAuth races across two runtimes`, () => {
    let a: TestRuntime;
    let b: TestRuntime;
    beforeAll(async () => {
      const db = engine.name === 'sqlite' ? join(scratch(), 'races.db') : await freshPostgresDatabase();
      const settings = { loginAttemptsPerHour: 100_000, loginAttemptsPerIpPerHour: 100_000 };
      a = await createTestRuntime({ db, settings });
      b = await createTestRuntime({ db, settings });
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
    });

    const creds = () => ({ client_id: a.credentials.clientId, client_secret: a.credentials.clientSecret });
    const on = (i: number) => (i % 2 === 0 ? a : b).sandboxApp;
    const post = (i: number, url: string, payload: Record<string, string>) => on(i).inject({ method: 'POST', url, payload });

    async function tokens(): Promise<{ access_token: string; refresh_token: string }> {
      const r = await runAuthorizeFlow(a.sandboxApp, {
        query: { response_type: 'code', client_id: a.credentials.clientId, redirect_uri: LOCALHOST },
        email: 'sandbox+demo@example.com',
        password: a.userPassword,
      });
      const res = await post(1, '/oauth/token', { grant_type: 'authorization_code', code: r.code!, redirect_uri: LOCALHOST, ...creds() });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    }
    const live = async (accessToken: string) => {
      const row = await a.ctx.db
        .selectFrom('access_tokens')
        .select('grant_id')
        .where('token_hash', '=', sha256Hex(accessToken))
        .executeTakeFirstOrThrow();
      return a.ctx.db
        .selectFrom('access_tokens')
        .select('id')
        .where('grant_id', '=', row.grant_id)
        .where('revoked_at', 'is', null)
        .execute();
    };

    it('20 parallel refreshes of one refresh token on two processes: one 200, one live pair (×5)', async () => {
      for (let round = 0; round < 5; round++) {
        const t = await tokens();
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            post(i, '/oauth/token', { grant_type: 'refresh_token', refresh_token: t.refresh_token, ...creds() }),
          ),
        );
        expect(results.map((r) => r.statusCode).filter((s) => s === 200)).toHaveLength(1);
        expect(results.filter((r) => r.statusCode >= 500)).toEqual([]);
        const winner = results.find((r) => r.statusCode === 200)!.json();
        expect(await live(winner.access_token)).toHaveLength(1);
        const info = await b.sandboxApp.inject({
          method: 'GET',
          url: '/oauth/token/info',
          headers: { authorization: `Bearer ${winner.access_token}` },
        });
        expect(info.statusCode).toBe(200);
      }
    });

    it('revoke on one process racing refresh on the other: after the 200 nothing of the grant is alive (×20)', async () => {
      for (let round = 0; round < 20; round++) {
        const t = await tokens();
        const [, revoked] = await Promise.all([
          post(round, '/oauth/token', { grant_type: 'refresh_token', refresh_token: t.refresh_token, ...creds() }),
          post(round + 1, '/oauth/revoke', { token: round % 2 ? t.access_token : t.refresh_token, ...creds() }),
        ]);
        expect(revoked.statusCode).toBe(200);
        expect(await live(t.access_token)).toEqual([]);
      }
    });
  });
}
