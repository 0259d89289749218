import type { PrismaClient } from "@userstream/db";

/** Limits on failed sign-ins, counted in PostgreSQL so that every web instance shares them. */
export interface SignInThrottleConfig {
  /** Failures within the window that lock an account (the email typed, whether an account or not). */
  maxFailuresPerAccount: number;
  /** Failures within the window that lock a client address, whatever emails it tried. */
  maxFailuresPerAddress: number;
  windowMs: number;
  lockoutMs: number;
}

interface ThrottleKey {
  key: string;
  max: number;
}

/** The counters one sign-in attempt touches: its account (email as typed, normalised) and its address. */
export function throttleKeys(email: string, address: string, config: SignInThrottleConfig): ThrottleKey[] {
  return [
    { key: `account:${email.trim().toLowerCase().slice(0, 254)}`, max: config.maxFailuresPerAccount },
    { key: `address:${address.slice(0, 45)}`, max: config.maxFailuresPerAddress },
  ];
}

/** Until when any of the keys is locked, or null when none is. */
export async function lockedUntil(db: PrismaClient, keys: ThrottleKey[], now: Date): Promise<Date | null> {
  const locked = await db.signInThrottle.findFirst({
    where: { key: { in: keys.map((k) => k.key) }, lockedUntil: { gt: now } },
    orderBy: { lockedUntil: "desc" },
    select: { lockedUntil: true },
  });
  return locked?.lockedUntil ?? null;
}

/**
 * Counts one failure against each key, atomically (one statement per key, so concurrent failures
 * on several instances are all counted). A key whose window has passed starts a new one; the
 * failure that reaches the key's maximum locks it for the lock-out time. Finished rows are removed.
 */
export async function recordFailure(db: PrismaClient, keys: ThrottleKey[], config: SignInThrottleConfig, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - config.windowMs);
  const lockUntil = new Date(now.getTime() + config.lockoutMs);
  for (const { key, max } of keys) {
    await db.$executeRaw`
      INSERT INTO sign_in_throttles AS t (key, failures, window_started_at, locked_until)
      VALUES (${key}, 1, ${now}, CASE WHEN 1 >= ${max} THEN ${lockUntil}::timestamptz END)
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN t.window_started_at <= ${windowStart} THEN 1 ELSE t.failures + 1 END,
        window_started_at = CASE WHEN t.window_started_at <= ${windowStart} THEN ${now} ELSE t.window_started_at END,
        locked_until = CASE
          WHEN (CASE WHEN t.window_started_at <= ${windowStart} THEN 1 ELSE t.failures + 1 END) >= ${max} THEN ${lockUntil}::timestamptz
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
