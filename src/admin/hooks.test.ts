/** The journal hook on a bare Fastify app: `request.journalWhy` from any plugin wins. */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { AdjustableClock } from '../core/clock.js';
import { SecretBox } from '../core/crypto.js';
import type { AppContext } from '../context/context.js';
import { defaultSettings } from '../context/settings.js';
import automationHooks from './hooks.js';
import { automationOf } from './state.js';

describe('automation hooks', () => {
  it('journals the reason a handler gives', async () => {
    const ctx = {
      clock: new AdjustableClock(),
      settings: defaultSettings(),
      secrets: new SecretBox(SecretBox.generateKey()),
    } as unknown as AppContext;
    const app = Fastify();
    app.decorate('ctx', ctx);
    app.decorate('environment', 'sandbox');
    await app.register(automationHooks);
    app.get('/thing', async (request, reply) => {
      request.journalWhy = 'the thing is locked by another test';
      return reply.code(409).send({ code: 409, message: 'Conflict' });
    });
    app.get('/fine', async () => ({ ok: true }));
    await app.inject({ url: '/thing?token=abc' });
    await app.inject({ url: '/fine' });
    const journal = automationOf(ctx).journal;
    await journal.settled();
    expect(journal.query().map((e) => [e.path, e.status, e.answered_by, e.why])).toEqual([
      ['/fine', 200, 'route GET /fine', null],
      ['/thing?token=[redacted]', 409, 'route GET /thing', 'the thing is locked by another test'],
    ]);
    await app.close();
  });
});
