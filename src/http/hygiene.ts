/**
 * Text hygiene for every request (security.md I6): text that no engine can store faithfully is
 * refused before any handler runs, with the same 400 on SQLite and PostgreSQL.
 *
 * - Invalid UTF-8 in a JSON body: checked on the raw bytes (`preParsing`), because decoding to
 *   a string silently turns it into U+FFFD.
 * - Lone surrogates (`"\ud800"` escapes) and NUL (U+0000; PostgreSQL `text` rejects it) in any
 *   string or key of the parsed body, the query string and the path parameters (`preValidation`).
 * - Multipart fields are read by the handlers themselves (`request.parts()`): they call
 *   `assertCleanText()` on each field.
 */
import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export type TextProblem = 'nul' | 'surrogate';

// No `u` flag: the regexp sees UTF-16 code units, which is what lone surrogates are.
// eslint-disable-next-line no-control-regex
const BAD_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function problemOf(text: string): TextProblem | null {
  const m = BAD_TEXT.exec(text);
  if (!m) return null;
  return m[0] === '\u0000' ? 'nul' : 'surrogate';
}

const MAX_DEPTH = 64;

/** The first NUL or lone surrogate in `value` (strings, keys, nested arrays and objects), or null. */
export function findBadText(value: unknown, path = '', depth = 0): { path: string; problem: TextProblem } | null {
  if (typeof value === 'string') {
    const problem = problemOf(value);
    return problem ? { path, problem } : null;
  }
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findBadText(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const at = path === '' ? key : `${path}.${key}`;
    const keyProblem = problemOf(key);
    if (keyProblem) return { path: at, problem: keyProblem };
    const found = findBadText(child, at, depth + 1);
    if (found) return found;
  }
  return null;
}

/** A 400 every error handler of the app renders in its own format (OAuth, API, portal, pages). */
export class BadTextError extends Error {
  readonly statusCode = 400;
  readonly code = 'PSB_BAD_TEXT';
  constructor(message: string) {
    super(message);
    this.name = 'BadTextError';
  }
}

const DESCRIBE: Record<TextProblem, string> = {
  nul: 'contains a NUL character (U+0000), which is not allowed in text',
  surrogate: 'contains a lone UTF-16 surrogate (such as "\\ud800"), which is not valid Unicode text',
};

/**
 * Throws a `BadTextError` when `value` holds a NUL or a lone surrogate, naming the place:
 * `where` is e.g. `body field` (→ `The body field "rfi.subject" contains …`).
 */
export function assertCleanText(where: string, value: unknown): void {
  const found = findBadText(value);
  if (!found) return;
  const place = found.path === '' ? where : `${where} "${found.path.slice(0, 100)}"`;
  throw new BadTextError(`The ${place} ${DESCRIBE[found.problem]}.`);
}

function isJson(request: FastifyRequest): boolean {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

/** A pass-through stream that fails with a 400 at the first byte that is not valid UTF-8. */
function utf8Guard(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        callback(new BadTextError('The JSON body is not valid UTF-8.'));
        return;
      }
      callback(null, chunk);
    },
    flush(callback) {
      try {
        decoder.decode();
      } catch {
        callback(new BadTextError('The JSON body is not valid UTF-8 (it ends inside a character).'));
        return;
      }
      callback();
    },
  });
}

/** Registers the hooks on `app` (the root instance, before any route plugin). */
export function registerTextHygiene(app: FastifyInstance): void {
  // Callback-style hooks: an async hook costs every request a promise and a microtask.
  app.addHook('preParsing', (request, _reply, payload, done) => {
    if (!isJson(request)) return done(null, payload);
    const guard = utf8Guard();
    payload.on('error', (err) => guard.destroy(err));
    // Fastify stops listening once it has its answer (the first error, or a route that never
    // reads the body), while the rest of a large body still flows in: without a listener of its
    // own, a later error of the guard would be an uncaught exception that ends the process.
    guard.on('error', () => payload.unpipe(guard));
    done(null, payload.pipe(guard));
  });

  app.addHook('preValidation', (request, _reply, done) => {
    try {
      assertCleanText('path parameter', request.params);
      assertCleanText('query parameter', request.query);
      if (typeof request.body === 'string') assertCleanText('request body', request.body);
      else if (typeof request.body === 'object' && request.body !== null && !Buffer.isBuffer(request.body))
        assertCleanText('body field', request.body);
    } catch (err) {
      return done(err as Error);
    }
    done();
  });
}
