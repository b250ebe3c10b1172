/**
 * Retries a transaction that lost a race on PostgreSQL (serialization failure, deadlock, or a
 * unique violation on a value computed inside it, such as the next sandbox number).
 */
const RETRYABLE = new Set(['40001', '40P01', '23505']);

export async function withSerializationRetry<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (i >= attempts || typeof code !== 'string' || !RETRYABLE.has(code)) throw err;
      await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 10));
    }
  }
}
