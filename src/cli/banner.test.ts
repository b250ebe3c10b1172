import { describe, expect, it } from 'vitest';
import { renderBanner } from './banner.js';

describe('renderBanner', () => {
  it('prints the admin API and its key under stable labels', () => {
    const text = renderBanner({
      version: '0.0.0',
      sandboxUrl: 'http://127.0.0.1:4000',
      productionUrl: 'http://127.0.0.1:4001',
      database: 'SQLite in memory',
      developerEmail: 'developer@example.com',
      developerPassword: 'pw',
      adminKey: 'adm_secret',
    });
    expect(text).toMatch(/^ {2}Admin API: +http:\/\/127\.0\.0\.1:4000\/__admin\//m);
    expect(text).toMatch(/^ {2}Admin key: +adm_secret$/m);
  });
});
