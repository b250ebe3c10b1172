/**
 * Pre-signed download URLs, as Procore's file URLs are: `…/blobs/{id}/{name}?expires=…&signature=…`
 * opens in a browser, an `<img src>` or a plain `curl` with no header until it expires. The
 * signature is an HMAC (server key) over the path and the expiry; the expiry is on the server
 * clock.
 */
import type { AppContext } from '../context/context.js';

/** How long a signed URL stays valid. */
export const SIGNED_URL_TTL_SECONDS = 3600;

function signature(ctx: AppContext, path: string, expires: number): string {
  return ctx.secrets.mac(`blob-url:${path}:${expires}`);
}

/** `expires=<unix s>&signature=<hex>` for `path` (e.g. `/blobs/5/plan.pdf`, name URL-encoded). */
export function signBlobPath(ctx: AppContext, path: string, nowMs: number): string {
  // Rounded to the minute: URLs of one page of rows (and of repeated reads) stay identical.
  const expires = Math.ceil(nowMs / 60_000) * 60 + SIGNED_URL_TTL_SECONDS;
  return `expires=${expires}&signature=${signature(ctx, path, expires)}`;
}

/** Whether `expires`/`signature` authorize `path` now. */
export function verifyBlobSignature(
  ctx: AppContext,
  path: string,
  expires: unknown,
  sig: unknown,
  nowMs: number,
): 'ok' | 'invalid' | 'expired' {
  if (typeof expires !== 'string' || typeof sig !== 'string' || !/^\d{1,12}$/.test(expires) || !/^[0-9a-f]{64}$/.test(sig))
    return 'invalid';
  if (!ctx.secrets.verifyMac(`blob-url:${path}:${expires}`, sig)) return 'invalid';
  return Number(expires) * 1000 <= nowMs ? 'expired' : 'ok';
}
