import { EmailSendV1, createEnvelope, type NotificationStatus, type SendAgainAccepted } from "@userstream/contracts";
import type { PrismaClient } from "@userstream/db";
import type { Publisher } from "@userstream/messaging";
import { logAction, type AuditDeps } from "../audit-log";
import { findRegistrationWithWelcome } from "../registration-service";
import { DEFAULT_SEND_AGAIN_LIMITS, checkSendAgainLimits, type SendAgainLimits } from "./send-again-limits";

/** Why an email cannot be sent again at all (as opposed to "not yet": SendAgainRefusedError). */
export type SendAgainImpossibility = "not-ready" | "in-progress" | "confirmed" | "undeliverable";

const IMPOSSIBLE: Record<SendAgainImpossibility, string> = {
  "not-ready": "Your registration is still being processed. Once the welcome email has left, you can ask for it again.",
  "in-progress": "The welcome email is being sent right now. Please check your mailbox in a moment.",
  confirmed: "This address is already confirmed, so the welcome email is not sent again.",
  undeliverable:
    "This address refused our email (it bounced or was reported as spam), so we do not send to it again. " +
    "Contact us if that was a mistake.",
};

export class SendAgainImpossibleError extends Error {
  constructor(readonly reason: SendAgainImpossibility) {
    super(IMPOSSIBLE[reason]);
    this.name = "SendAgainImpossibleError";
  }
}

/** Statuses of a welcome email that may be sent again: it left once, or failed to. */
const SENDABLE_AGAIN: NotificationStatus[] = ["sent", "delivered", "failed", "dead"];
/** Refused for good: the address said no, and the suppression list will keep saying so. */
const UNDELIVERABLE: NotificationStatus[] = ["bounced", "complained", "suppressed"];

export interface SendAgainDeps extends AuditDeps {
  db: PrismaClient;
  publisher: Pick<Publisher, "publish">;
  /** The requester's client address as every per-client limit counts it (`clientLimitKey`). */
  clientKey: string;
  limits?: SendAgainLimits;
  /** The clock, for tests: the limits' windows and the request's time. */
  now?: Date;
}

/**
 * "Send the email again", asked from the registration's page (or its REST route): queues the
 * registration's welcome email again, within the send-again limits (per address and per client
 * address, counted in `email_send_requests`); throws SendAgainRefusedError over a limit (saying
 * when to try again) and SendAgainImpossibleError when it cannot be sent again at all (not sent
 * once yet, being sent, the address confirmed, or refusing our email). Both change nothing.
 *
 * A registration for an address already known is answered exactly as a new one, and limited the
 * same way (per registration instead of per address), but nothing is sent: a known address gets
 * no email from a stranger's registration, and the answers never tell it is known.
 */
export async function sendWelcomeAgain(registrationId: string, deps: SendAgainDeps): Promise<SendAgainAccepted> {
  const { db, clientKey } = deps;
  const limits = deps.limits ?? DEFAULT_SEND_AGAIN_LIMITS;
  const now = deps.now ?? new Date();
  const registration = await findRegistrationWithWelcome(registrationId, db);
  if (!registration) throw new SendAgainImpossibleError("not-ready");
  const client = { scope: "client", where: { clientKey } } as const;

  if (registration.outcome === "duplicate") {
    await db.$transaction(async (tx) => {
      await checkSendAgainLimits(tx, [{ scope: "address", where: { registrationId } }, client], limits, now);
      await tx.emailSendRequest.create({ data: { registrationId, requestedBy: "registrant", clientKey, createdAt: now } });
    });
    return { registrationId, outcome: "queued" };
  }

  const welcome = registration.user?.notificationLogs[0];
  if (!registration.user || !welcome) throw new SendAgainImpossibleError("not-ready");
  if (registration.user.emailVerifiedAt) throw new SendAgainImpossibleError("confirmed");
  if (UNDELIVERABLE.includes(welcome.status)) throw new SendAgainImpossibleError("undeliverable");
  if (!SENDABLE_AGAIN.includes(welcome.status)) throw new SendAgainImpossibleError("in-progress");

  const notificationId = welcome.id;
  const request = await db.$transaction(async (tx) => {
    // Conditional on the status read above: of two requests racing, one moves it and the other is told it is on its way.
    const { count } = await tx.notificationLog.updateMany({
      where: { id: notificationId, status: welcome.status, userId: { not: null } },
      data: { status: "queued", leaseExpiresAt: null, resends: { increment: 1 } },
    });
    if (count === 0) throw new SendAgainImpossibleError("in-progress");
    await checkSendAgainLimits(tx, [{ scope: "address", where: { notificationId } }, client], limits, now);
    return tx.emailSendRequest.create({
      data: { notificationId, registrationId, requestedBy: "registrant", clientKey, createdAt: now },
    });
  });

  const envelope = createEnvelope(EmailSendV1, { notificationId, kind: "welcome" as const, registrationId });
  try {
    await deps.publisher.publish(EmailSendV1, envelope);
  } catch (error) {
    // Not queued after all: as it was, and not counted against anyone's limit.
    await db.$transaction([
      db.notificationLog.updateMany({ where: { id: notificationId, status: "queued" }, data: { status: welcome.status } }),
      db.emailSendRequest.delete({ where: { id: request.id } }),
    ]);
    throw error;
  }
  logAction(deps, "welcome email sent again", { notificationId, registrationId, by: "registrant", clientAddress: clientKey });
  return { registrationId, outcome: "queued" };
}
