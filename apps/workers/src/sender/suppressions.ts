import type pg from "pg";

/*
 * The sender's record of an SMTP relay's refusal, in plain SQL (its claim reads `suppressions`:
 * notification-logs.ts). The rules (the event once, the status order, when an address is
 * suppressed) are the database's `record_notification_event`, which the web calls for Resend's
 * webhooks too.
 */

const RECORD_BOUNCE = `
  SELECT record_notification_event('smtp', $1, NULL, $2, 'bounced', true, $3, now(), $4, NULL) AS outcome`;

/**
 * Records the relay's permanent refusal as a hard bounce on the email's timeline (its event id names
 * the email and the attempt, so a repeated record of one attempt counts once) and suppresses the address.
 */
export async function recordHardBounce(
  pool: pg.Pool,
  bounce: { notificationId: string; attempt: number; address: string; detail: string },
): Promise<string> {
  const eventId = `smtp/${bounce.notificationId}/${bounce.attempt}`;
  const { rows } = await pool.query<{ outcome: string }>(RECORD_BOUNCE, [
    eventId,
    bounce.notificationId,
    bounce.detail,
    bounce.address,
  ]);
  return rows[0]?.outcome ?? "recorded";
}
