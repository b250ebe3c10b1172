/** B12: after a full flow (with failures), the logs hold no secret, code, token or password. */
import { Writable } from 'node:stream';
import { describe, it, expect } from 'vitest';
import { createRuntime } from '../../server/runtime.js';
import { revealCredentials, revealUserPassword } from '../../services/apps.js';
import { findSandboxByApp } from '../../db/repos/sandboxes.js';
import { runAuthorizeFlow } from './flow.js';

describe('logging', () => {
  it('logs nothing sensitive during authorize, token, refresh, info and revoke', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const rt = await createRuntime({ db: ':memory:', logger: { level: 'trace', stream } });
    try {
      const app = rt.setup!.app!;
      const creds = (await revealCredentials(rt.ctx, app.id, 'sandbox'))!;
      const password = revealUserPassword(rt.ctx, (await findSandboxByApp(rt.ctx.db, app.id))!);
      const flow = await runAuthorizeFlow(rt.sandboxApp, {
        query: { response_type: 'code', client_id: creds.clientId, redirect_uri: 'http://localhost', state: 'st8' },
        email: 'sandbox+arch@example.com',
        password,
      });
      const body = { client_id: creds.clientId, client_secret: creds.clientSecret };
      const tok = (
        await rt.sandboxApp.inject({
          method: 'POST',
          url: `/oauth/token?code=${flow.code}`,
          payload: { grant_type: 'authorization_code', redirect_uri: 'http://localhost', ...body },
        })
      ).json();
      const refreshed = (
        await rt.sandboxApp.inject({
          method: 'POST',
          url: '/oauth/token',
          payload: { grant_type: 'refresh_token', refresh_token: tok.refresh_token, ...body },
        })
      ).json();
      await rt.sandboxApp.inject({
        method: 'GET',
        url: '/oauth/token/info',
        headers: { authorization: `Bearer ${refreshed.access_token}` },
      });
      await rt.sandboxApp.inject({ method: 'POST', url: '/oauth/revoke', payload: { token: refreshed.access_token, ...body } });
      await rt.sandboxApp.inject({
        method: 'POST',
        url: '/oauth/token',
        payload: { grant_type: 'client_credentials', client_id: creds.clientId, client_secret: 'wrong-secret-value' },
      });
      const log = lines.join('');
      expect(log).toContain('/oauth/token');
      for (const secret of [
        creds.clientSecret,
        password,
        flow.code!,
        tok.access_token,
        tok.refresh_token,
        refreshed.access_token,
        refreshed.refresh_token,
        'wrong-secret-value',
        'st8',
      ]) {
        expect(log).not.toContain(secret);
      }
    } finally {
      await rt.close();
    }
  });
});
