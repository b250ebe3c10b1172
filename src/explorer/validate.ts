/**
 * "Does this response match the operation's response schema?" — the explorer's schema badge.
 * The operation is found in the OpenAPI document this server serves (`GET /openapi.json`) by
 * method and path template (`/rest/v1.0/projects/{project_id}/rfis`), the response schema by
 * status (exact, then `2XX`, then `default`), and the body is checked with ajv.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

interface Operation {
  method: string;
  template: string;
  regex: RegExp;
  literalSegments: number;
  operationId: string | null;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

export interface ValidationResult {
  operation_id: string | null;
  /** The matched path template, or null when no operation matches. */
  path_template: string | null;
  /** null when there is nothing to check against (unknown operation or no schema for the status). */
  valid: boolean | null;
  errors: { path: string; message: string }[];
}

type OpenApiDoc = { paths?: Record<string, Record<string, { operationId?: string; responses?: Operation['responses'] }>> };

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

function escapeJsonPointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

export class SchemaValidator {
  readonly #ajv: Ajv;
  readonly #operations: Operation[];
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(doc: OpenApiDoc) {
    this.#ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.#ajv);
    this.#ajv.addSchema(doc as object, 'openapi.json');
    this.#operations = [];
    for (const [template, item] of Object.entries(doc.paths ?? {})) {
      const segments = template.split('/').filter(Boolean);
      const pattern = segments.map((s) => (/^\{[^}]+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        this.#operations.push({
          method,
          template,
          regex: new RegExp(`^/${pattern}/?$`),
          literalSegments: segments.filter((s) => !s.startsWith('{')).length,
          operationId: op.operationId ?? null,
          responses: op.responses ?? {},
        });
      }
    }
    // Most literal templates first (`/projects/me` before `/projects/{id}`).
    this.#operations.sort((a, b) => b.literalSegments - a.literalSegments);
  }

  find(method: string, path: string): Operation | undefined {
    const m = method.toLowerCase();
    const p = path.split('?')[0]!.split('#')[0]!;
    return this.#operations.find((o) => o.method === m && o.regex.test(p));
  }

  validate(method: string, path: string, status: number, body: unknown): ValidationResult {
    const op = this.find(method, path);
    if (!op) return { operation_id: null, path_template: null, valid: null, errors: [] };
    const code = [String(status), `${String(status)[0]}XX`, 'default'].find((c) => op.responses[c] !== undefined);
    const content = code ? op.responses[code]?.content : undefined;
    const mediaType = content ? (Object.keys(content).find((t) => t.includes('json')) ?? null) : null;
    const base = { operation_id: op.operationId, path_template: op.template };
    if (!code || !mediaType || content![mediaType]?.schema === undefined) return { ...base, valid: null, errors: [] };
    let value = body;
    if (typeof body === 'string') {
      try {
        value = JSON.parse(body);
      } catch {
        return { ...base, valid: false, errors: [{ path: '', message: 'the body is not JSON' }] };
      }
    }
    const key = `${op.method} ${op.template} ${code} ${mediaType}`;
    let fn = this.#compiled.get(key);
    if (!fn) {
      const ref = `openapi.json#/paths/${escapeJsonPointer(op.template)}/${op.method}/responses/${escapeJsonPointer(code)}/content/${escapeJsonPointer(mediaType)}/schema`;
      fn = this.#ajv.compile({ $ref: ref });
      this.#compiled.set(key, fn);
    }
    const valid = fn(value) as boolean;
    return {
      ...base,
      valid,
      errors: valid ? [] : (fn.errors ?? []).slice(0, 50).map((e) => ({ path: e.instancePath, message: e.message ?? 'is invalid' })),
    };
  }
}
