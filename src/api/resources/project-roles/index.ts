/**
 * Project roles (`/project_roles?project_id=`, v1.0 and vapid): who fills which role on the
 * project (Architect, Owner, Project Manager, Superintendent…), one row per role and member.
 * `name` and `contact_id` are the member's (users double as directory contacts here); a role
 * with nobody in it has `user_id: null`. A role is given to a user of the project; the same role
 * twice to one user is a 409. Removing a user from the project takes their roles with it.
 */
import { Type } from '@sinclair/typebox';
import { defineResource, records } from '../../compile.js';
import { ApiError } from '../../errors.js';
import { f, type AnyRow } from '../../fields.js';
import { fullName } from '../../refs.js';
import { NInt, NStr } from '../../schemas.js';

/** The `records` resource name of project roles. */
export const PROJECT_ROLES = 'project_roles';

export const projectRoles = defineResource({
  name: PROJECT_ROLES,
  tag: 'Project Roles',
  noun: ['Project Role', 'Project Roles'],
  titles: { list: 'ProjectRole', show: 'ProjectRole' },
  path: '/project_roles',
  scope: 'project',
  storage: records(),
  body: 'project_role',
  versions: ['v1.0', 'vapid'],
  operations: { list: {}, create: { versions: ['v1.0'] }, delete: { versions: ['v1.0'] } },
  query: { 'filters[add_to_project_team]': Type.String({ description: 'Accepted; not modelled' }) },
  sort: { keys: { role: 'role' } },
  fields: {
    id: f.id({ filter: 'ids' }),
    name: f.computed(NStr('Project role member name'), (r, x) => {
      const u = x.extra.get(r['user_id']);
      return u ? fullName(u) : null;
    }),
    role: f.text({ write: 'required', max: 255, sort: true }),
    user_id: f.ref({ write: 'required', filter: 'ids' }),
    contact_id: f.computed(NInt('Project role member contact id'), (r) => r['user_id'] ?? null),
    is_active: f.computed(Type.Boolean(), (r, x) => r['user_id'] == null || x.extra.get(r['user_id'])?.is_active === 1),
    created_at: f.createdAt({ filter: 'datetime', sort: true }),
  },
  refs: { users: ['user_id'] },
  hooks: {
    async prepare(_c, rows, _view, refs) {
      await refs.loadUsers(rows.map((r: AnyRow) => r['user_id']));
      return refs.users;
    },
    async validate(w) {
      const userId = w.body.user_id;
      if (userId == null) return w.errors.add('user_id', "can't be blank");
      const member = await w.c
        .fromIn(w.trx, 'project_users')
        .select('user_id')
        .where('project_id', '=', w.c.requireProject().id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (!member) return w.errors.add('user_id', 'is not a member of this project');
      const same = (
        (await w.c
          .fromIn(w.trx, 'records')
          .select('data')
          .where('resource', '=', PROJECT_ROLES)
          .where('project_id', '=', w.c.requireProject().id)
          .where('deleted_at', 'is', null)
          .execute()) as {
          data: string;
        }[]
      ).some((r) => {
        const d = JSON.parse(r.data) as Record<string, unknown>;
        return d['user_id'] === userId && String(d['role']).toLowerCase() === String(w.body.role).toLowerCase();
      });
      if (same) {
        const message = `User ${userId} already has the role ${String(w.body.role)}`;
        throw new ApiError(409, { code: 409, message, errors: { base: [message] } });
      }
    },
  },
  seed: (s) => [
    { role: 'Architect', user_id: s.users.arch },
    { role: 'Owner', user_id: null },
    { role: 'Project Manager', user_id: s.users.demo },
    { role: 'Superintendent', user_id: s.users.demo },
    { role: 'Foreman', user_id: s.users.sub },
  ],
});
