/** `@procore/js-sdk` against a listening sandbox: me, companies, projects, RFIs, submittals. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sdk from '@procore/js-sdk';
import { createApiFixture, type ApiFixture } from '../api/fixture.js';

let f: ApiFixture;
let base = '';
beforeAll(async () => {
  f = await createApiFixture();
  await f.rt.sandboxApp.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(f.rt.sandboxApp.server.address() as { port: number }).port}`;
});
afterAll(() => f.rt.close());

describe('@procore/js-sdk client()', () => {
  it('reads and writes through the SDK on /rest/v1.0 and /vapid', async () => {
    const client = sdk.client(sdk.oauth(f.token), {}, { apiHostname: base, defaultVersion: 'v1.0' });
    const companyId = f.companyId;

    const me = await client.get({ base: '/me' });
    expect(me.body).toMatchObject({ login: 'sandbox+demo@example.com' });

    const companies = await client.get({ base: '/companies' });
    expect(companies.body).toEqual([expect.objectContaining({ id: companyId })]);

    const projects = await client.get({ base: '/projects', qs: { company_id: companyId } }, { companyId });
    expect(projects.body).toEqual([expect.objectContaining({ id: f.projectId, display_name: '1234 - Sandbox Test Project' })]);
    expect(projects.response.headers.get('total')).toBe('1');

    const rfis = await client.get(
      {
        base: '/projects/{project_id}/rfis',
        params: { project_id: f.projectId },
        qs: { filters: { status: ['open'] }, sort: { attribute: 'number', direction: 'asc' } },
      },
      { companyId },
    );
    expect(rfis.body).toHaveLength(1);

    const created = await client.post(
      { base: '/projects/{project_id}/rfis', params: { project_id: f.projectId } },
      {
        rfi: { subject: 'From the SDK', rfi_manager_id: f.ids.users.demo, question: { body: 'Hello?' }, assignee_ids: [f.ids.users.arch] },
      },
      { companyId },
    );
    expect(created.response.status).toBe(201);
    expect(created.body).toMatchObject({ subject: 'From the SDK', number: '2' });

    const shown = await client.get(
      { base: '/projects/{project_id}/rfis', params: { project_id: f.projectId, id: (created.body as { id: number }).id } },
      { companyId },
    );
    expect(shown.body).toMatchObject({ subject: 'From the SDK' });

    const subs = await client.get({ base: '/projects/{project_id}/submittals', params: { project_id: f.projectId } }, { companyId });
    expect(subs.body).toEqual([expect.objectContaining({ title: 'Cast-in-Place Concrete Mix Design' })]);

    const vapid = sdk.client(sdk.oauth(f.token), {}, { apiHostname: base, defaultVersion: 'vapid' });
    const vapidRfis = await vapid.get({ base: '/projects/{project_id}/rfis', params: { project_id: f.projectId } });
    expect(vapidRfis.body).toHaveLength(2);

    // Procore has no DELETE on RFIs: an integration recycles them.
    const removed = await client.patch(
      {
        base: '/projects/{project_id}/rfis',
        params: { project_id: f.projectId, id: (created.body as { id: number }).id },
        action: 'recycle',
      },
      {},
      { companyId },
    );
    expect(removed.response.status).toBe(200);
    expect(removed.body).toMatchObject({ id: (created.body as { id: number }).id, deleted_at: expect.any(String) });
  });

  it('rejects with a JSON body on errors (missing company header, 404)', async () => {
    const client = sdk.client(sdk.oauth(f.token), {}, { apiHostname: base });
    await expect(client.get({ base: '/projects/{project_id}/rfis', params: { project_id: f.projectId } })).rejects.toMatchObject({
      body: { message: 'Missing Procore-Company-Id header!' },
    });
    await expect(
      client.get({ base: '/projects/{project_id}/rfis', params: { project_id: f.projectId, id: 1 } }, { companyId: f.companyId }),
    ).rejects.toMatchObject({ body: { code: 404 } });
  });
});
