import type pg from "pg";
import { claimParams } from "./leases";

/*
 * The sender's reads and writes of `notification_logs` (Prisma's `NotificationLog` model, which the
 * web reads and writes through Prisma), in plain SQL through `pg` (docs/architecture.md, "One
 * database path per process"). `updated_at` is set by the database on every update (the
 * set_updated_at trigger), so no statement here names it.
 */

/** Who the email goes to; null when the user was deleted after registering. */
export interface Recipient {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
}

/** A notification claimed for sending: its attempt count (this attempt included), its user, and how often it was queued again. */
export interface Claimed {
  attempts: number;
  user: Recipient | null;
  /** Sends asked for after the first (resend, "send again"): part of the send's idempotency key. */
  resends: number;
}

/** A terminal or retryable status a send that did not happen leaves the row in. */
export type FailedStatus = "queued" | "failed" | "dead" | "bounced" | "suppressed";

// The claim and its user in one statement (an UPDATE in a CTE joined to the user): Prisma's
// `updateManyAndReturn` with the user took five statements, a transaction around two, and even one
// raw statement through Prisma's client cost more CPU than the statement itself; at hundreds of
// emails a second, that was most of the sender's work (docs/benchmarks.md, "email").
const CLAIM = `
  WITH claimed AS (
    UPDATE notification_logs
    SET status = 'sending', attempts = attempts + 1, lease_expires_at = $3
    WHERE id = $1 AND (status = 'queued' OR (status = 'sending' AND lease_expires_at < $2))
    RETURNING attempts, user_id, resends
  )
  SELECT c.attempts, c.resends, u.id AS user_id, u.first_name, u.last_name, u.email FROM claimed c LEFT JOIN users u ON u.id = c.user_id`;

// The provider is kept when none is given (the user was deleted before any send was tried).
const RECORD_FAILURE = `
  UPDATE notification_logs
  SET status = $2, provider = coalesce($3, provider), last_error = $4, lease_expires_at = NULL
  WHERE id = $1`;

const RECORD_SENT = `
  UPDATE notification_logs
  SET status = 'sent', provider = $2, provider_message_id = $3, sent_at = $4, last_error = NULL, lease_expires_at = NULL
  WHERE id = $1`;

/**
 * Claims a notification for sending, in one statement: queued → sending (or a `sending` row whose
 * lease ran out), one more attempt, a lease until `now + leaseMs`; with its user, or null if the
 * user was deleted. Undefined when the row is not there to claim.
 */
export async function claimNotification(pool: pg.Pool, id: string, leaseMs: number): Promise<Claimed | undefined> {
  type Row = { attempts: number; resends: number; user_id: string | null; first_name: string; last_name: string; email: string };
  const { rows } = await pool.query<Row>(CLAIM, claimParams(id, leaseMs));
  const [row] = rows;
  if (!row) return undefined;
  const user =
    row.user_id === null ? null : { id: row.user_id, firstName: row.first_name, lastName: row.last_name, email: row.email };
  return { attempts: row.attempts, user, resends: row.resends };
}

/** A send that did not happen: the status it leaves, the error and, when one was tried, the provider. */
export interface FailedSend {
  status: FailedStatus;
  provider?: string;
  error: string;
}

/** A sent email: the provider, its message id and the time. */
export interface SentEmail {
  provider: string;
  providerMessageId?: string;
  sentAt: Date;
}

/** Records a send that did not happen; the lease ends. */
export async function recordFailure(pool: pg.Pool, id: string, failure: FailedSend): Promise<void> {
  await pool.query(RECORD_FAILURE, [id, failure.status, failure.provider ?? null, failure.error]);
}

/** Records a sent email; the lease ends. */
export async function recordSent(pool: pg.Pool, id: string, sent: SentEmail): Promise<void> {
  await pool.query(RECORD_SENT, [id, sent.provider, sent.providerMessageId ?? null, sent.sentAt]);
}
