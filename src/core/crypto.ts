/**
 * Secrets, hashes and random values. Pure Node crypto; nothing here touches storage.
 *
 * - Passwords: scrypt (memory-hard, slow), self-describing `scrypt$N$r$p$salt$hash`.
 * - Generated passwords (the seeded sandbox users' one, 96 random bits): salted SHA-256,
 *   `sha256$salt$hash`. A slow hash protects guessable passwords; one nobody chose cannot be
 *   guessed (2^96 tries), so it is hashed in microseconds and sandboxes are created in
 *   milliseconds (docs/decisions/0003-fast-path.md).
 * - Client secrets: AES-256-GCM with a server key kept outside the database (so the owner can
 *   see them again), plus HMAC-SHA256 with the same key for verification.
 * - Tokens and codes: random, stored only as SHA-256 so verification is one indexed lookup.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

function scryptAsync(password: string, salt: Buffer, N: number, r: number, p: number, keylen: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, { N, r, p, maxmem: 128 * N * r * 2 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Slow hash for passwords. No truncation (unlike bcrypt's 72 bytes), no trimming. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keylen);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** A stored hash of a password nobody knows: verify against it for unknown users (same timing). */
export const DUMMY_PASSWORD_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(32).toString('base64url')}`;

/** Salted SHA-256 for a generated high-entropy password (never for one a person chose). */
export function hashGeneratedPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = createHash('sha256').update(salt).update(password, 'utf8').digest();
  return `sha256$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length === 3 && parts[0] === 'sha256') {
    const expected = Buffer.from(parts[2] as string, 'base64url');
    const actual = createHash('sha256')
      .update(Buffer.from(parts[1] as string, 'base64url'))
      .update(password, 'utf8')
      .digest();
    return expected.length === actual.length && timingSafeEqual(actual, expected);
  }
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p), expected.length);
  return timingSafeEqual(key, expected);
}

/** Constant-time string comparison that does not throw on a length mismatch. */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** 43-character URL-safe random string (256 bits), Procore's current credential format. */
export function randomCredential(): string {
  return randomBytes(32).toString('base64url');
}

/** 64 lowercase hex characters (256 bits), Procore's code and refresh-token format. */
export function randomHex64(): string {
  return randomBytes(32).toString('hex');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** The server key: encrypts client secrets and keys their verification hashes. */
export class SecretBox {
  readonly #encKey: Buffer;
  readonly #macKey: Buffer;

  /** `key`: 32 random bytes (kept outside the database). */
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('server key must be 32 bytes');
    this.#encKey = createHmac('sha256', key).update('procore-sandbox:enc').digest();
    this.#macKey = createHmac('sha256', key).update('procore-sandbox:mac').digest();
  }

  static generateKey(): Buffer {
    return randomBytes(32);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#encKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
  }

  decrypt(sealed: string): string {
    const [v, iv, tag, body] = sealed.split('.');
    if (v !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.#encKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Keyed hash (hex) used to verify a presented secret without decrypting. */
  mac(value: string): string {
    return createHmac('sha256', this.#macKey).update(value).digest('hex');
  }

  /** Constant-time check of a presented secret against its stored keyed hash. */
  verifyMac(presented: string, storedHex: string): boolean {
    const a = Buffer.from(this.mac(presented), 'hex');
    const b = Buffer.from(storedHex, 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
