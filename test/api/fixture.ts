/** Shared set-up for the API suites: a runtime, tokens, seeded ids and request helpers. */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createTestRuntime, type EngineName, type TestRuntime } from '../helpers/runtime.js';
import type { Settings } from '../../src/context/settings.js';

export interface ApiFixture {
  rt: TestRuntime;
  token: string;
  companyId: number;
  projectId: number;
  ids: {
    rootFolder: number;
    childFolder: number;
    file: number;
    drawingArea: number;
    imageCategory: number;
    image: number;
    rfi: number;
    submittal: number;
    task: number;
    users: { arch: number; sub: number; demo: number; developer: number };
    vendor: number;
  };
  /** Request with the token and (unless `company: false`) the company header. */
  call(
    method: InjectOptions['method'],
    url: string,
    options?: { payload?: unknown; headers?: Record<string, string>; company?: boolean; token?: string | null },
  ): Promise<LightMyRequestResponse>;
  get(
    url: string,
    options?: { headers?: Record<string, string>; company?: boolean; token?: string | null },
  ): Promise<LightMyRequestResponse>;
}

export async function createApiFixture(
  options: { engine?: EngineName; db?: string; settings?: Partial<Settings> } = {},
): Promise<ApiFixture> {
  const rt = await createTestRuntime({
    ...options,
    settings: { rateLimit: { hourly: 100_000, spike: 100_000, enabled: true }, ...options.settings },
  });
  const token = await rt.mintToken();
  const db = rt.ctx.db;
  const sb = rt.sandbox;
  const one = async <T>(p: Promise<T | undefined>): Promise<T> => {
    const v = await p;
    if (v === undefined) throw new Error('seed row missing');
    return v;
  };
  const root = await one(
    db.selectFrom('folders').select('id').where('sandbox_id', '=', sb.id).where('parent_id', 'is', null).executeTakeFirst(),
  );
  const child = await one(
    db.selectFrom('folders').select('id').where('sandbox_id', '=', sb.id).where('parent_id', '=', root.id).orderBy('id').executeTakeFirst(),
  );
  const file = await one(db.selectFrom('files').select('id').where('sandbox_id', '=', sb.id).orderBy('id').executeTakeFirst());
  const area = await one(db.selectFrom('drawing_areas').select('id').where('sandbox_id', '=', sb.id).orderBy('id').executeTakeFirst());
  const cat = await one(db.selectFrom('image_categories').select('id').where('sandbox_id', '=', sb.id).orderBy('id').executeTakeFirst());
  const image = await one(db.selectFrom('images').select('id').where('sandbox_id', '=', sb.id).orderBy('id').executeTakeFirst());
  const rfi = await one(db.selectFrom('rfis').select('id').where('sandbox_id', '=', sb.id).orderBy('id').executeTakeFirst());
  const submittal = await one(db.selectFrom('submittals').select('id').where('sandbox_id', '=', sb.id).orderBy('id').executeTakeFirst());
  const task = await one(db.selectFrom('tasks').select('id').where('sandbox_id', '=', sb.id).orderBy('row_number').executeTakeFirst());
  const vendor = await one(db.selectFrom('vendors').select('id').where('sandbox_id', '=', sb.id).orderBy('id').executeTakeFirst());
  const user = (email: string) => {
    const u = rt.users.get(email);
    if (!u) throw new Error(`user ${email} missing`);
    return u.id;
  };
  const call: ApiFixture['call'] = (method, url, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    const t = o.token === undefined ? token : o.token;
    if (t !== null) headers['authorization'] = `Bearer ${t}`;
    if (o.company !== false) headers['procore-company-id'] ??= String(sb.company_id);
    return rt.sandboxApp.inject({ method, url, headers, ...(o.payload !== undefined ? { payload: o.payload as never } : {}) });
  };
  return {
    rt,
    token,
    companyId: sb.company_id,
    projectId: sb.project_id,
    ids: {
      rootFolder: root.id,
      childFolder: child.id,
      file: file.id,
      drawingArea: area.id,
      imageCategory: cat.id,
      image: image.id,
      rfi: rfi.id,
      submittal: submittal.id,
      task: task.id,
      users: {
        arch: user('sandbox+arch@example.com'),
        sub: user('sandbox+sub@example.com'),
        demo: user('sandbox+demo@example.com'),
        developer: user('developer@example.com'),
      },
      vendor: vendor.id,
    },
    call,
    get: (url, o) => call('GET', url, o),
  };
}

export const PREFIXES = ['/rest/v1.0', '/vapid'] as const;
