import type pg from "pg";
import { withConnection } from "@userstream/db/pool";
import { claimParams } from "../leases";

/*
 * The sender's reads and writes of `webhook_deliveries` (Prisma's `WebhookDelivery`, which the web
 * reads and replays through Prisma), in plain SQL through `pg`. Rows are made by the database's
 * emit_webhook_event, in the transaction of the event itself; `updated_at` is the trigger's.
 */

/** A delivery claimed for one attempt: the event, and the endpoint it goes to. */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  eventType: string;
  data: unknown;
  occurredAt: Date;
  /** This attempt included. */
  attempts: number;
  endpoint: { id: string; url: string; secretCiphertext: string; disabled: boolean };
}

/** A status a delivery that did not succeed is left in: `queued` to be retried, or for good. */
export type UndeliveredStatus = "queued" | "failed" | "dead";

// The claim and its endpoint in one statement, as for emails (notification-logs.ts): only one sender
// sends a delivery at a time; one still `sending` after its lease was left by a sender that died.
// `pending` is claimed too: the relay's message can arrive before the relay commits `queued`, and
// an UPDATE skips, without waiting, a row whose committed state does not match; matching `pending`,
// it waits for the relay's lock and then sees `queued`. (A pending row with a message already
// published, after a replay, is wanted as well.)
const CLAIM = `
  WITH claimed AS (
    UPDATE webhook_deliveries
    SET status = 'sending', attempts = attempts + 1, lease_expires_at = $3
    WHERE id = $1 AND (status IN ('pending', 'queued') OR (status = 'sending' AND lease_expires_at < $2))
    RETURNING id, endpoint_id, event_id, event_type, data, occurred_at, attempts
  )
  SELECT c.*, e.url, e.secret_ciphertext, e.disabled_at IS NOT NULL AS disabled
  FROM claimed c JOIN webhook_endpoints e ON e.id = c.endpoint_id`;

const RECORD_DELIVERED = `
  UPDATE webhook_deliveries
  SET status = 'delivered', last_status_code = $2, last_error = NULL, delivered_at = now(), lease_expires_at = NULL
  WHERE id = $1`;

const RECORD_UNDELIVERED = `
  UPDATE webhook_deliveries
  SET status = $2, last_status_code = $3, last_error = left($4, 1000), lease_expires_at = NULL
  WHERE id = $1`;

// The outbox relay's pick: rows locked until its transaction ends, so two senders' relays never
// publish the same rows at once, and a sender claiming one of them waits for the commit.
const PICK_PENDING = `
  SELECT id FROM webhook_deliveries WHERE status = 'pending'
  ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`;

const MARK_QUEUED = "UPDATE webhook_deliveries SET status = 'queued' WHERE id = ANY($1::uuid[])";

/** Claims a delivery for one attempt (queued → sending, with a lease); undefined when it is not there to claim. */
export async function claimDelivery(pool: pg.Pool, id: string, leaseMs: number): Promise<ClaimedDelivery | undefined> {
  type Row = {
    id: string;
    endpoint_id: string;
    event_id: string;
    event_type: string;
    data: unknown;
    occurred_at: Date;
    attempts: number;
    url: string;
    secret_ciphertext: string;
    disabled: boolean;
  };
  const { rows } = await pool.query<Row>(CLAIM, claimParams(id, leaseMs));
  const [row] = rows;
  return (
    row && {
      id: row.id,
      eventId: row.event_id,
      eventType: row.event_type,
      data: row.data,
      occurredAt: row.occurred_at,
      attempts: row.attempts,
      endpoint: { id: row.endpoint_id, url: row.url, secretCiphertext: row.secret_ciphertext, disabled: row.disabled },
    }
  );
}

/** Records a delivery the endpoint accepted (a 2xx answer). */
export async function recordDelivered(pool: pg.Pool, id: string, statusCode: number): Promise<void> {
  await pool.query(RECORD_DELIVERED, [id, statusCode]);
}

/** An attempt that failed: the status the delivery goes to, the answer's code if one came, and why. */
export interface FailedDelivery {
  status: UndeliveredStatus;
  statusCode?: number;
  error: string;
}

/** Records an attempt that failed. */
export async function recordUndelivered(pool: pg.Pool, id: string, failure: FailedDelivery): Promise<void> {
  await pool.query(RECORD_UNDELIVERED, [id, failure.status, failure.statusCode ?? null, failure.error]);
}

/**
 * The outbox relay's step: takes up to `limit` pending deliveries, hands their ids to `publish`
 * (which resolves once the broker confirmed them all) and marks them queued, in one transaction.
 * If publishing fails nothing is marked, and the next step publishes them again; a message
 * published twice is claimed once. Resolves with the number published.
 */
export async function relayPending(pool: pg.Pool, limit: number, publish: (ids: string[]) => Promise<void>): Promise<number> {
  return withConnection(pool, async (client) => {
    await client.query("BEGIN");
    const { rows } = await client.query<{ id: string }>(PICK_PENDING, [limit]);
    const ids = rows.map((row) => row.id);
    if (ids.length > 0) {
      await publish(ids);
      await client.query(MARK_QUEUED, [ids]);
    }
    await client.query("COMMIT");
    return ids.length;
  });
}
