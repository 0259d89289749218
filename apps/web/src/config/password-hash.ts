/**
 * Admin password hashing with scrypt (node:crypto), stored as `scrypt:<N>:<r>:<p>:<salt>:<hash>`
 * (salt and hash in base64url). Colons rather than the usual `$`: the hash lives in `.env` files,
 * which bash, dotenv-expand and docker compose would each try to expand at a `$`.
 *
 * This module imports nothing but node:crypto, because `scripts/hash-password.mjs` loads it
 * straight from source (Node 20 cannot run TypeScript, and the web has no TS runner).
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * OWASP's scrypt alternative to N=2^17: N=2^15, r=8, p=3. Same work, but 32 MiB per hash instead
 * of 128 MiB, which matters while sign-in has no rate limit yet.
 */
export const DEFAULT_SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 3 } as const;

const PREFIX = "scrypt";
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Cost caps for a configured hash, so a bad value cannot make every sign-in take gigabytes or minutes. */
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;
const MAX_P = 16;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

interface ParsedHash extends ScryptParams {
  salt: Buffer;
  hash: Buffer;
}

function derive(password: string, salt: Buffer, params: ScryptParams, keyLength: number): Promise<Buffer> {
  // scrypt needs about 128·N·r bytes; Node's default limit (32 MiB) would refuse the default cost.
  const options: ScryptOptions = { ...params, maxmem: 2 * MAX_MEMORY_BYTES };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hashes a password with a fresh random salt. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, params, KEY_BYTES);
  return [PREFIX, params.N, params.r, params.p, salt.toString("base64url"), hash.toString("base64url")].join(":");
}

const isPowerOfTwo = (n: number) => n > 1 && (n & (n - 1)) === 0;

/** Reads a stored hash; null when it is not one this module wrote (or its cost is out of bounds). */
export function parsePasswordHash(stored: string): ParsedHash | null {
  const parts = stored.trim().split(":");
  if (parts.length !== 6 || parts[0] !== PREFIX) return null;
  const [N, r, p] = parts.slice(1, 4).map((part) => (/^[0-9]{1,8}$/.test(part) ? Number(part) : NaN)) as [number, number, number];
  if (!isPowerOfTwo(N) || !(r >= 1) || !(p >= 1 && p <= MAX_P) || 128 * N * r > MAX_MEMORY_BYTES) return null;
  const [salt, hash] = parts.slice(4).map((part) => (/^[A-Za-z0-9_-]+$/.test(part) ? Buffer.from(part, "base64url") : null));
  if (!salt || !hash || salt.length < 8 || hash.length < 16) return null;
  return { N, r, p, salt, hash };
}

/** True when `password` matches `stored`; compares in constant time. A malformed hash matches nothing. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (!parsed) return false;
  const candidate = await derive(password, parsed.salt, parsed, parsed.hash.length);
  return timingSafeEqual(candidate, parsed.hash);
}
