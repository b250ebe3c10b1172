/**
 * `startSandbox()`: the server of `procore-sandbox start` in this process, with the automation
 * use cases (`admin/sandboxes.ts`, faults, journal) as methods. Each call is a server of its
 * own (database, clock, faults, journal), so several in one process do not interfere.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { faultRuleProblems } from '../admin/faults.js';
import { changeClock, clockView, describeSandbox, mintToken, resetSandbox, sandboxOfCompany } from '../admin/sandboxes.js';
import { FaultBody } from '../admin/schemas.js';
import { automationOf } from '../admin/state.js';
import { startServer } from '../server/runtime.js';
import { defaultSettings } from '../context/settings.js';
import type { FaultRuleInput, Sandbox, StartSandboxOptions } from './public.js';

const checkFault = TypeCompiler.Compile(FaultBody);

export async function startSandbox(options: StartSandboxOptions = {}): Promise<Sandbox> {
  const port = options.port ?? 0;
  const defaults = defaultSettings();
  const settings = defaultSettings({
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? defaults.tokenLifetimeSeconds,
    rateLimit: { ...defaults.rateLimit, ...options.rateLimit },
    prefer: options.prefer ?? true,
    journalSize: options.journalSize ?? defaults.journalSize,
    uploadLimit: options.uploadLimit ?? defaults.uploadLimit,
  });
  const level = options.logLevel ?? 'silent';
  const server = await startServer({
    db: options.db ?? ':memory:',
    keyFile: options.keyFile,
    host: options.host ?? '127.0.0.1',
    port,
    productionPort: options.productionPort ?? (port === 0 ? 0 : port + 1),
    settings,
    adminKey: options.adminKey ?? process.env['PROCORE_SANDBOX_ADMIN_KEY'],
    logger: level === 'silent' ? false : { level },
  });
  try {
    const { ctx } = server;
    const appRow = server.setup?.app;
    if (!appRow) throw new Error('procore-sandbox: the database has no default app');
    const first = await ctx.db.selectFrom('sandboxes').selectAll().where('app_id', '=', appRow.id).executeTakeFirstOrThrow();
    const view = await describeSandbox(ctx, await sandboxOfCompany(ctx, Number(first.company_id)));
    const sandboxId = first.id;
    const state = automationOf(ctx);
    const tokenResponse = (email?: string) => mintToken(ctx, { appId: appRow.id, email });

    return {
      baseUrl: server.sandboxUrl,
      apiUrl: `${server.sandboxUrl}/rest/v1.0`,
      loginUrl: server.sandboxUrl,
      productionUrl: server.productionUrl,
      adminUrl: `${server.sandboxUrl}/__admin`,
      adminKey: server.adminKey,
      app: { name: view.app.name, clientId: view.app.client_id, clientSecret: view.app.client_secret },
      companyId: view.company_id,
      projectId: view.project_id,
      // The app's developer is a member too, but signs in with the developer password.
      users: view.users
        .filter((u) => u.email !== server.setup?.developer.email)
        .map((u) => ({ email: u.email, name: u.name, password: view.user_password })),
      async token(email?: string) {
        return (await tokenResponse(email)).access_token;
      },
      tokenResponse,
      async reset() {
        await resetSandbox(ctx, await sandboxOfCompany(ctx, view.company_id));
      },
      clock: {
        now: () => clockView(ctx, sandboxId).now,
        set: (time) => changeClock(ctx, sandboxId, { set: time instanceof Date ? time.toISOString() : time }).now,
        advance: (seconds) => changeClock(ctx, sandboxId, { advance: seconds }).now,
        freeze: () => changeClock(ctx, sandboxId, { freeze: true }).now,
        unfreeze: () => changeClock(ctx, sandboxId, { freeze: false }).now,
      },
      faults: {
        add(rule: FaultRuleInput) {
          if (!checkFault.Check(rule)) {
            const e = checkFault.Errors(rule).First();
            throw new TypeError(`fault rule: ${e ? `${e.path || '/'} ${e.message}` : 'invalid'}`);
          }
          const problems = faultRuleProblems(rule);
          if (problems.length) throw new TypeError(`fault rule: ${problems.join('; ')}`);
          return state.faults.add(rule);
        },
        list: () => state.faults.list(),
        remove: (id: string) => state.faults.remove(id),
        clear: () => void state.faults.clear(),
      },
      async journal(query) {
        await state.journal.settled();
        return state.journal.query(query);
      },
      stop: () => server.close(),
    };
  } catch (err) {
    await server.close();
    throw err;
  }
}
