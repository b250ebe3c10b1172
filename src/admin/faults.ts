/**
 * Fault rules (`/__admin/faults`, `sandbox.faults`): answer matching requests with an error
 * status, a delay, or a dropped connection, for all of them, a fraction (`rate`) or the next
 * `times`. Pure: the Fastify hook in `hooks.ts` applies what `pick()` returns.
 */
import type { FaultRule, FaultRuleInput } from '../lib/public.js';
import { pathPattern } from './patterns.js';

export type { FaultRule, FaultRuleInput } from '../lib/public.js';

export const MAX_DELAY_MS = 60_000;

/** What a rule fails to say, in words; empty when it is valid. */
export function faultRuleProblems(input: FaultRuleInput): string[] {
  const problems: string[] = [];
  if (!input.path.startsWith('/')) problems.push('path must start with /');
  if (input.status === undefined && input.delay_ms === undefined && input.drop !== true)
    problems.push('a rule needs status, delay_ms or drop');
  if (input.drop === true && input.status !== undefined) problems.push('drop and status exclude each other');
  return problems;
}

interface Compiled {
  rule: FaultRule;
  re: RegExp;
  method: string | null;
}

export class FaultStore {
  #rules: Compiled[] = [];
  #next = 1;

  constructor(private readonly nowIso: () => string = () => new Date().toISOString()) {}

  get size(): number {
    return this.#rules.length;
  }

  add(input: FaultRuleInput): FaultRule {
    const rule: FaultRule = { id: `f${this.#next++}`, ...input, hits: 0, created_at: this.nowIso() };
    if (rule.method) rule.method = rule.method.toUpperCase();
    this.#rules.push({ rule, re: pathPattern(input.path), method: rule.method && rule.method !== '*' ? rule.method : null });
    return { ...rule };
  }

  list(): FaultRule[] {
    return this.#rules.map((c) => ({ ...c.rule }));
  }

  remove(id: string): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((c) => c.rule.id !== id);
    return this.#rules.length < before;
  }

  clear(): number {
    const n = this.#rules.length;
    this.#rules = [];
    return n;
  }

  /** Rules whose method and path match (company and rate not yet considered). */
  candidates(method: string, path: string): FaultRule[] {
    if (this.#rules.length === 0) return [];
    return this.#rules.filter((c) => (c.method === null || c.method === method) && c.re.test(path)).map((c) => c.rule);
  }

  /**
   * The first candidate that applies to this request's company and wins its `rate` draw; it
   * counts the hit and, when its `times` run out, leaves the store.
   */
  pick(candidates: FaultRule[], companyId: number | null, random: () => number = Math.random): FaultRule | null {
    for (const rule of candidates) {
      if (rule.company_id !== undefined && rule.company_id !== companyId) continue;
      if (rule.rate !== undefined && rule.rate < 1 && random() >= rule.rate) continue;
      rule.hits += 1;
      if (rule.times !== undefined) {
        rule.times -= 1;
        if (rule.times <= 0) this.remove(rule.id);
      }
      return { ...rule };
    }
    return null;
  }
}
