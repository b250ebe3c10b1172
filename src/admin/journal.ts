/**
 * The request journal (`/__admin/journal`, `sandbox.journal()`): the last N requests in a ring
 * buffer, each with what answered it and, for a refusal, why in words. Pure.
 */
import type { JournalEntry, JournalQuery } from '../lib/public.js';
import { pathPattern } from './patterns.js';

export type { JournalEntry, JournalQuery } from '../lib/public.js';

const SECRET_PARAM = /(secret|token|code|password|passwd|state|key|assertion|verifier|signature|sig)/i;

/** The URL without secrets: secret query values become `[redacted]`, Postman link tokens too. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(/^\/postman\/[^/]+/, '/postman/[redacted]');
  if (q < 0) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name);
      } catch {
        // keep the raw name
      }
      return SECRET_PARAM.test(name) ? `${pair.slice(0, eq)}=[redacted]` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}

export class Journal {
  #entries: (JournalEntry | undefined)[];
  #next = 0;
  #id = 1;
  readonly #pending = new Set<Promise<unknown>>();

  constructor(readonly size: number) {
    this.#entries = new Array<JournalEntry | undefined>(Math.max(0, size));
  }

  get enabled(): boolean {
    return this.size > 0;
  }

  /** Stores an entry (overwriting the oldest when full) and returns it for later completion. */
  push(entry: Omit<JournalEntry, 'id'>): JournalEntry {
    const stored: JournalEntry = { id: this.#id++, ...entry };
    if (this.size === 0) return stored;
    this.#entries[this.#next] = stored;
    this.#next = (this.#next + 1) % this.size;
    return stored;
  }

  /** Keeps track of work that completes an entry (its reason), so `settled()` can wait for it. */
  track(work: Promise<unknown>): void {
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }

  /** Resolves once every entry pushed so far is complete (or after `timeoutMs`, whatever is left). */
  async settled(timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#pending.size > 0 && Date.now() < deadline) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(1, deadline - Date.now()))));
      await Promise.race([Promise.allSettled([...this.#pending]), timeout]);
      clearTimeout(timer);
    }
  }

  clear(): void {
    this.#entries = new Array<JournalEntry | undefined>(this.size);
    this.#next = 0;
  }

  query(q: JournalQuery = {}): JournalEntry[] {
    const limit = Math.max(0, Math.min(q.limit ?? 100, this.size));
    const pattern = q.path?.includes('*') ? pathPattern(q.path) : null;
    const statusClass = q.status && /^[1-5]xx$/i.test(q.status) ? Number(q.status[0]) : null;
    const status = q.status && statusClass === null ? Number(q.status) : null;
    const sinceMs = q.since ? Date.parse(q.since) : null;
    const out: JournalEntry[] = [];
    for (let i = 1; i <= this.size && out.length < limit; i++) {
      const e = this.#entries[(this.#next - i + this.size) % this.size];
      if (!e) break;
      if (q.company_id !== undefined && e.company_id !== q.company_id) continue;
      if (q.path !== undefined) {
        const p = e.path.split('?')[0] as string;
        if (pattern ? !pattern.test(p) : !p.startsWith(q.path)) continue;
      }
      if (statusClass !== null && Math.floor(e.status / 100) !== statusClass) continue;
      if (status !== null && e.status !== status) continue;
      if (sinceMs !== null && Date.parse(e.time) < sinceMs) continue;
      out.push({ ...e });
    }
    return out;
  }
}
