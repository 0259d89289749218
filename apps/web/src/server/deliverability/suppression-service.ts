import type { NotificationEventType, SuppressionReason } from "@userstream/contracts";
import type { PrismaClient } from "@userstream/db";

/** One entry of the suppression list as the admin page shows it, with the event that put it there. */
export interface SuppressionRow {
  address: string;
  reason: SuppressionReason;
  createdAt: Date;
  sourceEvent: {
    id: string;
    provider: string;
    type: NotificationEventType;
    detail: string | null;
    occurredAt: Date;
    notificationId: string | null;
  } | null;
}

/** Entries a page shows at most, newest first. */
export const SUPPRESSIONS_PAGE_SIZE = 100;

export interface SuppressionDeps {
  db: Pick<PrismaClient, "suppression" | "$transaction">;
}

/** The suppression list, newest first, optionally only addresses containing `search` (case-insensitive). */
export async function listSuppressions(search: string | undefined, { db }: SuppressionDeps): Promise<SuppressionRow[]> {
  return db.suppression.findMany({
    where: search ? { address: { contains: search.toLowerCase() } } : {},
    orderBy: [{ createdAt: "desc" }, { address: "asc" }],
    take: SUPPRESSIONS_PAGE_SIZE,
    select: {
      address: true,
      reason: true,
      createdAt: true,
      sourceEvent: { select: { id: true, provider: true, type: true, detail: true, occurredAt: true, notificationId: true } },
    },
  });
}

/**
 * Takes an address off the list, so it receives email again: in one transaction the entry is
 * deleted and recorded in `suppression_removals` with who removed it and why (soft bounces count
 * again from then on). Null when the address is not on the list (a second click, another admin).
 */
export async function removeSuppression(address: string, removalReason: string, adminEmail: string, { db }: SuppressionDeps) {
  return db.$transaction(async (tx) => {
    const entry = await tx.suppression.findUnique({ where: { address } });
    if (!entry) return null;
    const { count } = await tx.suppression.deleteMany({ where: { address } });
    if (count === 0) return null;
    return tx.suppressionRemoval.create({
      data: {
        address,
        reason: entry.reason,
        sourceEventId: entry.sourceEventId,
        suppressedAt: entry.createdAt,
        removalReason,
        adminEmail,
      },
    });
  });
}
