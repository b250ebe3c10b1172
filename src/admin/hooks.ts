/**
 * App-level hooks of the automation features, on both environments, before every route:
 * fault rules and `Prefer` answer (or delay) a request first; the journal records every request
 * but `/__admin/*` when it leaves. Other plugins can explain a refusal to the journal with
 * `request.journalWhy = '…'`; otherwise `reasons.ts` works it out.
 */
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CORS_EXPOSE_HEADERS } from '../api/mount.js';
import { sha256Hex } from '../core/crypto.js';
import { findTokenForBearer } from '../db/repos/tokens.js';
import { authorizationHeader, parseBearerHeader } from '../http/authorization.js';
import { clientMethod } from '../http/index.js';
import type { AppContext } from '../context/context.js';
import type { FaultRule } from './faults.js';
import { redactUrl } from './journal.js';
import { pathOf } from './patterns.js';
import { parsePrefer } from './prefer.js';
import { refusalReason, summarizeErrorPayload, type ErrorSummary } from './reasons.js';
import { forcedResponse } from './responses.js';
import { automationOf } from './state.js';
import { answeringRoute } from '../api/generic/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Why this request was refused, in words, for the admin journal (e.g. "token expired at …"). */
    journalWhy: string | null;
  }
}

interface Tracked {
  startedAt: number;
  time: string;
  answeredBy: string | null;
  why: string | null;
  notes: string[];
  companyId: number | null | undefined;
  error?: ErrorSummary;
}

const tracked = new WeakMap<FastifyRequest, Tracked>();

const API_PATH = /^\/(rest|vapid)\//;
const ADMIN_PATH = /^\/__admin(\/|$)/;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function positiveId(value: unknown): number | null {
  return typeof value === 'string' && /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : null;
}

/** The company a request is for: its header, its `company_id` query, or its token's company. */
async function requestCompany(ctx: AppContext, request: FastifyRequest): Promise<number | null> {
  const header = positiveId(request.headers['procore-company-id']);
  if (header !== null) return header;
  const query = positiveId((request.query as Record<string, unknown> | undefined)?.['company_id']);
  if (query !== null) return query;
  const token = parseBearerHeader(authorizationHeader(request));
  if (!token) return null;
  const row = await findTokenForBearer(ctx.db, sha256Hex(token));
  return row ? Number(row.company_id) : null;
}

function send(reply: FastifyReply, status: number, request: FastifyRequest, ctx: AppContext, retryAfter?: number): void {
  // Answered before the API's own hooks: give a browser the same CORS headers the API would.
  const origin = request.headers.origin;
  if (API_PATH.test(request.url) && typeof origin === 'string' && origin !== '' && !/[\r\n]/.test(origin)) {
    reply.header('Access-Control-Allow-Origin', origin);
    reply.header('Access-Control-Allow-Credentials', 'true');
    reply.header('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
    reply.header('Vary', 'Origin');
  }
  const forced = forcedResponse(status, {
    path: pathOf(request.url),
    settings: ctx.settings,
    nowMs: ctx.clock.nowMs(),
    retryAfterSeconds: retryAfter,
  });
  reply.code(forced.status).headers(forced.headers).send(forced.body);
}

export default fp(
  async function automationHooks(app) {
    const ctx = app.ctx;
    const state = automationOf(ctx);
    app.decorateRequest('journalWhy', null);

    function record(request: FastifyRequest, t: Tracked, status: number, why: string | null) {
      const route = answeringRoute(request);
      const entry = state.journal.push({
        time: t.time,
        method: clientMethod(request),
        path: redactUrl(request.url),
        status,
        duration_ms: Math.round((performance.now() - t.startedAt) * 10) / 10,
        environment: app.environment,
        company_id: request.auth?.companyId ?? t.companyId ?? positiveId(request.headers['procore-company-id']),
        answered_by: [t.answeredBy ?? (route ? `route ${request.method} ${route}` : 'no route'), ...t.notes].join(', '),
        why,
      });
      return entry;
    }

    async function applyFault(request: FastifyRequest, reply: FastifyReply, t: Tracked, rule: FaultRule): Promise<boolean> {
      if (rule.delay_ms) {
        await sleep(rule.delay_ms);
        t.notes.push(`delayed ${rule.delay_ms} ms by fault ${rule.id}`);
      }
      if (rule.drop) {
        t.answeredBy = `fault ${rule.id}`;
        if (state.journal.enabled) record(request, t, 0, `fault ${rule.id}: connection dropped`);
        tracked.delete(request);
        reply.hijack();
        request.raw.socket?.destroy();
        return true;
      }
      if (rule.status !== undefined) {
        t.answeredBy = `fault ${rule.id}`;
        t.why = `fault ${rule.id}: status ${rule.status}`;
        send(reply, rule.status, request, ctx, rule.retry_after);
        return true;
      }
      return false;
    }

    /** Faults and Prefer: may answer (then the hook chain stops) or only delay the request. */
    async function intercept(request: FastifyRequest, reply: FastifyReply, t: Tracked, path: string): Promise<boolean> {
      if (state.faults.size > 0) {
        const candidates = state.faults.candidates(clientMethod(request), path);
        if (candidates.length > 0) {
          if (candidates.some((r) => r.company_id !== undefined)) t.companyId = await requestCompany(ctx, request);
          const rule = state.faults.pick(candidates, t.companyId ?? null);
          if (rule && (await applyFault(request, reply, t, rule))) return true;
        }
      }
      if (ctx.settings.prefer && API_PATH.test(path)) {
        const prefs = parsePrefer(request.headers['prefer']);
        if (prefs) {
          reply.header('Preference-Applied', prefs.applied.join(', '));
          if (prefs.delayMs) {
            await sleep(prefs.delayMs);
            t.notes.push(`delayed ${prefs.delayMs} ms by Prefer`);
          }
          if (prefs.status !== undefined) {
            t.answeredBy = `prefer status=${prefs.status}`;
            t.why = `Prefer: status=${prefs.status}`;
            send(reply, prefs.status, request, ctx);
            return true;
          }
        }
      }
      return false;
    }

    // Callback-style hooks: the common case (no fault rule, no Prefer header) costs no promise.
    app.addHook('onRequest', (request, reply, done) => {
      const path = pathOf(request.url);
      if (ADMIN_PATH.test(path)) return done();
      const active = state.faults.size > 0 || (ctx.settings.prefer && request.headers['prefer'] !== undefined);
      if (!active && !state.journal.enabled) return done();
      const t: Tracked = {
        startedAt: performance.now(),
        time: new Date(ctx.clock.nowMs()).toISOString(),
        answeredBy: null,
        why: null,
        notes: [],
        companyId: undefined,
      };
      tracked.set(request, t);
      if (!active) return done();
      intercept(request, reply, t, path).then(
        (answered) => {
          if (!answered) done();
        },
        (err: Error) => done(err),
      );
    });

    app.addHook('onSend', (request, reply, payload, done) => {
      if (reply.statusCode >= 400) {
        const t = tracked.get(request);
        if (t) t.error = summarizeErrorPayload(payload);
      }
      done(null, payload);
    });

    app.addHook('onResponse', (request, reply, done) => {
      done();
      const t = tracked.get(request);
      if (!t || !state.journal.enabled) return;
      const status = reply.statusCode;
      const given = request.journalWhy ?? t.why;
      const entry = record(request, t, status, status >= 400 ? given : null);
      if (status >= 400 && given === null) {
        state.journal.track(
          refusalReason(ctx, request, reply, t.error).then(
            (why) => void (entry.why = why),
            () => void (entry.why = t.error?.message ?? `${status}`),
          ),
        );
      }
    });
  },
  { name: 'automation-hooks' },
);
