/**
 * Code snippets of a request with postman-code-generators (curl and the other 20-odd targets).
 * The request comes resolved from the browser (variables and auth already applied), since the
 * generators apply no auth helpers themselves. Both packages load on first use (loading them
 * was a third of the server's start-up: docs/decisions/0003-fast-path.md).
 */
import { createRequire } from 'node:module';
import type Codegen from 'postman-code-generators';
import type Sdk from 'postman-collection';

const requireLazily = createRequire(import.meta.url);
let loaded: { codegen: typeof Codegen; sdk: typeof Sdk } | null = null;
const load = () =>
  (loaded ??= {
    codegen: requireLazily('postman-code-generators') as typeof Codegen,
    sdk: requireLazily('postman-collection') as typeof Sdk,
  });

export interface CodegenLanguageView {
  key: string;
  label: string;
  syntax_mode: string;
  variants: string[];
}

export class CodegenError extends Error {}

let cached: CodegenLanguageView[] | null = null;

export function listLanguages(): CodegenLanguageView[] {
  cached ??= load()
    .codegen.getLanguageList()
    .map((l) => ({ key: l.key, label: l.label, syntax_mode: l.syntax_mode, variants: l.variants.map((v) => v.key) }));
  return cached;
}

/** Snippet options are generator-specific; only simple values pass. */
function cleanOptions(options: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options ?? {})) if (['string', 'number', 'boolean'].includes(typeof v)) out[k] = v;
  return out;
}

/** A snippet of `request` (a Postman v2.1 request object) in `language`/`variant`. */
export async function generateSnippet(
  language: string,
  variant: string,
  request: unknown,
  options?: Record<string, unknown>,
): Promise<string> {
  const { codegen, sdk } = load();
  const lang = listLanguages().find((l) => l.key === language);
  if (!lang) throw new CodegenError(`Unknown language "${language}" (see GET /api/explorer/codegen/languages)`);
  const v = lang.variants.find((x) => x.toLowerCase() === variant.toLowerCase());
  if (!v) throw new CodegenError(`Unknown variant "${variant}" of ${language} (${lang.variants.join(', ')})`);
  let sdkRequest: InstanceType<typeof Sdk.Request>;
  try {
    sdkRequest = new sdk.Request(request as never);
  } catch (err) {
    throw new CodegenError(`The request cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  return new Promise((resolve, reject) => {
    try {
      codegen.convert(language, v, sdkRequest, cleanOptions(options), (error, snippet) => {
        if (error)
          reject(new CodegenError(`The ${lang.label} generator failed: ${error instanceof Error ? error.message : String(error)}`));
        else resolve(snippet);
      });
    } catch (err) {
      reject(new CodegenError(`The ${lang.label} generator failed: ${err instanceof Error ? err.message : String(err)}`));
    }
  });
}
