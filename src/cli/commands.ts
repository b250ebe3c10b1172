/**
 * The commands for scripts: `apps`, `sandbox reset`, `token`, `collection export`,
 * `environment export` and `run`. Each is a thin adapter over the shared use cases
 * (`services/apps.ts`, `admin/sandboxes.ts`, `postman/links.ts`) on the `--db` database.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';

/** A client id may start with '-' (base64url): such an argument goes after `--`, as in `token -- -AbC…`. */
const APP_ARG = "app name or client id (one that starts with '-' goes after --)";
const APP_ARG_DEFAULT = `${APP_ARG}; default: the default app`;
import { createSandbox, mintToken, resetSandbox } from '../admin/sandboxes.js';
import { findSandboxByApp } from '../db/repos/sandboxes.js';
import type { Environment } from '../db/schema.js';
import { buildAppCollection, buildAppEnvironment, deletePostmanLinks } from '../postman/links.js';
import { deleteApp } from '../services/apps.js';
import { DEFAULT_DB_FILE } from '../server/runtime.js';
import { resolveApp, withCommandContext, type CommandContext, type DbFlags } from './context.js';
import { CliError, paint, printJson, printTable } from './output.js';
import { runCommand, type RunFlags } from './run.js';

interface JsonFlags extends DbFlags {
  json?: boolean;
}

/** `--db`, `--key-file` and `--json`, as on `start`. */
function withDbOptions(command: Command, json: boolean | string = true): Command {
  command
    .addOption(
      new Option('--db <url>', 'database: a SQLite file path, :memory:, or postgres://…').env('DATABASE_URL').default(DEFAULT_DB_FILE),
    )
    .addOption(
      new Option('--key-file <path>', 'server key file (as for start; PROCORE_SANDBOX_KEY overrides)').env('PROCORE_SANDBOX_KEY_FILE'),
    );
  if (json) command.option('--json', typeof json === 'string' ? json : 'print JSON for scripts');
  return command;
}

function defaultBaseUrl(): string {
  const host = process.env['HOST'] && process.env['HOST'] !== '0.0.0.0' ? process.env['HOST'] : '127.0.0.1';
  return `http://${host}:${process.env['PORT'] ?? 4000}`;
}

async function sandboxOf(c: CommandContext, appRef: string | undefined) {
  const app = await resolveApp(c, appRef);
  const sandbox = await findSandboxByApp(c.ctx.db, app.id);
  if (!sandbox || sandbox.app_id === null) throw new CliError(`app "${app.name}" has no sandbox`);
  return { app, sandbox: sandbox as typeof sandbox & { app_id: number } };
}

function writeOut(json: unknown, file: string | undefined, what: string): void {
  const text = `${JSON.stringify(json, null, 2)}\n`;
  if (!file || file === '-') {
    process.stdout.write(text);
    return;
  }
  writeFileSync(file, text);
  process.stderr.write(`${what} written to ${file}\n`);
}

export function addAutomationCommands(program: Command): void {
  const apps = program.command('apps').description('List, create and delete apps (each with its own sandbox).');
  withDbOptions(apps.command('list').description('List the apps with their client ids and sandboxes.')).action(async (flags: JsonFlags) => {
    await withCommandContext(flags, async (c) => {
      const rows = await c.ctx.db
        .selectFrom('apps')
        .innerJoin('sandboxes', 'sandboxes.app_id', 'apps.id')
        .innerJoin('app_credentials', (j) =>
          j.onRef('app_credentials.app_id', '=', 'apps.id').on('app_credentials.environment', '=', 'sandbox'),
        )
        .select(['apps.id', 'apps.name', 'app_credentials.client_id', 'sandboxes.company_id', 'sandboxes.project_id', 'apps.created_at'])
        .orderBy('apps.id')
        .execute();
      const list = rows.map((r) => ({
        id: Number(r.id),
        name: r.name,
        client_id: r.client_id,
        company_id: Number(r.company_id),
        project_id: Number(r.project_id),
        created_at: r.created_at,
        default: c.defaultApp?.id === r.id,
      }));
      if (flags.json) return printJson({ apps: list });
      if (list.length === 0) return void process.stdout.write('No apps. Create one with `procore-sandbox apps create <name>`.\n');
      printTable(
        ['ID', 'NAME', 'CLIENT ID', 'COMPANY ID', 'PROJECT ID'],
        list.map((a) => [
          String(a.id),
          a.default ? `${a.name} ${paint('dim', '(default)')}` : a.name,
          a.client_id,
          String(a.company_id),
          String(a.project_id),
        ]),
      );
    });
  });
  withDbOptions(
    apps.command('create').description('Create an app and its sandbox; prints its credentials.').argument('<name>', 'app name'),
  ).action(async (name: string, flags: JsonFlags) => {
    await withCommandContext(flags, async (c) => {
      const view = await createSandbox(c.ctx, name);
      if (flags.json) return printJson(view);
      const pad = (label: string) => `${label}:`.padEnd(16);
      process.stdout.write(
        [
          `${paint('green', 'Created')} app "${view.app.name}"`,
          `  ${pad('Client ID')}${view.app.client_id}`,
          `  ${pad('Client Secret')}${view.app.client_secret}`,
          `  ${pad('Company ID')}${view.company_id}`,
          `  ${pad('Project ID')}${view.project_id}`,
          `  ${pad('Password')}${view.user_password}  (for ${view.users.map((u) => u.email).join(', ')})`,
          '',
        ].join('\n'),
      );
    });
  });
  withDbOptions(
    apps.command('delete').description('Delete an app with its credentials, tokens and sandbox data.').argument('<app>', APP_ARG),
  ).action(async (ref: string, flags: JsonFlags) => {
    await withCommandContext(flags, async (c) => {
      const app = await resolveApp(c, ref);
      await deletePostmanLinks(c.ctx, app.id);
      await deleteApp(c.ctx, app.id);
      if (flags.json) return printJson({ deleted: true, id: Number(app.id), name: app.name });
      process.stdout.write(`${paint('green', 'Deleted')} app "${app.name}"\n`);
    });
  });

  const sandbox = program.command('sandbox').description('Manage sandboxes.');
  withDbOptions(
    sandbox
      .command('reset')
      .description("Reset an app's sandbox to its seed: created rows vanish, seeded ones return with the ids of the first generation.")
      .argument('[app]', APP_ARG_DEFAULT),
  ).action(async (ref: string | undefined, flags: JsonFlags) => {
    await withCommandContext(flags, async (c) => {
      const { app, sandbox: row } = await sandboxOf(c, ref);
      const view = await resetSandbox(c.ctx, row);
      if (flags.json) return printJson(view);
      process.stdout.write(
        `${paint('green', 'Reset')} the sandbox of "${app.name}" (company ${view.company_id}, project ${view.project_id})\n`,
      );
    });
  });

  withDbOptions(
    program
      .command('token')
      .description(
        'Print a working access token, no browser: for a seeded user (--user) or the sandbox service account (--client-credentials, the default).',
      )
      .argument('[app]', APP_ARG_DEFAULT)
      .addOption(new Option('--user <email>', 'a user of the sandbox, e.g. sandbox+demo@example.com').conflicts('clientCredentials'))
      .option('--client-credentials', "the sandbox's service account (grant_type=client_credentials; default)")
      .addOption(
        new Option('--environment <env>', 'which environment the token is for').choices(['sandbox', 'production']).default('sandbox'),
      ),
  ).action(async (ref: string | undefined, flags: JsonFlags & { user?: string; environment: Environment }) => {
    await withCommandContext(flags, async (c) => {
      const app = await resolveApp(c, ref);
      const token = await mintToken(c.ctx, { appId: app.id, email: flags.user, environment: flags.environment });
      if (flags.json) return printJson(token);
      process.stdout.write(`${token.access_token}\n`);
    });
  });

  for (const kind of ['collection', 'environment'] as const) {
    const group = program.command(kind).description(`The Postman ${kind} of an app's sandbox.`);
    withDbOptions(
      group
        .command('export')
        .description(`Write the Postman ${kind} (v2.1 JSON) to stdout or a file.`)
        .argument('[app]', APP_ARG_DEFAULT)
        .option('-o, --output <file>', 'write to this file instead of stdout')
        .option('--base-url <url>', 'server origin the requests go to (default: http://127.0.0.1:$PORT, port 4000)'),
      'accepted for symmetry: the output is JSON already',
    ).action(async (ref: string | undefined, flags: DbFlags & { output?: string; baseUrl?: string }) => {
      await withCommandContext(flags, async (c) => {
        const app = await resolveApp(c, ref);
        const baseUrl = flags.baseUrl ?? defaultBaseUrl();
        if (!/^https?:\/\/[^/]+/.test(baseUrl)) throw new CliError('--base-url must be an http(s) origin such as http://127.0.0.1:4000');
        const json = kind === 'collection' ? await buildAppCollection(c.ctx, app, baseUrl) : await buildAppEnvironment(c.ctx, app, baseUrl);
        if (!json) throw new CliError(`app "${app.name}" has no sandbox`);
        writeOut(json, flags.output, kind === 'collection' ? 'Collection' : 'Environment');
      });
    });
  }

  withDbOptions(
    program
      .command('run')
      .description(
        "Run the sandbox's Postman collection through Newman with a minted token, against --url or a server started in-process on the same database. Exit code 1 when a request fails.",
      )
      .argument('[app]', APP_ARG_DEFAULT)
      .option('--folder <name>', 'only this folder of the collection (e.g. "Legacy API (/vapid)")')
      .option('--url <origin>', 'a running server, e.g. http://127.0.0.1:4000 (default: start one in-process)')
      .option('--user <email>', 'mint the token for this user (default: client credentials)')
      .addOption(
        new Option('--environment <env>', 'which environment to run against').choices(['sandbox', 'production']).default('sandbox'),
      ),
  ).action(async (ref: string | undefined, flags: RunFlags) => {
    process.exitCode = await runCommand(ref, flags);
  });

  // Keep the unknown-command error readable for the groups too.
  for (const group of [apps, sandbox]) group.showHelpAfterError();
}
