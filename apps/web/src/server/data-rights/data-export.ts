import type { DataExport } from "@userstream/contracts";
import type { PrismaClient } from "@userstream/db";

type ExportDb = Pick<PrismaClient, "user" | "suppression">;

/**
 * Outgoing webhook deliveries whose event was about this user (`user.registered`,
 * `user.email_confirmed`). Outgoing webhooks are not built yet, so there are none; once they are,
 * their deliveries about the user are read here, and only here.
 */
async function webhookDeliveriesAbout(_userId: string, _db: ExportDb): Promise<DataExport["webhookDeliveries"]> {
  return [];
}

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * Everything held about one user, as the person downloads it: the user row, every registration
 * made with the address, every email sent to them with its timeline of provider events, its
 * "send again" requests and the admins' actions on it (not which admin), the address's suppression
 * entry, and webhook deliveries about them. Null when there is no such user.
 *
 * Left out, as not about this person: the client addresses that asked for a "send again" (whoever
 * clicked, who may be someone else) and the admins' emails. CSV reports already written are files,
 * not records, and go with retention (`REPORT_RETENTION_DAYS`).
 */
export async function exportUserData(userId: string, db: ExportDb, now = new Date()): Promise<DataExport | null> {
  const user = await db.user.findUnique({
    where: { id: userId },
    include: {
      registrations: { orderBy: { receivedAt: "asc" }, select: { id: true, outcome: true, receivedAt: true } },
      notificationLogs: {
        orderBy: { createdAt: "asc" },
        include: {
          events: { orderBy: [{ occurredAt: "asc" }, { receivedAt: "asc" }] },
          sendRequests: { orderBy: { createdAt: "asc" }, select: { requestedBy: true, createdAt: true } },
          actions: { orderBy: { createdAt: "asc" }, select: { action: true, createdAt: true } },
        },
      },
    },
  });
  if (!user) return null;
  const suppression = await db.suppression.findUnique({ where: { address: user.email } });
  return {
    exportedAt: iso(now),
    user: {
      id: user.id,
      registrationId: user.registrationId,
      firstName: user.firstName,
      lastName: user.lastName,
      email: user.email,
      emailVerifiedAt: isoOrNull(user.emailVerifiedAt),
      createdAt: iso(user.createdAt),
      updatedAt: iso(user.updatedAt),
    },
    registrations: user.registrations.map((row) => ({ id: row.id, outcome: row.outcome, receivedAt: iso(row.receivedAt) })),
    emails: user.notificationLogs.map((email) => ({
      id: email.id,
      kind: email.kind,
      status: email.status,
      provider: email.provider,
      providerMessageId: email.providerMessageId,
      attempts: email.attempts,
      lastError: email.lastError,
      sentAt: isoOrNull(email.sentAt),
      createdAt: iso(email.createdAt),
      events: email.events.map((event) => ({
        type: event.type,
        provider: event.provider,
        permanent: event.permanent,
        detail: event.detail,
        occurredAt: iso(event.occurredAt),
      })),
      sentAgain: email.sendRequests.map((request) => ({ requestedBy: request.requestedBy, at: iso(request.createdAt) })),
      adminActions: email.actions.map((action) => ({ action: action.action, at: iso(action.createdAt) })),
    })),
    suppression: suppression ? { reason: suppression.reason, since: iso(suppression.createdAt) } : null,
    webhookDeliveries: await webhookDeliveriesAbout(user.id, db),
  };
}
