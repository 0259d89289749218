import { z } from "zod";

/** Waits before each retry of a failed message when RETRY_DELAYS_MS is unset. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000];

/** Deliveries after which the broker itself dead-letters a message (a guard against crash loops). */
export const DELIVERY_LIMIT = 20;

/**
 * How the failed messages of a queue are retried. Each delay is one delay queue
 * (`<queue>.retry.<n>`), so the consumers that retry, the topology that declares the delay queues
 * and the web's pipeline view that lists them must agree: each builds it with {@link retryPolicy}
 * from the same RETRY_DELAYS_MS ({@link RetryDelaysMsSchema}). Every queue follows the one policy.
 */
export interface RetryPolicy {
  /** The wait before each retry, in milliseconds; one delay queue per entry. */
  readonly delaysMs: readonly number[];
  /** Runs of the handler before a failing message is dead-lettered: the first, then one per delay. */
  readonly attempts: number;
  /** Deliveries after which the broker dead-letters a message, whatever the handler did. */
  readonly deliveryLimit: number;
}

/** The policy for the given delays (the defaults when none are given). */
export function retryPolicy(delaysMs: readonly number[] = DEFAULT_RETRY_DELAYS_MS): RetryPolicy {
  return { delaysMs, attempts: delaysMs.length + 1, deliveryLimit: DELIVERY_LIMIT };
}

export const DEFAULT_RETRY_POLICY = retryPolicy();

/** The wait before the retry that follows failed attempt `attempt` (1 for the first), or undefined when none is left. */
export function retryDelayAfter(policy: RetryPolicy, attempt: number): number | undefined {
  return policy.delaysMs[attempt - 1];
}

/**
 * `RETRY_DELAYS_MS` as every process reads it (the workers that retry, the web that declares the
 * topology and shows it): milliseconds, comma-separated, the defaults when unset.
 */
export const RetryDelaysMsSchema = z
  .string()
  .regex(/^\d+(,\d+)*$/, "must be comma-separated milliseconds, e.g. 1000,5000,30000")
  .default(DEFAULT_RETRY_DELAYS_MS.join(","))
  .transform((value) => value.split(",").map(Number));
