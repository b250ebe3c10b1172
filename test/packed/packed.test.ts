/**
 * The published package as a user gets it: `npm pack`, the tarball unpacked into a fresh
 * project's node_modules (its dependencies linked from this checkout's node_modules, so no
 * network is needed), the README's "Use it in your tests" files written there verbatim, then
 * `tsc` (the published types) and Vitest (the published entry point) run in that project.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureServerBuild } from '../../scripts/build-server.mjs';

const ROOT = resolve(import.meta.dirname, '../..');

function exec(file: string, args: string[], cwd: string, timeout = 240_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      file,
      args,
      { cwd, timeout, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', CI: 'true' } },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** The files of the README section "Use it in your tests": `<!-- file: path -->` + a code block. */
export function readmeFiles(readme: string): Map<string, string> {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Use it in your tests'));
  if (!section) throw new Error('README has no "Use it in your tests" section');
  const files = new Map<string, string>();
  for (const m of section.matchAll(/<!-- file: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)) files.set(m[1]!, `${m[2]!}\n`);
  return files;
}

describe('the packed package in a fresh project', () => {
  let dir: string;
  let project: string;
  let tarball: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'procore-packed-'));
    project = join(dir, 'project');
    await ensureServerBuild();
    const types = await exec(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.lib.json'], ROOT);
    expect(types.code, types.stdout + types.stderr).toBe(0);
    const npm = process.env['npm_execpath'];
    const pack = npm?.endsWith('.js')
      ? await exec(process.execPath, [npm, 'pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT)
      : await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
    expect(pack.code, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(dir, info!.filename);
    const paths = info!.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['dist/index.mjs', 'dist/types/public.d.ts', 'dist/cli.cjs', 'bin/procore-sandbox.mjs']));

    // "Install" it: unpack into node_modules, link its dependencies from this checkout.
    const modules = join(project, 'node_modules');
    mkdirSync(modules, { recursive: true });
    const untar = await exec('tar', ['-xzf', tarball, '-C', modules], dir);
    expect(untar.code, untar.stderr).toBe(0);
    renameSync(join(modules, 'package'), join(modules, 'procore-sandbox'));
    for (const name of readdirSync(join(ROOT, 'node_modules'))) {
      if (name === 'procore-sandbox' || name.startsWith('.')) continue;
      symlinkSync(join(ROOT, 'node_modules', name), join(modules, name));
    }
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-integration', private: true, type: 'module' }, null, 2));
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
        include: ['**/*.ts'],
        exclude: ['node_modules'],
      }),
    );
    for (const [path, text] of readmeFiles(readFileSync(join(ROOT, 'README.md'), 'utf8'))) {
      mkdirSync(dirname(join(project, path)), { recursive: true });
      writeFileSync(join(project, path), text);
    }
  }, 300_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the README example files', () => {
    expect([...readmeFiles(readFileSync(join(ROOT, 'README.md'), 'utf8')).keys()].sort()).toEqual([
      'test/procore-sandbox.ts',
      'test/rfis.test.ts',
      'vitest.config.ts',
    ]);
  });

  it('type-checks the example against the published types', async () => {
    const tsc = await exec(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], project);
    expect(tsc.code, tsc.stdout + tsc.stderr).toBe(0);
    // The published types really are checked: a wrong use fails.
    writeFileSync(
      join(project, 'test/wrong.ts'),
      "import { startSandbox } from 'procore-sandbox';\nawait startSandbox({ port: 'any' });\n",
    );
    const wrong = await exec(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], project);
    rmSync(join(project, 'test/wrong.ts'));
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toMatch(/wrong\.ts.*Type 'string' is not assignable to type 'number'/);
  }, 120_000);

  it('runs the README example with Vitest against the published entry point', async () => {
    const vitest = await exec(process.execPath, [join(project, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=verbose'], project);
    expect(vitest.code, vitest.stdout + vitest.stderr).toBe(0);
    expect(vitest.stdout).toMatch(/3 passed/);
    expect(vitest.stdout).toContain('a token expires after 90 minutes');
  }, 240_000);
});
