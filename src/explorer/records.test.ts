import { describe, expect, it } from 'vitest';
import { COLLECTION_SCHEMA_URL } from '../postman/collection.js';
import { latestVersion, RECORD_KINDS, RecordDataError, upgradeData, VERSIONS } from './records.js';

describe('record versions', () => {
  it('every kind has one upgrade step per past version', () => {
    for (const kind of RECORD_KINDS) {
      const { latest, up } = VERSIONS[kind];
      expect(Object.keys(up).map(Number).sort(), kind).toEqual(Array.from({ length: latest - 1 }, (_, i) => i + 1));
    }
  });

  it('environments v1 (Postman file) → v2: types default|secret, enabled explicit, current added', () => {
    const v1 = {
      name: 'Old',
      values: [{ key: 'a', value: 'x', type: 'text' }, { key: 's', value: 1, type: 'secret', enabled: false }, 'junk'],
    };
    expect(upgradeData('environments', 1, v1)).toEqual({
      v: 2,
      upgraded: true,
      data: {
        name: 'Old',
        values: [
          { key: 'a', value: 'x', type: 'default', enabled: true },
          { key: 's', value: '1', type: 'secret', enabled: false },
        ],
        current: {},
      },
    });
    expect(upgradeData('globals', 1, { values: [] }).data).toEqual({ name: '', values: [], current: {} });
  });

  it('presets v1 {headers: {Name: value}} → v2 header list', () => {
    expect(
      upgradeData('presets', 1, { headers: { 'Content-Type': 'application/json', 'Procore-Company-Id': '{{company_id}}' } }).data,
    ).toEqual({
      headers: [
        { key: 'Content-Type', value: 'application/json', enabled: true },
        { key: 'Procore-Company-Id', value: '{{company_id}}', enabled: true },
      ],
    });
  });

  it('tokens v1 expires_in → v2 expires_at, and the client secret is never kept', () => {
    const v1 = {
      access_token: 'at',
      refresh_token: 'rt',
      expires_in: 5400,
      created_at: '2026-01-01T00:00:00Z',
      auth: {
        clientId: 'id',
        clientSecret: 'SECRET',
        nested: [
          { key: 'clientSecret', value: 'SECRET' },
          { key: 'scope', value: '' },
        ],
      },
    };
    const { data } = upgradeData('tokens', 1, v1);
    expect(data).toMatchObject({ access_token: 'at', refresh_token: 'rt', token_type: 'Bearer', expires_at: '2026-01-01T01:30:00Z' });
    expect(data).not.toHaveProperty('expires_in');
    expect(JSON.stringify(data)).not.toContain('SECRET');
  });

  it('collections v1 (Postman v2.0 or v2.1) → v2 (v2.1.0)', () => {
    const v20 = {
      info: { name: 'c', schema: 'https://schema.getpostman.com/json/collection/v2.0.0/collection.json' },
      auth: { type: 'bearer', bearer: { token: 't' } },
      item: [],
    };
    const { data, v } = upgradeData('collections', 1, v20);
    expect(v).toBe(2);
    expect(data).toEqual({
      info: { name: 'c', schema: COLLECTION_SCHEMA_URL },
      auth: { type: 'bearer', bearer: [{ key: 'token', value: 't', type: 'string' }] },
      item: [],
    });
  });

  it('latest data is checked, not upgraded; unknown versions and bad data are refused', () => {
    const env = { name: 'e', values: [], current: {} };
    expect(upgradeData('environments', latestVersion('environments'), env)).toEqual({ v: 2, data: env, upgraded: false });
    expect(() => upgradeData('environments', 3, env)).toThrow(/versions 1 to 2/);
    expect(() => upgradeData('environments', 0, env)).toThrow(RecordDataError);
    expect(() =>
      upgradeData('environments', 2, { name: 'e', values: [{ key: 'a', value: 1, type: 'default', enabled: true }], current: {} }),
    ).toThrow(/data\.values\.0\.value/);
    expect(() => upgradeData('presets', 2, { headers: [{ key: 'A', value: 'b', enabled: true, extra: 1 }] })).toThrow(RecordDataError);
    expect(() => upgradeData('history', 1, { method: 'GET' })).toThrow(/data/);
    expect(
      upgradeData('history', 1, {
        method: 'GET',
        url: 'http://x/y',
        status: 200,
        time_ms: 3,
        size: 10,
        request: { method: 'GET', url: 'http://x/y' },
      }).data,
    ).toMatchObject({ status: 200 });
  });
});
