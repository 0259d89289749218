/** What a rate limiter says about one more request. */
export interface RateDecision {
  allowed: boolean;
  /** When refused: milliseconds until the key's window ends. */
  retryAfterMs: number;
}

/**
 * Counts one more request for `key` and says whether it is allowed: in this process's memory
 * (`createRateLimiter`) or in PostgreSQL, shared by every replica (`createSharedRateLimiter`).
 */
export interface RateLimiter {
  take(key: string): RateDecision | Promise<RateDecision>;
}

/**
 * At most `max` requests per key in each fixed window of `windowMs`, counted in this process's
 * memory: with several web instances each counts its own share. At most `maxKeys` keys are kept;
 * beyond that, finished windows are dropped first, then the oldest keys.
 */
export function createRateLimiter(options: { max: number; windowMs: number; maxKeys?: number }): {
  take(key: string, now?: number): RateDecision;
} {
  const maxKeys = options.maxKeys ?? 100_000;
  const windows = new Map<string, { startedAt: number; count: number }>();

  function makeRoom(now: number) {
    for (const [key, window] of windows) {
      if (now - window.startedAt >= options.windowMs) windows.delete(key);
    }
    for (const key of windows.keys()) {
      if (windows.size < maxKeys) break;
      windows.delete(key);
    }
  }

  return {
    take(key, now = Date.now()) {
      let window = windows.get(key);
      if (!window || now - window.startedAt >= options.windowMs) {
        if (!window && windows.size >= maxKeys) makeRoom(now);
        window = { startedAt: now, count: 0 };
        windows.set(key, window);
      }
      if (window.count >= options.max) return { allowed: false, retryAfterMs: window.startedAt + options.windowMs - now };
      window.count++;
      return { allowed: true, retryAfterMs: 0 };
    },
  };
}

/** The cause of a refusal by a rate limiter: how long until the client may try again. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`rate limited for ${retryAfterMs} ms`);
    this.name = "RateLimitedError";
  }
}

/** A `Retry-After` header (whole seconds) when one of the errors is a rate limit's refusal. */
export function retryAfterHeaders(errors: readonly { cause?: unknown }[]): Record<string, string> {
  const limited = errors.map((error) => error.cause).find((cause) => cause instanceof RateLimitedError);
  return limited ? { "retry-after": String(Math.max(1, Math.ceil(limited.retryAfterMs / 1000))) } : {};
}
