/**
 * `procore-sandbox` command line. Every flag has an environment variable; `--help` lists them.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { getPostmanLinks } from '../postman/links.js';
import { revealCredentials, revealUserPassword } from '../services/apps.js';
import { findSandboxByApp } from '../db/repos/sandboxes.js';
import { PACKAGE_VERSION } from '../context/paths.js';
import { DEFAULT_DB_FILE, startServer, type RunningServer } from '../server/runtime.js';
import { defaultSettings } from '../context/settings.js';
import { AllowListError, parseAllowList } from '../explorer/proxy/allow-list.js';
import { renderBanner } from './banner.js';
import { addAutomationCommands } from './commands.js';

const pkg = { version: PACKAGE_VERSION };

function int(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}

export interface StartFlags {
  port: number;
  productionPort?: number;
  host: string;
  db: string;
  keyFile?: string;
  logLevel: string;
  tokenLifetime: number;
  rateLimitHourly: number;
  rateLimitSpike: number;
  rateLimit: boolean;
  loginAttempts: number;
  loginAttemptsPerIp: number;
  adminKey?: string;
  prefer: boolean;
  journalSize: number;
  uploadLimit: number;
  proxyAllow?: string[];
}

async function printBanner(server: RunningServer): Promise<void> {
  const { ctx, setup } = server;
  let app;
  const extra: string[] = [];
  if (setup?.app) {
    const links = await getPostmanLinks(ctx, setup.app.id, server.sandboxUrl);
    extra.push(
      '',
      'Postman (Import → Link, or `newman run <collection> -e <environment>`)',
      `  ${'Collection:'.padEnd(20)}${links.collectionUrl}`,
      `  ${'Environment:'.padEnd(20)}${links.environmentUrl}`,
    );
    const sandbox = await findSandboxByApp(ctx.db, setup.app.id);
    const creds = await revealCredentials(ctx, setup.app.id, 'sandbox');
    const prod = await revealCredentials(ctx, setup.app.id, 'production');
    if (sandbox && creds && prod) {
      const users = await ctx.db
        .selectFrom('users')
        .select(['email', 'first_name', 'last_name'])
        .where('company_id', '=', sandbox.company_id)
        .where('is_service_account', '=', 0)
        .orderBy('id')
        .execute();
      app = {
        name: setup.app.name,
        clientId: creds.clientId,
        clientSecret: creds.clientSecret,
        productionClientId: prod.clientId,
        companyId: sandbox.company_id,
        projectId: sandbox.project_id,
        userPassword: revealUserPassword(ctx, sandbox),
        users,
      };
    }
  }
  process.stdout.write(
    renderBanner({
      version: pkg.version,
      sandboxUrl: server.sandboxUrl,
      productionUrl: server.productionUrl,
      database: server.databaseDescription,
      developerEmail: setup?.developer.email ?? '',
      developerPassword: setup?.developerPassword ?? null,
      app,
      adminKey: server.adminKey,
      extra,
    }),
  );
}

export function settingsFromFlags(flags: StartFlags) {
  return defaultSettings({
    tokenLifetimeSeconds: flags.tokenLifetime,
    rateLimit: { hourly: flags.rateLimitHourly, spike: flags.rateLimitSpike, enabled: flags.rateLimit },
    ...(flags.proxyAllow ? { proxyAllowList: flags.proxyAllow } : {}),
    loginAttemptsPerHour: flags.loginAttempts,
    loginAttemptsPerIpPerHour: flags.loginAttemptsPerIp,
    prefer: flags.prefer,
    journalSize: flags.journalSize,
    uploadLimit: flags.uploadLimit * 1024 * 1024,
  });
}

export async function runStart(flags: StartFlags): Promise<RunningServer> {
  const settings = settingsFromFlags(flags);
  const server = await startServer({
    db: flags.db,
    keyFile: flags.keyFile,
    host: flags.host,
    port: flags.port,
    productionPort: flags.productionPort ?? flags.port + 1,
    settings,
    adminKey: flags.adminKey,
    logger: flags.logLevel === 'silent' ? false : { level: flags.logLevel },
  });
  await printBanner(server);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    process.stderr.write(`\n${signal}: finishing in-flight requests and closing the database…\n`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  return server;
}

export function buildCli(): Command {
  const program = new Command('procore-sandbox')
    .description(
      'Offline emulator of the Procore Developer Sandbox (unofficial): developer portal, OAuth 2.0 login service, REST API, Postman collection.',
    )
    .version(pkg.version);

  program
    .command('start', { isDefault: true })
    .description('Start the sandbox and production environments (migrates and seeds on first start).')
    .addOption(
      new Option('-p, --port <port>', 'sandbox environment port (API, login, portal)')
        .env('PORT')
        .default(4000)
        .argParser(int('--port', 0, 65535)),
    )
    .addOption(
      new Option('--production-port <port>', 'production environment port (default: port + 1)')
        .env('PRODUCTION_PORT')
        .argParser(int('--production-port', 0, 65535)),
    )
    .addOption(new Option('--host <host>', 'interface to listen on').env('HOST').default('127.0.0.1'))
    .addOption(
      new Option('--db <url>', 'database: a SQLite file path, :memory:, or postgres://…').env('DATABASE_URL').default(DEFAULT_DB_FILE),
    )
    .addOption(
      new Option(
        '--key-file <path>',
        'server key file that encrypts client secrets (default: server.key beside the SQLite file, or .procore-sandbox/server.key; PROCORE_SANDBOX_KEY overrides)',
      ).env('PROCORE_SANDBOX_KEY_FILE'),
    )
    .addOption(
      new Option('--log-level <level>', 'log level')
        .env('LOG_LEVEL')
        .choices(['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'])
        .default('warn'),
    )
    .addOption(
      new Option('--token-lifetime <seconds>', 'access token lifetime')
        .env('TOKEN_LIFETIME')
        .default(5400)
        .argParser(int('--token-lifetime', 1, 31_536_000)),
    )
    .addOption(
      new Option('--rate-limit-hourly <n>', 'requests per app+user per hour')
        .env('RATE_LIMIT_HOURLY')
        .default(3600)
        .argParser(int('--rate-limit-hourly', 1, 1e9)),
    )
    .addOption(
      new Option('--rate-limit-spike <n>', 'requests per app+user per 10 seconds')
        .env('RATE_LIMIT_SPIKE')
        .default(25)
        .argParser(int('--rate-limit-spike', 1, 1e9)),
    )
    .addOption(
      new Option(
        '--login-attempts <n>',
        'failed sign-ins per hour per user or account, and failed client authentications per client and IP',
      )
        .env('LOGIN_ATTEMPTS')
        .default(100)
        .argParser(int('--login-attempts', 1, 1e9)),
    )
    .addOption(
      new Option('--login-attempts-per-ip <n>', 'failed sign-ins and client authentications per hour per IP address (loopback: 10×)')
        .env('LOGIN_ATTEMPTS_PER_IP')
        .default(500)
        .argParser(int('--login-attempts-per-ip', 1, 1e9)),
    )
    .addOption(
      new Option(
        '--proxy-allow <hosts>',
        'hosts the API explorer may send requests to besides this server, comma-separated: procore.com (and subdomains), *.example.com, host:port; "" for none',
      )
        .env('PROCORE_SANDBOX_PROXY_ALLOW')
        .argParser((value: string) => {
          try {
            return parseAllowList(value).map((p) => p.source);
          } catch (err) {
            throw new InvalidArgumentError(err instanceof AllowListError ? err.message : String(err));
          }
        }),
    )
    .addOption(new Option('--no-rate-limit', 'turn rate limiting off, e.g. for load tests (env: RATE_LIMIT=off)'))
    .addOption(
      new Option('--admin-key <key>', 'admin API key (default: generated on first start, stored sealed in the database)').env(
        'PROCORE_SANDBOX_ADMIN_KEY',
      ),
    )
    .addOption(new Option('--no-prefer', 'ignore Prefer: status=… / delay=… request headers on the API (env: PREFER=off)'))
    .addOption(
      new Option('--journal-size <n>', 'requests the admin journal keeps (0: off)')
        .env('JOURNAL_SIZE')
        .default(1000)
        .argParser(int('--journal-size', 0, 1_000_000)),
    )
    .addOption(
      new Option('--upload-limit <MiB>', 'largest file (or segment) of one direct upload, in MiB')
        .env('UPLOAD_LIMIT_MB')
        .default(100)
        .argParser(int('--upload-limit', 1, 10_240)),
    )
    // Commander hands a command it does not know (and its options) to the default command:
    // name it here instead of "too many arguments for 'start'".
    .allowExcessArguments(true)
    .allowUnknownOption(true)
    .action(async (flags: StartFlags, command: Command) => {
      const word = command.args.find((a) => !a.startsWith('-'));
      if (word !== undefined) {
        const known = program.commands.map((c) => c.name()).join(', ');
        throw new Error(`unknown command '${word}'. Commands: ${known} (procore-sandbox --help)`);
      }
      if (command.args.length > 0) throw new Error(`unknown option '${command.args[0]}' (procore-sandbox start --help)`);
      if (process.env['RATE_LIMIT'] === 'off') flags.rateLimit = false;
      if (process.env['PREFER'] === 'off') flags.prefer = false;
      await runStart(flags);
    });

  addAutomationCommands(program);
  return program;
}
