/**
 * Login limits are settable by flag and environment variable (issue #8): `--login-attempts`
 * / `LOGIN_ATTEMPTS` (per account, client or sandbox user per hour) and
 * `--login-attempts-per-ip` / `LOGIN_ATTEMPTS_PER_IP` (per address; loopback gets 10×).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildCli, settingsFromFlags, type StartFlags } from '../../src/cli/main.js';
import { ipLimit } from '../../src/oauth/throttle.js';
import type { AppContext } from '../../src/context/context.js';

async function parsedSettings(argv: string[]) {
  const program = buildCli();
  const start = program.commands.find((c) => c.name() === 'start')!;
  let flags: StartFlags | undefined;
  start.action(async (f: StartFlags) => {
    flags = f;
  });
  await program.parseAsync(['node', 'procore-sandbox', 'start', ...argv]);
  return settingsFromFlags(flags!);
}

describe('login limits from flags and environment', () => {
  afterEach(() => {
    delete process.env['LOGIN_ATTEMPTS'];
    delete process.env['LOGIN_ATTEMPTS_PER_IP'];
  });

  it('defaults: 100 per account, 500 per IP', async () => {
    const s = await parsedSettings([]);
    expect([s.loginAttemptsPerHour, s.loginAttemptsPerIpPerHour]).toEqual([100, 500]);
  });

  it('flags', async () => {
    const s = await parsedSettings(['--login-attempts', '7', '--login-attempts-per-ip', '70']);
    expect([s.loginAttemptsPerHour, s.loginAttemptsPerIpPerHour]).toEqual([7, 70]);
  });

  it('environment variables', async () => {
    process.env['LOGIN_ATTEMPTS'] = '9';
    process.env['LOGIN_ATTEMPTS_PER_IP'] = '90';
    const s = await parsedSettings([]);
    expect([s.loginAttemptsPerHour, s.loginAttemptsPerIpPerHour]).toEqual([9, 90]);
  });

  it('loopback addresses get a larger per-IP budget (local CI jobs share 127.0.0.1)', async () => {
    const ctx = { settings: await parsedSettings(['--login-attempts-per-ip', '50']) } as AppContext;
    expect(ipLimit(ctx, '203.0.113.1')).toBe(50);
    expect(ipLimit(ctx, '127.0.0.1')).toBe(500);
    expect(ipLimit(ctx, '::1')).toBe(500);
    expect(ipLimit(ctx, '::ffff:127.0.0.1')).toBe(500);
  });
});
