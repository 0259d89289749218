import type { Pool } from "@userstream/db/pool";
import type { RateDecision, RateLimiter } from "./rate-limiter";

/** A limit counted in PostgreSQL: at most `max` requests per key in each fixed window of `windowMs`. */
export interface SharedLimit {
  /** Which limit counts, unique per limit (e.g. `registration`): the limits share one table. */
  name: string;
  max: number;
  windowMs: number;
}

/** Expired windows one request deletes on its way: more than it can add (one), so the table stays small. */
const EXPIRED_PER_REQUEST = 10;

// $1 the limit's name, $2 the key, $3 the window in milliseconds, $4 the count at which it stops growing (max + 1).
const TAKE = `
  WITH expired AS (
    DELETE FROM rate_limit_windows
    WHERE ctid IN (SELECT ctid FROM rate_limit_windows
                   WHERE expires_at <= now() AND (name, key) <> ($1::varchar, $2::varchar)
                   LIMIT ${EXPIRED_PER_REQUEST} FOR UPDATE SKIP LOCKED)
  )
  INSERT INTO rate_limit_windows AS w (name, key, window_start, expires_at, count)
  VALUES ($1::varchar, $2::varchar, now(), now() + $3::int * interval '1 millisecond', 1)
  ON CONFLICT (name, key) DO UPDATE SET
    count = CASE WHEN w.expires_at <= now() THEN 1 ELSE least(w.count + 1, $4::int) END,
    window_start = CASE WHEN w.expires_at <= now() THEN now() ELSE w.window_start END,
    expires_at = CASE WHEN w.expires_at <= now() THEN excluded.expires_at ELSE w.expires_at END
  RETURNING w.count, ceil(extract(epoch FROM w.expires_at - now()) * 1000)::int AS retry_after_ms`;

/**
 * At most `limit.max` requests per key in each fixed window of `limit.windowMs`, counted in the
 * `rate_limit_windows` table, so that every web and API server replica counts against the same
 * figure: N replicas allow the limit, not N times it. As the in-memory limiter, a key's window
 * begins with its first request (so a client gets its whole allowance, whenever it comes) and the
 * next request after it ends begins the next one.
 *
 * One statement per request, one round trip, no transaction around it, so it works the same
 * through a transaction pooler such as PgBouncer:
 *  - times are the database clock's, so replicas whose clocks differ still agree;
 *  - `INSERT … ON CONFLICT DO UPDATE … RETURNING` counts the request and reads the count at once,
 *    atomically however many replicas count the same key at the same moment (the row lock orders
 *    them); the count stops growing one past the limit;
 *  - a data-modifying CTE deletes up to ten expired windows of other limits and keys on the way
 *    (`SKIP LOCKED`: two requests never wait on each other's clean-up), so no timer is needed.
 *
 * The statement runs on the web's pool directly, not through Prisma's client: it comes with every
 * registration, and through `$queryRaw` it cost the server about 220 µs of CPU against 46 for the
 * same statement on the pool (docs/architecture.md, "One database path per process").
 */
export function createSharedRateLimiter(pool: Pool, limit: SharedLimit): RateLimiter {
  if (!Number.isInteger(limit.max) || limit.max < 1) throw new Error(`${limit.name}: max must be a positive integer`);
  if (!Number.isInteger(limit.windowMs) || limit.windowMs < 1_000)
    throw new Error(`${limit.name}: windowMs must be a whole number of milliseconds, at least 1000`);
  const { name, max, windowMs } = limit;
  return {
    async take(key: string): Promise<RateDecision> {
      const { rows } = await pool.query<{ count: number; retry_after_ms: number }>(TAKE, [name, key, windowMs, max + 1]);
      const [row] = rows;
      if (!row) throw new Error(`${name}: the rate limit's count was not returned`);
      return row.count <= max
        ? { allowed: true, retryAfterMs: 0 }
        : { allowed: false, retryAfterMs: Math.max(0, row.retry_after_ms) };
    },
  };
}
