import {
  RegistrationInputSchema,
  UserRegistrationV1,
  createEnvelope,
  type NotificationStatus,
  type RegistrationAccepted,
  type RegistrationProgress,
  type RegistrationStatus,
} from "@userstream/contracts";
import type { PrismaClient } from "@userstream/db";
import type { Publisher } from "@userstream/messaging";
import type { Logger } from "@userstream/runtime";
import { getWebMetrics } from "./metrics";

export interface SubmitRegistrationDeps {
  publisher: Pick<Publisher, "publish">;
  logger?: Pick<Logger, "info">;
}

/**
 * Accepts a registration: validates it with the shared schema (throws the ZodError on bad input,
 * before anything is published), publishes `user.registration` v1 and answers with the new
 * registration id only once the broker has confirmed the persistent message. A broker that is
 * down or does not confirm makes this reject with `PublishError`, never answer "accepted".
 *
 * The registration id doubles as the envelope id, so consumers deduplicate redeliveries by it.
 */
export async function submitRegistration(
  input: unknown,
  { publisher, logger }: SubmitRegistrationDeps,
): Promise<RegistrationAccepted> {
  const registration = RegistrationInputSchema.parse(input);
  const registrationId = crypto.randomUUID();
  const envelope = createEnvelope(UserRegistrationV1, { ...registration, registrationId }, registrationId);
  await publisher.publish(UserRegistrationV1, envelope);
  getWebMetrics().registrationsAccepted.inc();
  // The first line of a registration's trail: the receiver and sender log the same id.
  logger?.info({ registrationId, messageId: envelope.id }, "registration accepted");
  return { registrationId };
}

export interface RegistrationStatusDeps {
  db: Pick<PrismaClient, "registration">;
}

/**
 * A registration with what its progress and "send again" read: its outcome, its user's verification
 * and the user's welcome email (id, status); null when there is no registration row (yet).
 */
export function findRegistrationWithWelcome(registrationId: string, db: RegistrationStatusDeps["db"]) {
  return db.registration.findUnique({
    where: { id: registrationId },
    select: {
      outcome: true,
      user: {
        select: {
          emailVerifiedAt: true,
          notificationLogs: { where: { kind: "welcome" }, select: { id: true, status: true }, take: 1 },
        },
      },
    },
  });
}

/** The public progress of a stored, new registration, from its user's welcome email. */
function progressOfNewUser(
  user: { emailVerifiedAt: Date | null; notificationLogs: { status: NotificationStatus }[] } | null,
): RegistrationStatus {
  const welcome = user?.notificationLogs[0]?.status;
  // Delivered or complained about: it reached the mailbox. Bounced or suppressed: it never will.
  if (welcome === "sent" || welcome === "delivered" || welcome === "complained")
    return user?.emailVerifiedAt ? "email_confirmed" : "email_sent";
  if (welcome === "failed" || welcome === "dead" || welcome === "bounced" || welcome === "suppressed") return "email_failed";
  // No row yet, queued or sending; also a user deleted since (its notification row went too).
  return "stored";
}

/**
 * The progress a registration page shows, in order: `queued` (no registration row yet; also any
 * unknown id), `stored`, `email_sent`, `email_confirmed`, or `email_failed`.
 *
 * A registration for an address that was already known (outcome `duplicate`) reads `email_sent`
 * at once, exactly like a new registration whose welcome email left, although no second email is
 * sent: the answer never tells whether an address has an account. It never becomes
 * `email_confirmed`, since that would tell whether the first registration's link was opened.
 */
export async function getRegistrationStatus(
  registrationId: string,
  { db }: RegistrationStatusDeps,
): Promise<RegistrationProgress> {
  const row = await findRegistrationWithWelcome(registrationId, db);
  if (!row) return { registrationId, status: "queued" };
  if (row.outcome === "duplicate") return { registrationId, status: "email_sent" };
  return { registrationId, status: progressOfNewUser(row.user) };
}
