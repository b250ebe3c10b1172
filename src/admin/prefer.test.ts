import { describe, expect, it } from 'vitest';
import { parsePrefer } from './prefer.js';

describe('parsePrefer', () => {
  it('reads status and delay (RFC 7240 syntax), ignoring the rest', () => {
    expect(parsePrefer('status=503')).toEqual({ status: 503, applied: ['status=503'] });
    expect(parsePrefer('delay=200, status="429"')).toEqual({ delayMs: 200, status: 429, applied: ['delay=200', 'status=429'] });
    expect(parsePrefer(['code=500', 'return=minimal'])).toEqual({ status: 500, applied: ['status=500'] });
    for (const ignored of [undefined, '', 'return=minimal', 'status=200', 'status=600', 'status=5o3', 'delay=60001', 'delay=-1'])
      expect(parsePrefer(ignored)).toBeNull();
  });
});
