/**
 * The wait before retry number `attempt` (1 for the first) of something that keeps failing:
 * `baseMs`, doubled on each attempt, at most `maxMs`.
 */
export function exponentialDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** `ms` spread at random by ±20%, so that many processes failing together do not all retry in step. */
export function withJitter(ms: number): number {
  return Math.round(ms * (0.8 + Math.random() * 0.4));
}
