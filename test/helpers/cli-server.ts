/**
 * The real server as a user starts it: `node bin/procore-sandbox.mjs start --port 0 …` in its
 * own OS process, for the crash and soak suites. Reads the start banner for the sandbox URL and
 * (on a first start) the default app's credentials, company and project.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliServer {
  pid: number;
  child: ChildProcess;
  sandboxUrl: string;
  banner: string;
  /** From the banner (present when the default app is shown). */
  clientId?: string;
  clientSecret?: string;
  companyId?: number;
  projectId?: number;
  stderr(): string;
  /** Resolves with the exit code or signal once the process has exited. */
  exited: Promise<string>;
  kill(signal: NodeJS.Signals): Promise<string>;
}

export async function startCliServer(options: {
  db: string;
  keyFile: string;
  args?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Node options before the script (e.g. `--trace-gc`, which NODE_OPTIONS does not take). */
  nodeArgs?: string[];
  /** Every chunk the server writes to stdout, the banner and after it. */
  onStdout?: (chunk: string) => void;
}): Promise<CliServer> {
  const args = [
    ...(options.nodeArgs ?? []),
    'bin/procore-sandbox.mjs',
    'start',
    '--db',
    options.db,
    '--key-file',
    options.keyFile,
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--log-level',
    'warn',
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let ready = false;
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => (stderr += c));
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  const banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server not ready after ${options.timeoutMs ?? 90_000} ms: ${stderr}`)),
      options.timeoutMs ?? 90_000,
    );
    child.stdout!.on('data', (c: string) => {
      options.onStdout?.(c);
      if (ready) return;
      stdout += c;
      // The banner is written in one piece; the Postman lines close the app section.
      if (/API:\s+http:\/\/\S+\/rest\/v1\.0/.test(stdout) && (/Environment:/.test(stdout) || !/Sandbox OAuth Credentials/.test(stdout))) {
        setTimeout(() => {
          clearTimeout(timer);
          ready = true;
          resolve(stdout);
        }, 50);
      }
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${how}) before it was ready: ${stderr}`));
    });
  });
  const field = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(banner)?.[1];
  const sandboxUrl = /API:\s+(http:\/\/\S+)\/rest\/v1\.0/.exec(banner)![1]!;
  const companyId = field('Company ID');
  const projectId = field('Project ID');
  return {
    pid: child.pid!,
    child,
    sandboxUrl,
    banner,
    ...(field('Client ID') ? { clientId: field('Client ID')! } : {}),
    ...(field('Client Secret') ? { clientSecret: field('Client Secret')! } : {}),
    ...(companyId ? { companyId: Number(companyId) } : {}),
    ...(projectId ? { projectId: Number(projectId) } : {}),
    stderr: () => stderr,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
