/** `GET /me` and `GET /companies`: the token's user and company (no company header needed). */
import { Type } from '@sinclair/typebox';
import { ApiError } from '../errors.js';
import { queryId } from '../http/query.js';
import { fullName } from '../refs.js';
import { defineResource } from '../resource.js';
import { Id, NStr, Obj } from '../schemas.js';

export const Me = Obj({ id: Id, login: Type.String(), name: Type.String() }, { title: 'Me' });

export const Company = Obj(
  {
    id: Id,
    name: Type.String(),
    is_active: Type.Boolean(),
    logo_url: NStr(),
    pcn_business_experience: Type.Boolean(),
    my_company: Type.Boolean(),
  },
  { title: 'Company' },
);

export const me = defineResource({
  name: 'me',
  tag: 'Me',
  operations: [
    {
      method: 'GET',
      path: '/me',
      operationId: 'showMe',
      summary: 'Show the user of the access token',
      companyHeader: 'exempt',
      query: { company_id: Type.String(), project_id: Type.String() },
      async handler(c) {
        const companyId = queryId(c.query, 'company_id');
        const projectId = queryId(c.query, 'project_id');
        if (companyId !== undefined && companyId !== c.auth.companyId) throw ApiError.notFound();
        if (projectId !== undefined) await c.loadProject(projectId);
        const user = await c.db
          .selectFrom('users')
          .selectAll()
          .where('id', '=', c.auth.userId)
          .where('sandbox_id', '=', c.auth.sandboxId)
          .executeTakeFirst();
        if (!user) throw ApiError.notFound();
        return { id: user.id, login: user.email, name: fullName(user) };
      },
      response: Me,
    },
  ],
});

export const companies = defineResource({
  name: 'companies',
  tag: 'Companies',
  operations: [
    {
      method: 'GET',
      path: '/companies',
      operationId: 'listCompanies',
      summary: 'List companies the user belongs to',
      companyHeader: 'exempt',
      query: { include_free_companies: Type.String() },
      list: {},
      response: Type.Array(Company),
      handler: (c) =>
        c.list(
          c.db.selectFrom('companies').where('sandbox_id', '=', c.auth.sandboxId).where('id', '=', c.auth.companyId),
          (qb) => qb.selectAll().orderBy('id'),
          (rows: { id: number; name: string; is_active: number; logo_url: string | null }[]) =>
            rows.map((r) => ({
              id: r.id,
              name: r.name,
              is_active: r.is_active === 1,
              logo_url: r.logo_url,
              pcn_business_experience: false,
              my_company: true,
            })),
        ),
    },
  ],
});
