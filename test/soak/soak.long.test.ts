/**
 * Soak run (`npm run test:long`): SOAK_SECONDS (default 120; `npm run test:long -- --soak 600`)
 * of mixed traffic against the real server on 127.0.0.1. See `soak.ts` and docs/testing.md.
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from './soak.js';

const seconds = Number(process.env['SOAK_SECONDS'] ?? 120);
const factor = Number(process.env['SOAK_RSS_FACTOR'] ?? 2);
const heapFactor = Number(process.env['SOAK_HEAP_FACTOR'] ?? 1.3);

describe('soak', () => {
  it(
    `serves ${seconds} s of mixed traffic with no errors but intended 429s, a flat live heap (end ≤ start × ${heapFactor}) and RSS (end ≤ start × ${factor})`,
    async () => {
      const r = await runSoak(seconds);
      console.log(
        `soak: ${r.seconds} s, ${r.requests} requests (${r.rateLimited} × 429), ${r.errorCount} errors; RSS ${r.rssStartMb.toFixed(0)} MB after ${r.warmupSeconds} s warm-up → ${r.rssEndMb.toFixed(0)} MB at the end (max ${r.rssMaxMb.toFixed(0)} MB); live heap ${r.heapStartMb.toFixed(1)} → ${r.heapEndMb.toFixed(1)} MB (${r.fullGcs} full GCs); median latency ${r.p50FirstMs.toFixed(1)} → ${r.p50LastMs.toFixed(1)} ms\n  ${JSON.stringify(r.byKind)}`,
      );
      expect(r.errors).toEqual([]);
      expect(r.requests).toBeGreaterThan(seconds * 10);
      expect(r.rssStartMb).toBeGreaterThan(0);
      // Full collections in both windows, or the heap check would compare nothing.
      expect(r.heapStartMb).toBeGreaterThan(0);
      expect(r.heapEndMb).toBeGreaterThan(0);
      expect(r.heapEndMb).toBeLessThanOrEqual(r.heapStartMb * heapFactor);
      expect(r.rssEndMb).toBeLessThanOrEqual(r.rssStartMb * factor);
    },
    (seconds + 180) * 1000,
  );
});
