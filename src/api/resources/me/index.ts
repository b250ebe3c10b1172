/** `GET /me` and `GET /companies`: the token's user and company (no company header for user tokens). */
import { Type } from '@sinclair/typebox';
import { defineResource, table } from '../../compile.js';
import { ApiError } from '../../errors.js';
import { f, unmodelled } from '../../fields.js';
import { queryId } from '../../http/query.js';
import { fullName } from '../../refs.js';

export const me = defineResource({
  name: 'me',
  tag: 'Me',
  noun: ['Me', 'Me'],
  path: '/users',
  scope: 'sandbox',
  storage: table('users', { project: false }),
  operations: {},
  fields: {
    id: f.id(),
    login: f.text({ column: 'email', required: true }),
    name: f.computed(Type.String(), (r) => fullName(r as never)),
  },
  extra: ({ find, serialize, schemas }) => [
    {
      method: 'GET',
      path: '/me',
      operationId: 'showMe',
      summary: 'Show the user of the access token',
      companyHeader: 'exempt',
      query: { company_id: Type.String(), project_id: Type.String() },
      response: { ...schemas.show, title: 'Me' },
      async handler(c) {
        const companyId = queryId(c.query, 'company_id');
        const projectId = queryId(c.query, 'project_id');
        if (companyId !== undefined && companyId !== c.auth.companyId) throw ApiError.notFound();
        if (projectId !== undefined) await c.loadProject(projectId);
        return (await serialize(c, [await find(c, c.auth.userId)], 'show'))[0];
      },
    },
  ],
});

export const companies = defineResource({
  name: 'companies',
  tag: 'Companies',
  noun: ['Company', 'Companies'],
  titles: { list: 'Company' },
  path: '/companies',
  scope: 'sandbox',
  storage: table('companies', { project: false }),
  operations: { list: { summary: 'List companies the user belongs to', companyHeader: 'exempt' } },
  query: { include_free_companies: Type.String() },
  fields: {
    id: f.id(),
    name: f.text({ required: true }),
    is_active: f.bool(),
    logo_url: f.text(),
    my_company: f.computed(Type.Boolean(), () => true),
    ...unmodelled({ pcn_business_experience: Type.Boolean() }),
  },
  hooks: { narrow: (c, qb) => qb.where('id', '=', c.auth.companyId) },
});
