/** `requestOrigin()`: the one origin of a request, with the Host header validated. */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestOrigin } from './origin.js';

describe('requestOrigin', () => {
  const app = Fastify();
  app.get('/origin', async (request) => ({ origin: requestOrigin(request) }));
  beforeAll(() => app.ready());
  afterAll(() => app.close());

  const originFor = async (host: string) => (await app.inject({ url: '/origin', headers: { host } })).json().origin;

  it('keeps a well-formed host, port and IPv6 literal', async () => {
    expect(await originFor('127.0.0.1:4000')).toBe('http://127.0.0.1:4000');
    expect(await originFor('sandbox.example.com')).toBe('http://sandbox.example.com');
    expect(await originFor('[::1]:4000')).toBe('http://[::1]:4000');
  });

  it('falls back to localhost for a malformed Host header', async () => {
    expect(await originFor('evil.example.com/path')).toBe('http://localhost');
    expect(await originFor('a b')).toBe('http://localhost');
    expect(await originFor('host:99999999')).toBe('http://localhost');
    expect(await originFor('"><script>')).toBe('http://localhost');
  });
});
