/**
 * Test support for the login service: drives the authorize → login → approve pages with
 * `app.inject()` and a tiny cookie jar, like a browser without JavaScript would.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export class CookieJar {
  readonly cookies = new Map<string, string>();

  store(response: LightMyRequestResponse): void {
    const header = response.headers['set-cookie'];
    for (const line of header === undefined ? [] : Array.isArray(header) ? header : [header]) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

function unescapeHtml(value: string): string {
  return value.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
}

/** The hidden fields of the (first) form on a page. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const end = html.indexOf('</form>');
  const first = end < 0 ? html : html.slice(0, end);
  for (const m of first.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
    fields[unescapeHtml(m[1]!)] = unescapeHtml(m[2]!);
  return fields;
}

export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export interface FlowOptions {
  query: Record<string, string>;
  email: string;
  password: string;
  decision?: 'approve' | 'deny';
  jar?: CookieJar;
}

export interface FlowResult {
  jar: CookieJar;
  login: LightMyRequestResponse;
  approvePage: LightMyRequestResponse | null;
  final: LightMyRequestResponse;
  /** The Location of the final redirect, if any. */
  location: URL | null;
  code: string | null;
}

export async function get(app: FastifyInstance, jar: CookieJar, url: string) {
  const res = await app.inject({ method: 'GET', url, headers: { cookie: jar.header() } });
  jar.store(res);
  return res;
}

export async function postForm(
  app: FastifyInstance,
  jar: CookieJar,
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
  remoteAddress?: string,
) {
  const res = await app.inject({
    method: 'POST',
    url,
    ...(remoteAddress ? { remoteAddress } : {}),
    payload: form(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header(), ...headers },
  });
  jar.store(res);
  return res;
}

/** Runs the whole browser flow and returns every step. */
export async function runAuthorizeFlow(app: FastifyInstance, options: FlowOptions): Promise<FlowResult> {
  const jar = options.jar ?? new CookieJar();
  let page = await get(app, jar, `/oauth/authorize?${new URLSearchParams(options.query)}`);
  let login = page;
  if (page.statusCode === 200 && page.body.includes('Log in to your Account')) {
    login = await postForm(app, jar, '/oauth/login', { ...hiddenFields(page.body), email: options.email, password: options.password });
    if (login.statusCode !== 303) return { jar, login, approvePage: null, final: login, location: null, code: null };
    page = await get(app, jar, login.headers.location as string);
  }
  let approvePage: LightMyRequestResponse | null = null;
  let final = page;
  if (page.statusCode === 200 && page.body.includes('name="decision"')) {
    approvePage = page;
    final = await postForm(app, jar, '/oauth/authorize', { ...hiddenFields(page.body), decision: options.decision ?? 'approve' });
  }
  const location = final.statusCode === 303 ? new URL(final.headers.location as string) : null;
  let code = location?.searchParams.get('code') ?? null;
  if (!code && final.statusCode === 200) code = /data-code="([0-9a-f]{64})"/.exec(final.body)?.[1] ?? null;
  return { jar, login, approvePage, final, location, code };
}
