import type { PrismaClient } from "@userstream/db";

/** Limits on failed sign-ins, counted in PostgreSQL so that every web instance shares them. */
export interface SignInThrottleConfig {
  /** Failures within the window that lock one email typed from one client address (its limit key). */
  maxFailuresPerAccountAndAddress: number;
  /** Failures within the window that lock a client address, whatever emails it tried. */
  maxFailuresPerAddress: number;
  /** Failures of an email within the window, from anywhere, after which its every attempt waits... */
  slowDownAfter: number;
  /** ...this long for each failure from then on... */
  slowDownStepMs: number;
  /** ...but never longer than this. */
  slowDownMaxMs: number;
  windowMs: number;
  lockoutMs: number;
}

/** One counter: `max` failures lock it; null never locks (the account's, which only slows down). */
interface ThrottleKey {
  key: string;
  max: number | null;
}

/** What the counters say about one more attempt. */
export interface ThrottleState {
  /** Until when the attempt's (account, address) pair or its address is locked, or null. */
  lockedUntil: Date | null;
  /** How long the attempt waits before its password is checked (the account's slow-down). */
  delayMs: number;
}

/** `sign_in_throttles.key` is a VARCHAR(300). */
const MAX_KEY_LENGTH = 300;

/** The email as typed, as it is compared and counted: trimmed, lower case, at most 254 characters. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase().slice(0, 254);
}

/**
 * The counters one sign-in attempt touches: the email typed (normalised, whether an account or
 * not) from this address, the address, and the email from anywhere (which only slows down).
 * `address` is the client's limit key (`addressLimitKey`: IPv6 by /64).
 */
export function throttleKeys(email: string, address: string, config: SignInThrottleConfig): ThrottleKey[] {
  const account = normaliseEmail(email);
  const where = address.slice(0, 45);
  return [
    { key: `pair:${where} ${account}`.slice(0, MAX_KEY_LENGTH), max: config.maxFailuresPerAccountAndAddress },
    { key: `address:${where}`, max: config.maxFailuresPerAddress },
    { key: `account:${account}`, max: null },
  ];
}

/**
 * The slow-down for an account with `failures` failures in the window: none below
 * `slowDownAfter`, then one step more for each failure, capped, so that no one can make an
 * attempt wait longer than `slowDownMaxMs`.
 */
function slowDownMs(failures: number, config: SignInThrottleConfig): number {
  if (failures < config.slowDownAfter) return 0;
  return Math.min(config.slowDownMaxMs, (failures - config.slowDownAfter + 1) * config.slowDownStepMs);
}

/** Reads the attempt's counters in one query: whether it is locked out, and how long it must wait. */
export async function throttleState(
  db: PrismaClient,
  keys: ThrottleKey[],
  config: SignInThrottleConfig,
  now: Date,
): Promise<ThrottleState> {
  const rows = await db.signInThrottle.findMany({ where: { key: { in: keys.map((k) => k.key) } } });
  const windowStart = now.getTime() - config.windowMs;
  let lockedUntil: Date | null = null;
  let accountFailures = 0;
  for (const row of rows) {
    const { max } = keys.find((k) => k.key === row.key) ?? { max: null };
    // Only counters that can lock are read for a lock: an account's row never holds one.
    if (max !== null && row.lockedUntil && row.lockedUntil > now && (!lockedUntil || row.lockedUntil > lockedUntil))
      lockedUntil = row.lockedUntil;
    if (max === null && row.windowStartedAt.getTime() > windowStart) accountFailures = row.failures;
  }
  return { lockedUntil, delayMs: slowDownMs(accountFailures, config) };
}

/**
 * Counts one failure against each key, atomically (one statement per key, so concurrent failures
 * on several instances are all counted). A key whose window has passed starts a new one; the
 * failure that reaches the key's maximum locks it for the lock-out time. Finished rows are removed.
 */
export async function recordFailure(
  db: PrismaClient,
  keys: ThrottleKey[],
  config: SignInThrottleConfig,
  now: Date,
): Promise<void> {
  const windowStart = new Date(now.getTime() - config.windowMs);
  const lockUntil = new Date(now.getTime() + config.lockoutMs);
  for (const { key, max } of keys) {
    // A null maximum compares as unknown, so such a key is never locked.
    await db.$executeRaw`
      INSERT INTO sign_in_throttles AS t (key, failures, window_started_at, locked_until)
      VALUES (${key}, 1, ${now}, CASE WHEN 1 >= ${max}::int THEN ${lockUntil}::timestamptz END)
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN t.window_started_at <= ${windowStart} THEN 1 ELSE t.failures + 1 END,
        window_started_at = CASE WHEN t.window_started_at <= ${windowStart} THEN ${now} ELSE t.window_started_at END,
        locked_until = CASE
          WHEN (CASE WHEN t.window_started_at <= ${windowStart} THEN 1 ELSE t.failures + 1 END) >= ${max}::int THEN ${lockUntil}::timestamptz
          ELSE t.locked_until
        END`;
  }
  await db.signInThrottle.deleteMany({
    where: { windowStartedAt: { lt: windowStart }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
  });
}

/** A successful sign-in clears its keys' counters. */
export async function clearFailures(db: PrismaClient, keys: ThrottleKey[]): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key: { in: keys.map((k) => k.key) } } });
}
