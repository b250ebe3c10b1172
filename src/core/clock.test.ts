import { describe, expect, it } from 'vitest';
import { AdjustableClock, type Clock } from './clock.js';

function fixed(ms: number): Clock & { ms: number } {
  return {
    ms,
    nowMs() {
      return this.ms;
    },
  };
}

describe('AdjustableClock', () => {
  it('advances, sets, freezes and unfreezes', () => {
    const base = fixed(1_000_000);
    const clock = new AdjustableClock(base);
    clock.advance(5_000);
    expect(clock.nowMs()).toBe(1_005_000);
    clock.set(2_000_000);
    expect(clock.nowMs()).toBe(2_000_000);
    clock.freeze();
    base.ms += 10_000;
    expect(clock.nowMs()).toBe(2_000_000);
    expect(clock.frozen).toBe(true);
    clock.advance(1_000);
    expect(clock.nowMs()).toBe(2_001_000);
    clock.unfreeze();
    base.ms += 1_000;
    expect(clock.nowMs()).toBe(2_002_000);
    clock.reset();
    expect(clock.nowMs()).toBe(base.ms);
  });

  it('gives each sandbox its own clock on top of the server clock', () => {
    const base = fixed(1_000_000);
    const server = new AdjustableClock(base);
    expect(server.forSandbox(7)).toBe(server);
    server.sandbox(7).advance(5_401_000);
    expect(server.forSandbox(7).nowMs()).toBe(6_401_000);
    expect(server.forSandbox(8).nowMs()).toBe(1_000_000);
    expect(server.nowMs()).toBe(1_000_000);
    // The server clock moves every sandbox clock that is not frozen.
    server.advance(1_000);
    expect(server.forSandbox(7).nowMs()).toBe(6_402_000);
    server.sandbox(8).freeze();
    server.advance(1_000);
    expect(server.forSandbox(8).nowMs()).toBe(1_001_000);
    server.releaseSandbox(7);
    expect(server.forSandbox(7).nowMs()).toBe(server.nowMs());
  });
});
