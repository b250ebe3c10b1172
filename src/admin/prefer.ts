/**
 * `Prefer` (RFC 7240) preferences the API honours when `settings.prefer` is on (Prism's idea):
 * `Prefer: status=503` answers that status with Procore's error body, `Prefer: delay=200`
 * waits 200 ms first; both may be combined (`Prefer: status=429, delay=100`). Unknown or
 * out-of-range preferences are ignored, as RFC 7240 asks.
 */
import { MAX_DELAY_MS } from './faults.js';

export interface Preferences {
  status?: number;
  delayMs?: number;
  /** For `Preference-Applied`. */
  applied: string[];
}

export function parsePrefer(header: string | string[] | undefined): Preferences | null {
  if (header === undefined) return null;
  const out: Preferences = { applied: [] };
  for (const part of (Array.isArray(header) ? header.join(',') : header).split(/[,;]/)) {
    const m = /^\s*([A-Za-z-]+)\s*=\s*"?([^"\s]*)"?\s*$/.exec(part);
    if (!m) continue;
    const name = (m[1] as string).toLowerCase();
    const value = m[2] as string;
    if (!/^\d{1,6}$/.test(value)) continue;
    const n = Number(value);
    if ((name === 'status' || name === 'code') && n >= 400 && n <= 599 && out.status === undefined) {
      out.status = n;
      out.applied.push(`status=${n}`);
    } else if (name === 'delay' && n <= MAX_DELAY_MS && out.delayMs === undefined) {
      out.delayMs = n;
      out.applied.push(`delay=${n}`);
    }
  }
  return out.applied.length ? out : null;
}
