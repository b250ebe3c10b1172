/**
 * The admin API on the sandbox port, under `/__admin/`: sandboxes (list, create, reset), tokens
 * without a browser, per-sandbox clocks, fault rules and the request journal. Every route needs
 * `Authorization: Bearer <admin key>`; anything else is a 401 JSON. Its own OpenAPI document is
 * `/__admin/openapi.json` (the main `/openapi.json` stays Procore's API only). See
 * docs/automation.md.
 */
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorizationHeader } from '../http/authorization.js';
import { faultRuleProblems } from './faults.js';
import { adminKeyMatches } from './key.js';
import {
  AdminError,
  ClockBody,
  ClockView,
  CompanyParams,
  CreateSandboxBody,
  FaultBody,
  FaultList,
  FaultParams,
  FaultRule,
  JournalList,
  JournalQuery,
  SandboxView,
  TokenBody,
  TokenResponse,
} from './schemas.js';
import {
  AutomationError,
  changeClock,
  clockView,
  createSandbox,
  describeSandbox,
  listSandboxes,
  mintToken,
  resetSandbox,
  sandboxOfCompany,
} from './sandboxes.js';
import { automationOf } from './state.js';

const errors = { '4xx': AdminError };

function unauthorized(reply: FastifyReply, message: string): FastifyReply {
  return reply
    .code(401)
    .header('WWW-Authenticate', 'Bearer realm="procore-sandbox admin"')
    .header('Cache-Control', 'no-store')
    .send({ code: 401, message, errors: [message] });
}

export default async function adminRoutes(scope: FastifyInstance): Promise<void> {
  const ctx = scope.ctx;
  const state = automationOf(ctx);
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'procore-sandbox admin API',
        description:
          'Test automation for procore-sandbox: reset sandboxes, mint tokens, move a sandbox clock, inject faults, read the request journal. Authorization: Bearer <admin key> (printed in the start banner as "Admin key:").',
        version: '1.0',
      },
      components: { securitySchemes: { adminKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ adminKey: [] }],
    },
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('Cache-Control', 'no-store');
    const header = authorizationHeader(request);
    if (header === undefined) return unauthorized(reply, 'missing admin key: send Authorization: Bearer <admin key>');
    const m = typeof header === 'string' ? /^Bearer (\S+)$/i.exec(header) : null;
    if (!adminKeyMatches(state.adminKey, m?.[1] ?? null)) return unauthorized(reply, 'wrong admin key');
    return undefined;
  });

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof AutomationError) {
      return reply.code(error.statusCode).send({ code: error.statusCode, message: error.message, errors: [error.message] });
    }
    throw error;
  });

  // A route of its own (not a 404 handler): the web app's static wildcard would answer first.
  app.all('/*', { schema: { hide: true } }, async (request, reply) => {
    const message = `no admin route ${request.method} ${request.url.split('?')[0]}`;
    return reply.code(404).send({ code: 404, message, errors: [message] });
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get(
    '/sandboxes',
    {
      schema: {
        summary: 'List the sandboxes',
        tags: ['Sandboxes'],
        response: { 200: Type.Object({ sandboxes: Type.Array(SandboxView) }), ...errors },
      },
    },
    async () => ({ sandboxes: await listSandboxes(ctx) }),
  );

  app.post(
    '/sandboxes',
    {
      schema: {
        summary: 'Create an app with its sandbox',
        tags: ['Sandboxes'],
        body: CreateSandboxBody,
        response: { 201: SandboxView, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createSandbox(ctx, request.body.name)),
  );

  app.post(
    '/sandboxes/:company_id/reset',
    {
      schema: {
        summary: 'Reset a sandbox to its seed (same ids) and its clock to server time',
        tags: ['Sandboxes'],
        params: CompanyParams,
        response: { 200: SandboxView, ...errors },
      },
    },
    async (request) => resetSandbox(ctx, await sandboxOfCompany(ctx, request.params.company_id)),
  );

  app.get(
    '/sandboxes/:company_id',
    { schema: { summary: 'One sandbox', tags: ['Sandboxes'], params: CompanyParams, response: { 200: SandboxView, ...errors } } },
    async (request) => describeSandbox(ctx, await sandboxOfCompany(ctx, request.params.company_id)),
  );

  app.post(
    '/sandboxes/:company_id/tokens',
    {
      schema: {
        summary: 'Mint an access token for a user ({email}) or the service account ({client_credentials: true})',
        tags: ['Tokens'],
        params: CompanyParams,
        body: TokenBody,
        response: { 201: TokenResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { email, client_credentials: cc, environment } = request.body;
      if ((email === undefined) === (cc !== true)) throw new AutomationError(422, 'send either email or client_credentials: true');
      const sandbox = await sandboxOfCompany(ctx, request.params.company_id);
      return reply.code(201).send(await mintToken(ctx, { appId: sandbox.app_id, environment, email }));
    },
  );

  const clockSchema = { tags: ['Clock'], params: CompanyParams, response: { 200: ClockView, ...errors } };
  app.get('/sandboxes/:company_id/clock', { schema: { summary: "A sandbox's clock", ...clockSchema } }, async (request) => {
    const sandbox = await sandboxOfCompany(ctx, request.params.company_id);
    return clockView(ctx, sandbox.id);
  });
  app.post(
    '/sandboxes/:company_id/clock',
    { schema: { summary: "Move a sandbox's clock: {advance: seconds}, {set: iso}, {freeze: bool}", body: ClockBody, ...clockSchema } },
    async (request) => {
      const sandbox = await sandboxOfCompany(ctx, request.params.company_id);
      return changeClock(ctx, sandbox.id, request.body);
    },
  );

  app.get('/faults', { schema: { summary: 'The fault rules', tags: ['Faults'], response: { 200: FaultList, ...errors } } }, async () => ({
    faults: state.faults.list(),
  }));
  app.post(
    '/faults',
    { schema: { summary: 'Add a fault rule', tags: ['Faults'], body: FaultBody, response: { 201: FaultRule, ...errors } } },
    async (request, reply) => {
      const problems = faultRuleProblems(request.body);
      if (problems.length) throw new AutomationError(422, problems.join('; '));
      return reply.code(201).send(state.faults.add(request.body));
    },
  );
  app.delete(
    '/faults',
    {
      schema: {
        summary: 'Remove every fault rule',
        tags: ['Faults'],
        response: { 200: Type.Object({ deleted: Type.Integer() }), ...errors },
      },
    },
    async () => ({ deleted: state.faults.clear() }),
  );
  app.delete(
    '/faults/:id',
    { schema: { summary: 'Remove one fault rule', tags: ['Faults'], params: FaultParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      if (!state.faults.remove(request.params.id)) throw new AutomationError(404, `no fault rule ${request.params.id}`);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/journal',
    {
      schema: {
        summary: 'The last requests, newest first, with what answered them and why they were refused',
        tags: ['Journal'],
        querystring: JournalQuery,
        response: { 200: JournalList, ...errors },
      },
    },
    async (request) => {
      await state.journal.settled();
      return { requests: state.journal.query(request.query) };
    },
  );
  app.delete(
    '/journal',
    { schema: { summary: 'Empty the journal', tags: ['Journal'], response: { 204: Type.Null(), ...errors } } },
    async (_request, reply) => {
      state.journal.clear();
      return reply.code(204).send(null);
    },
  );
}
