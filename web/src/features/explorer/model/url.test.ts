import { describe, expect, it } from 'vitest';
import { paramsFromUrl, rawUrl, syncParamsFromUrl, urlObject, urlWithParams } from './url.js';

describe('URL ⇄ Params', () => {
  it('parses the query of a URL with variables, keeping values as typed', () => {
    expect(paramsFromUrl('{{base_url}}/vapid/images?project_id={{project_id}}&image_category_id=7&flag&x=a%20b#top')).toEqual([
      { key: 'project_id', value: '{{project_id}}', enabled: true },
      { key: 'image_category_id', value: '7', enabled: true },
      { key: 'flag', value: '', enabled: true },
      { key: 'x', value: 'a%20b', enabled: true },
    ]);
    expect(paramsFromUrl('{{base_url}}/me')).toEqual([]);
  });

  it('writes the enabled rows back into the URL, keeping the fragment', () => {
    const rows = [
      { key: 'page', value: '2', enabled: true },
      { key: 'per_page', value: '10', enabled: false },
      { key: 'sort', value: 'number', enabled: true },
    ];
    expect(urlWithParams('{{base_url}}/rest/v1.0/projects/1/rfis?old=1#x', rows)).toBe(
      '{{base_url}}/rest/v1.0/projects/1/rfis?page=2&sort=number#x',
    );
    expect(urlWithParams('http://h/p?a=1', [])).toBe('http://h/p');
  });

  it('round-trips: URL → rows → URL is the identity for enabled rows', () => {
    const url = 'http://127.0.0.1:4000/vapid/folders?project_id=5&q=';
    expect(urlWithParams(url, paramsFromUrl(url))).toBe(url);
  });

  it('keeps disabled rows when the URL is edited', () => {
    const previous = [
      { key: 'a', value: '1', enabled: true },
      { key: 'b', value: '2', enabled: false },
    ];
    expect(syncParamsFromUrl('http://h/p?a=3', previous)).toEqual([
      { key: 'a', value: '3', enabled: true },
      { key: 'b', value: '2', enabled: false },
    ]);
  });

  it('builds Postman url objects and reads them back', () => {
    const raw = '{{base_url}}/rest/v1.0/projects/{{project_id}}/rfis?page=1';
    const obj = urlObject(raw, paramsFromUrl(raw));
    expect(obj).toEqual({
      raw,
      host: ['{{base_url}}'],
      path: ['rest', 'v1.0', 'projects', '{{project_id}}', 'rfis'],
      query: [{ key: 'page', value: '1' }],
    });
    expect(urlObject('https://api.procore.com/rest/v1.0/me', []).host).toEqual(['api', 'procore', 'com']);
    expect(rawUrl({ host: ['{{base_url}}'], path: ['vapid', 'me'], query: [{ key: 'a', value: '1' }] })).toBe('{{base_url}}/vapid/me?a=1');
    expect(rawUrl('http://x/y')).toBe('http://x/y');
  });
});
