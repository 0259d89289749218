import { setTimeout as sleep } from "node:timers/promises";
import type { EmailSendMessage } from "@userstream/contracts";
import { createUserToken, type TokenPurpose } from "@userstream/contracts/user-token";
import type pg from "pg";
import { PermanentError, RetryLaterError, type DeliveryContext } from "@userstream/messaging";
import { withTimeout, type PinoLogger as Logger } from "@userstream/runtime";
import { findLeaseState, untilLeaseEnds } from "./leases";
import type { NotificationLogs } from "./notification-logs";
import { EmailDeliveryError, type EmailProvider, type Mailbox } from "./providers/email-provider";
import { renderWelcomeEmail } from "./render-welcome-email";
import { recordHardBounce } from "./suppressions";

export interface DeliverEmailDeps {
  /** The sender's connections: the lease lookups and bounces (leases.ts, suppressions.ts). */
  pool: pg.Pool;
  /** Its statements on the emails' rows (notification-logs.ts), claims and records grouped. */
  notifications: NotificationLogs;
  provider: EmailProvider;
  from: Mailbox;
  appUrl: string;
  /** Signs both of the email's links (`CONFIRMATION_TOKEN_SECRET`); each token names its purpose. */
  confirmationSecret: string;
  confirmationTtlMs: number;
  /** How long the "manage my registration" link works (`MANAGE_TOKEN_TTL_DAYS`). */
  manageTtlMs: number;
  sendTimeoutMs: number;
  logger: Logger;
  /** How long each send took, for metrics. */
  observeSend?(result: "sent" | "failed", seconds: number): void;
}

/** What became of one `email.send` message. */
export type DeliveryOutcome = "sent" | "failed" | "bounced" | "suppressed" | "already-done";

/** A provider that does not answer in time failed temporarily: the message is retried. */
function providerTimeout(ms: number): () => EmailDeliveryError {
  return () => new EmailDeliveryError(`no answer from the provider within ${ms} ms`, { temporary: true });
}

const RECORD_SENT_FOR_MS = 5 * 60_000;

/**
 * Records a sent email, trying again while the database is away: the email has left, so giving up
 * here would let the message be retried and the email sent a second time. Only a database away
 * for longer than `RECORD_SENT_FOR_MS` (or the process dying meanwhile) leaves that window open.
 */
async function keepTryingToRecord(record: () => Promise<unknown>, logger: Logger, log: object): Promise<void> {
  const deadline = Date.now() + RECORD_SENT_FOR_MS;
  for (let delayMs = 250; ; delayMs = Math.min(delayMs * 2, 5_000)) {
    try {
      await record();
      return;
    } catch (err) {
      if (Date.now() + delayMs > deadline) throw err;
      logger.warn({ ...log, err, delayMs }, "email sent but not recorded yet; trying again");
      await sleep(delayMs);
    }
  }
}

/**
 * Delivers one welcome email, at most once. The notification row is claimed first (queued →
 * sending, with a lease), in one statement, so two senders never both send it; a row still
 * `sending` after its lease was left by a sender that died mid-send, and may be claimed again:
 * the provider's idempotency key (Resend) or the stable Message-ID (SMTP) marks the repeat.
 *
 * Temporary failures put the row back to `queued` and throw, so the message is retried later;
 * on the last attempt the row becomes `dead` and the message is dead-lettered. Permanent
 * failures mark the row `failed` and are not retried; a permanent refusal of the recipient or the
 * message (SMTP 5xx on RCPT TO or DATA) is a hard bounce: `bounced`, on the timeline, and the
 * address suppressed. An address on the suppression list is never sent to: the row is `suppressed`.
 */
export async function deliverEmail(
  message: EmailSendMessage,
  context: DeliveryContext,
  deps: DeliverEmailDeps,
): Promise<DeliveryOutcome> {
  const { pool, notifications, provider, logger } = deps;
  const { notificationId, registrationId } = message.payload;
  const log = { notificationId, registrationId, messageId: message.id, attempt: context.attempt };
  const claimed = await notifications.claim(notificationId);

  if (!claimed) {
    const row = await findLeaseState(pool, "notification_logs", notificationId);
    if (!row) throw new PermanentError(`no notification ${notificationId}`);
    if (row.status !== "sending") {
      logger.info({ ...log, status: row.status }, "email already handled; nothing to do");
      return "already-done";
    }
    // Another sender holds it right now: look again once its lease would have run out.
    throw new RetryLaterError("another sender is sending this email", untilLeaseEnds(row));
  }

  if (!claimed.user) {
    await notifications.recordFailure(notificationId, { status: "failed", error: "the user was deleted" });
    return "failed";
  }

  const { user, suppression } = claimed;
  if (suppression) {
    await notifications.recordFailure(notificationId, {
      status: "suppressed",
      error: `the address is on the suppression list (${suppression})`,
    });
    logger.info({ ...log, reason: suppression }, "welcome email not sent: the address is suppressed");
    return "suppressed";
  }
  const link = (path: string, purpose: TokenPurpose, ttlMs: number) => {
    const token = createUserToken(purpose, user.id, deps.confirmationSecret, ttlMs);
    return new URL(`${path}?token=${encodeURIComponent(token)}`, deps.appUrl).toString();
  };
  const content = renderWelcomeEmail(user, {
    confirmUrl: link("/confirm", "confirm-email", deps.confirmationTtlMs),
    manageUrl: link("/manage", "manage-registration", deps.manageTtlMs),
  });
  let providerMessageId: string | undefined;
  const sendStarted = performance.now();
  const observeSend = (result: "sent" | "failed") => deps.observeSend?.(result, (performance.now() - sendStarted) / 1_000);
  try {
    ({ providerMessageId } = await withTimeout(
      provider.send({
        from: deps.from,
        to: { name: `${user.firstName} ${user.lastName}`, address: user.email },
        ...content,
        // A retry of one send repeats its key; a send asked for again (resend, "send again") gets its own.
        idempotencyKey: claimed.resends > 0 ? `welcome/${notificationId}/${claimed.resends}` : `welcome/${notificationId}`,
      }),
      deps.sendTimeoutMs,
      providerTimeout(deps.sendTimeoutMs),
    ));
    observeSend("sent");
  } catch (err) {
    observeSend("failed");
    const failure =
      err instanceof EmailDeliveryError ? err : new EmailDeliveryError(String(err), { temporary: true, cause: err });
    if (failure.bounced) {
      await recordHardBounce(pool, { notificationId, attempt: claimed.attempts, address: user.email, detail: failure.message });
      await notifications.recordFailure(notificationId, { status: "bounced", provider: provider.name, error: failure.message });
      logger.warn(
        { ...log, provider: provider.name, error: failure.message },
        "welcome email bounced; the address is suppressed",
      );
      return "bounced";
    }
    const retry = failure.temporary && context.retriesLeft > 0;
    const status = !failure.temporary ? "failed" : retry ? "queued" : "dead";
    await notifications.recordFailure(notificationId, { status, provider: provider.name, error: failure.message });
    logger.warn({ ...log, provider: provider.name, status, error: failure.message }, "welcome email not sent");
    if (status === "failed") return "failed";
    if (status === "dead") throw new PermanentError(`gave up after ${claimed.attempts} attempts: ${failure.message}`);
    throw new RetryLaterError(failure.message, failure.retryAfterMs ?? 0, { cause: failure });
  }
  const sentAt = new Date();
  await keepTryingToRecord(
    () => notifications.recordSent(notificationId, { provider: provider.name, providerMessageId, sentAt }),
    logger,
    log,
  );
  logger.info({ ...log, provider: provider.name, providerMessageId }, "welcome email sent");
  return "sent";
}
