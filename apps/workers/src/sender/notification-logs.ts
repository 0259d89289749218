import type pg from "pg";
import { grouped } from "./grouped";
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

/**
 * A notification claimed for sending: its attempt count (this attempt included), its user, how often
 * it was queued again, and why its address gets no email, if it is on the suppression list.
 */
export interface Claimed {
  attempts: number;
  user: Recipient | null;
  /** Sends asked for after the first (resend, "send again"): part of the send's idempotency key. */
  resends: number;
  suppression: string | null;
}

/** A terminal or retryable status a send that did not happen leaves the row in. */
export type FailedStatus = "queued" | "failed" | "dead" | "bounced" | "suppressed";

// The claims of many emails in one statement, each with its user and the suppression of its
// address, if any (an UPDATE in a CTE joined to both). A statement per email, and three per send,
// were most of the database's work per email (docs/benchmarks.md, "email"); through Prisma's client,
// more still. Addresses are stored trimmed and lower-cased, so the suppression is an index lookup.
const CLAIM = `
  WITH claimed AS (
    UPDATE notification_logs
    SET status = 'sending', attempts = attempts + 1, lease_expires_at = $3
    WHERE id = ANY($1::uuid[]) AND (status = 'queued' OR (status = 'sending' AND lease_expires_at < $2))
    RETURNING id, attempts, user_id, resends
  )
  SELECT c.id, c.attempts, c.resends, u.id AS user_id, u.first_name, u.last_name, u.email, s.reason AS suppression
  FROM claimed c
  LEFT JOIN users u ON u.id = c.user_id
  LEFT JOIN suppressions s ON s.address = lower(btrim(u.email))`;

// The provider is kept when none is given (the user was deleted before any send was tried).
const RECORD_FAILURE = `
  UPDATE notification_logs
  SET status = $2, provider = coalesce($3, provider), last_error = $4, lease_expires_at = NULL
  WHERE id = $1`;

// Many sent emails in one statement, a row of the unnested arrays each.
const RECORD_SENT = `
  UPDATE notification_logs n
  SET status = 'sent', provider = r.provider, provider_message_id = r.provider_message_id, sent_at = r.sent_at,
      last_error = NULL, lease_expires_at = NULL
  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) AS r(id, provider, provider_message_id, sent_at)
  WHERE n.id = r.id`;

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

/** The sender's statements on `notification_logs`, over one pool; see {@link notificationLogs}. */
export interface NotificationLogs {
  /**
   * Claims a notification for sending: queued → sending (or a `sending` row whose lease ran out),
   * one more attempt, a lease until `now + leaseMs`; with its user, or null if the user was deleted.
   * Undefined when the row is not there to claim, or when the same statement claimed it for
   * another caller (a message delivered twice at once): only one of them sends.
   */
  claim(id: string): Promise<Claimed | undefined>;
  /** Records a sent email; the lease ends. */
  recordSent(id: string, sent: SentEmail): Promise<void>;
  /** Records a send that did not happen; the lease ends. */
  recordFailure(id: string, failure: FailedSend): Promise<void>;
}

/** Most emails one claim or one record of sends carries. */
const MAX_GROUP = 100;

/**
 * The statements on `notification_logs` of one sender: claims and records of sent emails made at
 * the same time (the consumer's prefetch) go to PostgreSQL together, a statement for many emails
 * (grouped.ts); a failure, rarer, goes alone.
 */
export function notificationLogs(pool: pg.Pool, leaseMs: number): NotificationLogs {
  type Row = {
    id: string;
    attempts: number;
    resends: number;
    user_id: string | null;
    first_name: string;
    last_name: string;
    email: string;
    suppression: string | null;
  };
  const claim = grouped(async (ids: string[]) => {
    const { rows } = await pool.query<Row>(CLAIM, claimParams(ids, leaseMs));
    const claimed = new Map(rows.map((row) => [row.id, row]));
    return ids.map((given) => {
      const id = given.toLowerCase(); // as PostgreSQL writes a uuid, whatever case a message gave it in
      const row = claimed.get(id);
      claimed.delete(id); // the same id twice in one claim: the first caller has it
      if (!row) return undefined;
      const user =
        row.user_id === null ? null : { id: row.user_id, firstName: row.first_name, lastName: row.last_name, email: row.email };
      return { attempts: row.attempts, user, resends: row.resends, suppression: row.suppression };
    });
  }, MAX_GROUP);

  const recordSent = grouped(async (sent: Array<SentEmail & { id: string }>) => {
    await pool.query(RECORD_SENT, [
      sent.map(({ id }) => id),
      sent.map(({ provider }) => provider),
      sent.map(({ providerMessageId }) => providerMessageId ?? null),
      sent.map(({ sentAt }) => sentAt),
    ]);
    return sent.map(() => undefined);
  }, MAX_GROUP);

  return {
    claim,
    recordSent: (id, sent) => recordSent({ id, ...sent }),
    async recordFailure(id, failure) {
      await pool.query(RECORD_FAILURE, [id, failure.status, failure.provider ?? null, failure.error]);
    },
  };
}
