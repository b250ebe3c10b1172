import { describe, expect, it } from 'vitest';
import { Journal, redactUrl, type JournalEntry } from './journal.js';

const entry = (over: Partial<JournalEntry>): Omit<JournalEntry, 'id'> => ({
  time: '2026-12-01T00:00:00.000Z',
  method: 'GET',
  path: '/rest/v1.0/me',
  status: 200,
  duration_ms: 1,
  environment: 'sandbox',
  company_id: 1,
  answered_by: 'route GET /rest/v1.0/me',
  why: null,
  ...over,
});

describe('Journal', () => {
  it('keeps the newest N, newest first, and filters', () => {
    const j = new Journal(3);
    for (let i = 0; i < 5; i++)
      j.push(entry({ path: `/p/${i}`, status: i % 2 ? 404 : 200, company_id: i, time: `2026-12-01T00:00:0${i}.000Z` }));
    expect(j.query().map((e) => e.path)).toEqual(['/p/4', '/p/3', '/p/2']);
    expect(j.query({ status: '4xx' }).map((e) => e.path)).toEqual(['/p/3']);
    expect(j.query({ status: '200' }).map((e) => e.path)).toEqual(['/p/4', '/p/2']);
    expect(j.query({ company_id: 2 }).map((e) => e.path)).toEqual(['/p/2']);
    expect(j.query({ path: '/p/*' })).toHaveLength(3);
    expect(j.query({ path: '/q' })).toHaveLength(0);
    expect(j.query({ since: '2026-12-01T00:00:03Z' })).toHaveLength(2);
    expect(j.query({ limit: 1 })).toHaveLength(1);
    j.clear();
    expect(j.query()).toEqual([]);
  });

  it('is off with size 0 and waits for tracked work', async () => {
    const off = new Journal(0);
    off.push(entry({}));
    expect(off.enabled).toBe(false);
    expect(off.query()).toEqual([]);
    const j = new Journal(2);
    const e = j.push(entry({ status: 401 }));
    j.track(new Promise((r) => setTimeout(r, 10)).then(() => void (e.why = 'later')));
    await j.settled();
    expect(j.query()[0]?.why).toBe('later');
  });

  it('redacts secret query values and Postman link tokens', () => {
    expect(redactUrl('/oauth/token?client_id=a&client_secret=b&code=c&company_id=5')).toBe(
      '/oauth/token?client_id=a&client_secret=[redacted]&code=[redacted]&company_id=5',
    );
    expect(redactUrl('/postman/abcdef/collection.json')).toBe('/postman/[redacted]/collection.json');
    expect(redactUrl('/x?refresh%5Ftoken=zz&flag')).toBe('/x?refresh%5Ftoken=[redacted]&flag');
  });
});
