import type pg from "pg";

/*
 * The sender's writes of `webhook_endpoints` (Prisma's `WebhookEndpoint`, which the web makes and
 * edits through Prisma): the run of failed attempts, and the endpoint disabled at its limit.
 */

// One statement, the row locked by the UPDATE itself, so two senders failing at once both count
// and only the one that crosses the limit reports it. The old row is read in the same statement
// (a self-join on the row being updated sees it as it was).
const RECORD_FAILURE = `
  UPDATE webhook_endpoints e
  SET consecutive_failures = e.consecutive_failures + 1,
      disabled_at = CASE WHEN e.disabled_at IS NULL AND e.consecutive_failures + 1 >= $2 THEN now() ELSE e.disabled_at END,
      disabled_reason = CASE WHEN e.disabled_at IS NULL AND e.consecutive_failures + 1 >= $2 THEN left($3, 1000) ELSE e.disabled_reason END
  FROM webhook_endpoints old
  WHERE e.id = $1 AND old.id = e.id
  RETURNING e.consecutive_failures, old.disabled_at IS NULL AND e.disabled_at IS NOT NULL AS disabled_now`;

// Written only when there is something to reset: most deliveries succeed, and an UPDATE that
// changes nothing still writes a row version.
const RECORD_SUCCESS = "UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = $1 AND consecutive_failures <> 0";

/**
 * Counts one more failed attempt of the endpoint; at `disableAfter` in a row it is disabled, with
 * `reason` kept for the admin. Says how many failed in a row and whether this one disabled it.
 */
export async function recordEndpointFailure(
  pool: pg.Pool,
  endpointId: string,
  { disableAfter, reason }: { disableAfter: number; reason: string },
): Promise<{ failures: number; disabledNow: boolean }> {
  const { rows } = await pool.query<{ consecutive_failures: number; disabled_now: boolean }>(RECORD_FAILURE, [
    endpointId,
    disableAfter,
    reason,
  ]);
  const [row] = rows;
  return { failures: row?.consecutive_failures ?? 0, disabledNow: row?.disabled_now ?? false };
}

/** A delivered attempt ends the endpoint's run of failures. */
export async function recordEndpointSuccess(pool: pg.Pool, endpointId: string): Promise<void> {
  await pool.query(RECORD_SUCCESS, [endpointId]);
}
