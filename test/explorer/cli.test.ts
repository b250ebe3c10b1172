/** `--proxy-allow` / `PROCORE_SANDBOX_PROXY_ALLOW`: parsed and checked by the CLI, into the settings. */
import { afterEach, describe, expect, it } from 'vitest';
import { buildCli } from '../../src/cli/main.js';

function startCommand() {
  const cmd = buildCli().commands.find((c) => c.name() === 'start')!;
  cmd.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  cmd.action(async () => {}); // parse only, no server
  return cmd;
}

describe('--proxy-allow', () => {
  afterEach(() => {
    delete process.env['PROCORE_SANDBOX_PROXY_ALLOW'];
  });

  it('takes a comma list of host patterns, from the flag or the environment', async () => {
    const cmd = startCommand();
    await cmd.parseAsync(['--proxy-allow', 'procore.com, *.mycompany.dev,api.example.com:8443'], { from: 'user' });
    expect(cmd.opts()['proxyAllow']).toEqual(['procore.com', '*.mycompany.dev', 'api.example.com:8443']);
    process.env['PROCORE_SANDBOX_PROXY_ALLOW'] = '';
    const empty = startCommand();
    await empty.parseAsync([], { from: 'user' });
    expect(empty.opts()['proxyAllow']).toEqual([]);
    const unset = startCommand();
    delete process.env['PROCORE_SANDBOX_PROXY_ALLOW'];
    await unset.parseAsync([], { from: 'user' });
    expect(unset.opts()['proxyAllow']).toBeUndefined();
  });

  it('refuses URLs, IP addresses and bare names', async () => {
    for (const bad of ['https://procore.com', '10.0.0.1', 'localhost', 'a.*.com']) {
      await expect(startCommand().parseAsync(['--proxy-allow', bad], { from: 'user' }), bad).rejects.toThrow(
        /proxy-allow|host|IP|domain|wildcard/i,
      );
    }
  });

  it('is listed in --help', () => {
    expect(
      buildCli()
        .commands.find((c) => c.name() === 'start')!
        .helpInformation(),
    ).toContain('--proxy-allow <hosts>');
  });
});
