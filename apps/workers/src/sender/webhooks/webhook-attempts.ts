import type pg from "pg";

/*
 * The sender's record of each HTTP attempt of a webhook delivery in `webhook_attempts` (Prisma's
 * `WebhookAttempt`, which the admin page reads), in plain SQL: one row per attempt made.
 */

const RECORD_ATTEMPT = `
  INSERT INTO webhook_attempts (delivery_id, attempt, status_code, duration_ms, error)
  VALUES ($1, $2, $3, $4, left($5, 1000))`;

/** One attempt: the answer's status code (none when no answer came), how long it took, and what went wrong. */
export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  statusCode?: number;
  durationMs: number;
  error?: string;
}

/** Records one attempt of a delivery. */
export async function recordAttempt(pool: pg.Pool, attempt: AttemptRecord): Promise<void> {
  await pool.query(RECORD_ATTEMPT, [
    attempt.deliveryId,
    attempt.attempt,
    attempt.statusCode ?? null,
    Math.round(attempt.durationMs),
    attempt.error ?? null,
  ]);
}
