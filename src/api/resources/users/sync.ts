/**
 * Procore's `sync` over a declared directory resource (company users, vendors): up to 1,000
 * `updates`, each matched by `id` (an unknown id is an error of that item) or else by
 * `origin_id`, then updated — or created when nothing matches. Every item goes through the
 * declaration's own update or create operation, so the same body checks, reference checks,
 * hooks and Rails-style messages apply. Answers 200 `{entities, errors}`; a rejected item comes
 * back in `errors` with its fields and `errors: {field: [message]}`, and changes nothing.
 */
import { Type } from '@sinclair/typebox';
import { ApiError } from '../../errors.js';
import type { AnyRow } from '../../fields.js';
import type { ApiContext, ApiVersion, Operation, Resource } from '../../resource.js';
import { AnyObject } from '../../schemas.js';
import { lazyValidator } from '../../validate.js';

/** Most items one sync request may carry, as Procore documents. */
const MAX_ITEMS = 1000;

export interface SyncOptions {
  /** `PATCH` (today's API); the 2017 vapid vendors sync is a `POST`. */
  method?: 'PATCH' | 'POST';
  path: string;
  operationId: string;
  summary: string;
  versions: readonly ApiVersion[];
  /** Runs before anything else (the company check). */
  guard(c: ApiContext): void;
}

export function syncOperation(resource: Resource, o: SyncOptions): Operation {
  const create = resource.operations.find((op) => op.method === 'POST' && op.body);
  const update = resource.operations.find((op) => op.method === 'PATCH' && op.body && op.path.endsWith('/{id}'));
  const helpers = resource.helpers;
  if (!create?.body || !update?.body || !helpers) throw new Error(`${resource.name}: sync needs a create and an update`);
  const checks = { create: lazyValidator(create.body.schema), update: lazyValidator(update.body.schema) };
  return {
    method: o.method ?? 'PATCH',
    ...(o.method === 'POST' ? { status: 200 as const } : {}),
    path: o.path,
    operationId: o.operationId,
    summary: o.summary,
    description: 'Creates or updates up to 1,000 items (`updates`), matched by `id` or `origin_id`.',
    versions: o.versions,
    response: Type.Object({ entities: Type.Array(AnyObject()), errors: Type.Array(AnyObject()) }),
    async handler(c) {
      o.guard(c);
      const body = c.request.body as Record<string, unknown> | null | undefined;
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw ApiError.missingParam('updates');
      const updates = body['updates'];
      if (updates === undefined || updates === null) throw ApiError.missingParam('updates');
      if (!Array.isArray(updates)) throw ApiError.unprocessable({ updates: ['must be an array'] });
      if (updates.length > MAX_ITEMS) throw ApiError.unprocessable({ updates: [`is too long (maximum is ${MAX_ITEMS} items)`] });
      const entities: unknown[] = [];
      const errors: unknown[] = [];
      for (const raw of updates as unknown[]) {
        if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
          errors.push({ errors: { base: ['must be an object'] } });
          continue;
        }
        const { id: sentId, ...fields } = raw as Record<string, unknown>;
        let id: number | null = null;
        if (sentId !== undefined && sentId !== null) {
          if (typeof sentId !== 'number' || !Number.isSafeInteger(sentId) || sentId < 1) {
            errors.push({ ...raw, errors: { id: ['is invalid'] } });
            continue;
          }
          id = sentId;
        } else if (typeof fields['origin_id'] === 'string' && fields['origin_id'] !== '') {
          const match = (await helpers.select(helpers.rows(c).where('origin_id', '=', fields['origin_id'])).executeTakeFirst()) as
            AnyRow | undefined;
          id = match ? Number(match['id']) : null;
        }
        const op = id === null ? create : update;
        const invalid = (id === null ? checks.create : checks.update)(fields);
        if (!invalid.empty) {
          errors.push({ ...raw, errors: invalid.errors });
          continue;
        }
        try {
          entities.push(await op.handler({ ...c, body: fields, params: id === null ? c.params : { ...c.params, id } }));
        } catch (err) {
          if (!(err instanceof ApiError) || (err.statusCode !== 422 && err.statusCode !== 404)) throw err;
          const itemErrors = err.statusCode === 404 ? { id: ["can't be found"] } : (err.body['errors'] ?? { base: [err.body.message] });
          errors.push({ ...raw, errors: itemErrors });
        }
      }
      return { entities, errors };
    },
  };
}
