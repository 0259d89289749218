import { EmailSendV1, QUEUES, createEnvelope, type NotificationEventType, type NotificationStatus } from "@userstream/contracts";
import type { Prisma, PrismaClient } from "@userstream/db";
import type { Publisher } from "@userstream/messaging";
import type { EmailLogFilters } from "~/lib/email-log-input";
import { DEFAULT_SEND_AGAIN_LIMITS, checkSendAgainLimits, type SendAgainLimits } from "../send-again/send-again-limits";
import { InvalidCursorError, USER_SORTS, decodeUserCursor, encodeUserCursor, rowsAfter, type SortKey } from "../user-cursor";

/** One row of the delivery log as the admin page shows it. */
export interface EmailLogRow {
  id: string;
  kind: string;
  status: NotificationStatus;
  /** The recipient; null once the user was deleted. */
  email: string | null;
  provider: string | null;
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** The latest resend or replay, if any. */
  lastAction: { action: "resend" | "replay"; adminEmail: string; createdAt: Date } | null;
  /** What the provider reported after taking it, oldest first (the first `TIMELINE_EVENTS`). */
  events: { type: NotificationEventType; provider: string; permanent: boolean | null; detail: string | null; occurredAt: Date }[];
}

/** Events shown per email: a welcome email has a handful; a longer timeline is cut here. */
const TIMELINE_EVENTS = 20;

export interface EmailLogPage {
  items: EmailLogRow[];
  nextCursor: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Newest first, on (created_at, id) like the users list's default order, so its cursors serve here too. */
const ORDER = "created_desc";

function decodeCursor(encoded: string): SortKey {
  const cursor = decodeUserCursor(encoded);
  if (cursor.sort !== ORDER) throw new InvalidCursorError();
  return cursor.key;
}

function whereOf(filters: EmailLogFilters): Prisma.NotificationLogWhereInput {
  const createdAt: Prisma.DateTimeFilter = {};
  if (filters.from) createdAt.gte = new Date(`${filters.from}T00:00:00Z`);
  if (filters.to) createdAt.lt = new Date(new Date(`${filters.to}T00:00:00Z`).getTime() + DAY_MS);
  return {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.email ? { user: { email: { contains: filters.email } } } : {}),
    ...(filters.from || filters.to ? { createdAt } : {}),
  };
}

/** The delivery log, newest first, in keyset pages. Throws InvalidCursorError for a cursor it did not make. */
export async function listEmails(filters: EmailLogFilters, deps: { db: PrismaClient }): Promise<EmailLogPage> {
  const after = filters.cursor ? decodeCursor(filters.cursor) : null;
  const where = whereOf(filters);
  const rows = await deps.db.notificationLog.findMany({
    // The order's columns, created_at and id, are notification_logs columns too.
    where: after ? { AND: [where, rowsAfter(USER_SORTS[ORDER], after) as Prisma.NotificationLogWhereInput] } : where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: filters.limit + 1,
    include: {
      user: { select: { email: true } },
      actions: { orderBy: { createdAt: "desc" }, take: 1, select: { action: true, adminEmail: true, createdAt: true } },
      events: {
        orderBy: [{ occurredAt: "asc" }, { receivedAt: "asc" }],
        take: TIMELINE_EVENTS,
        select: { type: true, provider: true, permanent: true, detail: true, occurredAt: true },
      },
    },
  });
  const page = rows.slice(0, filters.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      id: row.id,
      kind: row.kind,
      status: row.status,
      email: row.user?.email ?? null,
      provider: row.provider,
      attempts: row.attempts,
      lastError: row.lastError,
      sentAt: row.sentAt,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      lastAction: row.actions[0] ?? null,
      events: row.events,
    })),
    nextCursor: rows.length > filters.limit && last ? encodeUserCursor({ sort: ORDER, key: last }) : null,
  };
}

/** What a resend or replay did. */
export type EmailActionResult =
  | { outcome: "queued"; messageId: string }
  /** Nothing done: the email is no longer `failed` (resend) or `dead` (replay), e.g. after a second click. */
  | { outcome: "unchanged"; status: NotificationStatus };

export class EmailNotFoundError extends Error {
  constructor() {
    super("No such email.");
    this.name = "EmailNotFoundError";
  }
}

export class RecipientDeletedError extends Error {
  constructor() {
    super("This email's user was deleted: there is nobody to send it to.");
    this.name = "RecipientDeletedError";
  }
}

export interface EmailActionDeps {
  db: PrismaClient;
  publisher: Pick<Publisher, "publish" | "replayParked">;
  /** A resend counts against the address's send-again limit like the registrant's own requests. */
  sendAgainLimits?: SendAgainLimits;
  /** The clock, for tests: the limits' windows. */
  now?: Date;
}

const ACTIONS = {
  resend: { from: "failed" },
  replay: { from: "dead" },
} as const;

/**
 * Sends a `failed` email again (resend) or puts a `dead` one back on `email.send` (replay), once.
 * The email moves to `queued` with one conditional update, recorded in `email_actions` in the same
 * transaction, so of two clicks (or two admins) exactly one acts and the other is told it is no
 * longer failed/dead. Then the message is published: for a replay, the parked copy is taken out
 * of `email.send.dead`; without one (or for a resend) a new `email.send` message. The sender's
 * claim on the row guards the sending itself: a stray second message finds it claimed or done.
 * A resend counts against the address's send-again limit (`email_send_requests`), as the person's
 * own "send again" does: over it, SendAgainRefusedError and nothing changes. (A replay sends the
 * same message once more rather than a new email, so it does not count.)
 * If the broker does not confirm, the email and the records are put back and PublishError is thrown.
 */
export async function actOnEmail(
  action: keyof typeof ACTIONS,
  notificationId: string,
  adminEmail: string,
  deps: EmailActionDeps,
): Promise<EmailActionResult> {
  const { db, publisher } = deps;
  const { from } = ACTIONS[action];
  const messageId = crypto.randomUUID();
  const now = deps.now ?? new Date();
  const claimed = await db.$transaction(async (tx) => {
    const { count } = await tx.notificationLog.updateMany({
      where: { id: notificationId, status: from, userId: { not: null } },
      data: { status: "queued", leaseExpiresAt: null, ...(action === "resend" ? { resends: { increment: 1 } } : {}) },
    });
    if (count === 0) return null;
    if (action === "resend") {
      const limits = deps.sendAgainLimits ?? DEFAULT_SEND_AGAIN_LIMITS;
      await checkSendAgainLimits(tx, [{ scope: "address", where: { notificationId } }], limits, now);
      await tx.emailSendRequest.create({ data: { notificationId, requestedBy: "admin", createdAt: now } });
    }
    const row = await tx.notificationLog.findUniqueOrThrow({
      where: { id: notificationId },
      select: { kind: true, user: { select: { registrationId: true } } },
    });
    const record = await tx.emailAction.create({ data: { notificationId, action, fromStatus: from, adminEmail, messageId } });
    return { row, record };
  });

  if (!claimed) {
    const row = await db.notificationLog.findUnique({ where: { id: notificationId }, select: { status: true, userId: true } });
    if (!row) throw new EmailNotFoundError();
    if (row.status === from && row.userId === null) throw new RecipientDeletedError();
    return { outcome: "unchanged", status: row.status };
  }

  try {
    if (action === "replay") {
      const moved = await publisher.replayParked(QUEUES.emailSend, (content) => parkedFor(content, notificationId));
      if (moved[0]) {
        await db.emailAction.update({ where: { id: claimed.record.id }, data: { messageId: moved[0] } });
        return { outcome: "queued", messageId: moved[0] };
      }
    }
    const registrationId = claimed.row.user?.registrationId ?? "";
    await publisher.publish(
      EmailSendV1,
      createEnvelope(EmailSendV1, { notificationId, kind: claimed.row.kind, registrationId }, messageId),
    );
    return { outcome: "queued", messageId };
  } catch (error) {
    // Not queued after all: as it was, and no record of an action that did not happen.
    await db.$transaction([
      db.notificationLog.updateMany({ where: { id: notificationId, status: "queued" }, data: { status: from } }),
      db.emailAction.delete({ where: { id: claimed.record.id } }),
      db.emailSendRequest.deleteMany({ where: { notificationId, requestedBy: "admin", createdAt: now } }),
    ]);
    throw error;
  }
}

/** True when a parked `email.send` message is for this email (anything unreadable is not). */
function parkedFor(content: Buffer, notificationId: string): boolean {
  try {
    const message = JSON.parse(content.toString("utf8")) as { payload?: { notificationId?: unknown } };
    return message.payload?.notificationId === notificationId;
  } catch {
    return false;
  }
}
