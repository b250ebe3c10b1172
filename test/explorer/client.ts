/**
 * A browser-like client of the explorer API for route tests: signs in to the portal (session
 * cookie), sends the CSRF header on writes and JSON bodies, via `app.inject()`.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { SESSION_COOKIE } from '../../src/portal/sessions.js';

export class ExplorerClient {
  cookie = '';
  constructor(readonly app: FastifyInstance) {}

  async raw(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: method as 'GET',
      url,
      headers: {
        ...(method === 'GET' ? {} : { 'x-requested-with': 'procore-sandbox' }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const set = res.cookies.find((c) => c.name === SESSION_COOKIE);
    if (set) this.cookie = set.value ? `${SESSION_COOKIE}=${set.value}` : '';
    return res;
  }

  /** `/api/explorer` + path. */
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse> {
    return this.raw(method, `/api/explorer${path}`, body, headers);
  }

  async signIn(email: string, password: string): Promise<this> {
    const res = await this.raw('POST', '/api/portal/signin', { email, password });
    if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
    return this;
  }

  async signUp(email: string, password = 'correct horse battery'): Promise<this> {
    // Sign-up answers 202 without a session (it never says whether the email was taken): sign in.
    const res = await this.raw('POST', '/api/portal/signup', { email, password });
    if (res.statusCode !== 202 && res.statusCode !== 201) throw new Error(`sign-up failed: ${res.statusCode} ${res.body}`);
    return this.signIn(email, password);
  }

  async createApp(name: string): Promise<number> {
    const res = await this.raw('POST', '/api/portal/apps', { name });
    if (res.statusCode !== 201) throw new Error(`app creation failed: ${res.statusCode} ${res.body}`);
    return res.json<{ app: { id: number } }>().app.id;
  }
}
