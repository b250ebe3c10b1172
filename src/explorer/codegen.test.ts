import { describe, expect, it } from 'vitest';
import { CodegenError, generateSnippet, listLanguages } from './codegen.js';

const request = {
  method: 'POST',
  url: 'https://sandbox.procore.com/rest/v1.0/projects/42/rfis?run_configurable_validations=true',
  header: [
    { key: 'Authorization', value: 'Bearer abc' },
    { key: 'Procore-Company-Id', value: '7' },
    { key: 'Content-Type', value: 'application/json' },
    { key: 'X-Off', value: 'no', disabled: true },
  ],
  body: { mode: 'raw', raw: '{"rfi":{"subject":"Hi"}}', options: { raw: { language: 'json' } } },
};

describe('code snippets (postman-code-generators)', () => {
  it('lists the generators with their variants', () => {
    const langs = listLanguages();
    expect(langs.length).toBeGreaterThan(15);
    expect(langs.find((l) => l.key === 'curl')).toEqual({ key: 'curl', label: 'cURL', syntax_mode: 'powershell', variants: ['cURL'] });
    expect(langs.find((l) => l.key === 'python')?.variants).toEqual(['http.client', 'Requests']);
  });

  it('every language and variant produces a snippet with the URL, the headers and the body', async () => {
    for (const lang of listLanguages()) {
      for (const variant of lang.variants) {
        const snippet = await generateSnippet(lang.key, variant, request);
        expect(snippet, `${lang.key}/${variant}`).toContain('/rest/v1.0/projects/42/rfis');
        expect(snippet, `${lang.key}/${variant}`).toContain('Bearer abc');
        expect(snippet, `${lang.key}/${variant}`).not.toContain('X-Off');
        expect(snippet, `${lang.key}/${variant}`).toMatch(/subject/);
      }
    }
  });

  it('curl with options, and clear errors for unknown generators or unreadable requests', async () => {
    const curl = await generateSnippet(
      'curl',
      'curl',
      { method: 'GET', url: 'http://localhost:4000/vapid/me', header: [] },
      { multiLine: false, longFormat: false },
    );
    expect(curl).toBe("curl -L 'http://localhost:4000/vapid/me'");
    await expect(generateSnippet('cobol', 'x', request)).rejects.toThrow(CodegenError);
    await expect(generateSnippet('curl', 'wget', request)).rejects.toThrow(/Unknown variant/);
  });
});
