/**
 * `procore-sandbox run`: the sandbox's Postman collection through Newman's library, with a
 * minted token, against a given server or one started in-process on the same database. A line
 * per request; exit code 1 when any request or test fails.
 */
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { mintToken } from '../admin/sandboxes.js';
import type { Environment } from '../db/schema.js';
import { buildAppCollection, buildAppEnvironment } from '../postman/links.js';
import { startServer, type RunningServer } from '../server/runtime.js';
import { openCommandContext, resolveApp, type CommandContext, type DbFlags } from './context.js';
import { CliError, paint, printJson } from './output.js';

interface NewmanRequestArgs {
  item: { name: string };
  request: { method: string; url: { toString(): string } };
  response?: { code: number; responseTime: number };
  cursor: { ref: string };
}

interface NewmanAssertionArgs {
  assertion: string;
  item: { name: string };
  cursor: { ref: string };
}

interface NewmanSummary {
  run: { failures: { error: { message: string }; source?: { name?: string } }[]; error?: Error };
}

interface NewmanLike {
  run(options: Record<string, unknown>, callback: (err: Error | null, summary: NewmanSummary) => void): EventEmitter;
}

export interface RunFlags extends DbFlags {
  folder?: string;
  url?: string;
  user?: string;
  environment: Environment;
  json?: boolean;
}

interface RequestLine {
  name: string;
  method: string;
  url: string;
  status: number | null;
  ms: number | null;
  errors: string[];
}

export async function runCommand(appRef: string | undefined, flags: RunFlags): Promise<number> {
  let server: RunningServer | undefined;
  let c: CommandContext;
  if (flags.url) {
    c = await openCommandContext(flags);
  } else {
    server = await startServer({ db: flags.db, keyFile: flags.keyFile, host: '127.0.0.1', port: 0, productionPort: 0, logger: false });
    c = { ctx: server.ctx, defaultApp: server.setup?.app, close: async () => undefined };
  }
  try {
    const app = await resolveApp(c, appRef);
    const baseUrl = (flags.url ?? (flags.environment === 'production' ? server!.productionUrl : server!.sandboxUrl)).replace(/\/+$/, '');
    const token = await mintToken(c.ctx, { appId: app.id, email: flags.user, environment: flags.environment });
    const collection = await buildAppCollection(c.ctx, app, baseUrl);
    const environment = await buildAppEnvironment(c.ctx, app, baseUrl);
    if (!collection || !environment) throw new CliError(`app "${app.name}" has no sandbox`);
    if (!flags.json)
      process.stdout.write(`${paint('bold', collection.info.name)} → ${baseUrl}${flags.folder ? ` (folder "${flags.folder}")` : ''}\n`);

    // newman ships no type declarations.
    const newman = createRequire(import.meta.url)('newman') as NewmanLike;
    const lines = new Map<string, RequestLine>();
    const summary = await new Promise<NewmanSummary>((resolve, reject) => {
      const emitter = newman.run(
        {
          collection,
          environment,
          envVar: [{ key: 'access_token', value: token.access_token }],
          folder: flags.folder,
          reporters: [],
          timeoutRequest: 30_000,
        },
        (err, s) => (err ? reject(err) : resolve(s)),
      );
      emitter.on('request', (err: Error | null, args: NewmanRequestArgs) => {
        // A pm.sendRequest of a pre-request script reports too: keep the item's own request.
        const line: RequestLine = {
          name: args.item.name,
          method: args.request.method,
          url: args.request.url.toString(),
          status: args.response?.code ?? null,
          ms: args.response?.responseTime ?? null,
          errors: err ? [err.message] : [],
        };
        lines.set(args.cursor.ref, line);
      });
      emitter.on('assertion', (err: Error | null, args: NewmanAssertionArgs) => {
        if (err) lines.get(args.cursor.ref)?.errors.push(`${args.assertion}: ${err.message}`);
      });
      emitter.on('item', (_err: Error | null, args: { cursor: { ref: string } }) => {
        const line = lines.get(args.cursor.ref);
        if (!line || flags.json) return;
        const ok = line.errors.length === 0;
        const mark = ok ? paint('green', '✓') : paint('red', '✗');
        const status = line.status === null ? paint('red', '---') : paint(line.status < 400 ? 'green' : 'red', String(line.status));
        process.stdout.write(
          `${mark} ${status} ${line.method.padEnd(6)} ${line.url}  ${paint('dim', `${line.name}, ${line.ms ?? '-'} ms`)}\n`,
        );
        for (const e of line.errors) process.stdout.write(`    ${paint('red', e)}\n`);
      });
    });
    if (summary.run.error) throw new CliError(summary.run.error.message);
    const requests = [...lines.values()];
    const failed = requests.filter((l) => l.errors.length > 0).length + (requests.length === 0 ? 1 : 0);
    const failures = Math.max(failed, summary.run.failures.length > 0 ? 1 : 0);
    if (flags.json) printJson({ base_url: baseUrl, requests, failed: requests.filter((l) => l.errors.length > 0).length });
    else {
      const text = `${requests.length} requests, ${requests.filter((l) => l.errors.length > 0).length} failed`;
      process.stdout.write(`${failures ? paint('red', text) : paint('green', text)}\n`);
    }
    if (requests.length === 0) throw new CliError(`no request ran${flags.folder ? ` (is there a folder "${flags.folder}"?)` : ''}`);
    return failures ? 1 : 0;
  } finally {
    await c.close();
    await server?.close();
  }
}
