import type { NotificationsReportFilters, ReportRequest, UsersReportFilters } from "@userstream/contracts";
import type { Prisma } from "@userstream/db";
import type { Cell } from "./csv";

type Reader = Prisma.TransactionClient;
interface Keyset {
  createdAt: Date;
  id: string;
}

/** Rows after `cursor` in (created_at, id) order: one index range scan per batch, never OFFSET. */
function after(cursor: Keyset | undefined) {
  return cursor ? { OR: [{ createdAt: { gt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { gt: cursor.id } }] } : {};
}

function dayAfter(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000);
}

function usersWhere(filters: UsersReportFilters): Prisma.UserWhereInput {
  return {
    ...(filters.registeredFrom || filters.registeredTo
      ? {
          createdAt: {
            ...(filters.registeredFrom ? { gte: new Date(`${filters.registeredFrom}T00:00:00Z`) } : {}),
            ...(filters.registeredTo ? { lt: dayAfter(filters.registeredTo) } : {}),
          },
        }
      : {}),
    ...(filters.verifiedOnly ? { emailVerifiedAt: { not: null } } : {}),
  };
}

async function* usersRows(db: Reader, filters: UsersReportFilters, batchSize: number): AsyncGenerator<Cell[][]> {
  const where = usersWhere(filters);
  let cursor: Keyset | undefined;
  for (;;) {
    const batch = await db.user.findMany({
      where: { AND: [where, after(cursor)] },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: batchSize,
      select: { id: true, firstName: true, lastName: true, email: true, emailVerifiedAt: true, createdAt: true },
    });
    if (batch.length === 0) return;
    yield batch.map((u) => [u.id, u.firstName, u.lastName, u.email, u.emailVerifiedAt !== null, u.createdAt]);
    cursor = batch.at(-1);
    if (batch.length < batchSize) return;
  }
}

async function* notificationsRows(db: Reader, filters: NotificationsReportFilters, batchSize: number): AsyncGenerator<Cell[][]> {
  let cursor: Keyset | undefined;
  for (;;) {
    const batch = await db.notificationLog.findMany({
      where: { AND: [filters.status ? { status: filters.status } : {}, after(cursor)] },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: batchSize,
      include: { user: { select: { email: true } } },
    });
    if (batch.length === 0) return;
    yield batch.map((n) => [
      n.id, n.userId, n.user?.email ?? null, n.kind, n.status, n.attempts, n.provider,
      n.providerMessageId, n.lastError, n.sentAt, n.createdAt,
    ]);
    cursor = batch.at(-1);
    if (batch.length < batchSize) return;
  }
}

export const REPORT_HEADERS = {
  users: ["id", "first_name", "last_name", "email", "verified", "registered_at"],
  notifications: ["id", "user_id", "email", "kind", "status", "attempts", "provider", "provider_message_id", "last_error", "sent_at", "created_at"],
} as const;

/** The rows of a report, in batches, read with keyset pagination. */
export function reportRows(db: Reader, request: ReportRequest, batchSize: number): AsyncGenerator<Cell[][]> {
  return request.kind === "users" ? usersRows(db, request.filters, batchSize) : notificationsRows(db, request.filters, batchSize);
}
