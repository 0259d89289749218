import { NotificationStatusSchema, type NotificationStatus } from "@userstream/contracts";
import type { PrismaClient } from "@userstream/db";

/** Days the overview's registrations chart covers, today (UTC) included. */
const OVERVIEW_DAYS = 30;

export interface AdminOverview {
  users: number;
  verifiedUsers: number;
  emails: Record<NotificationStatus, number>;
  reports: number;
  /** One entry per UTC day, oldest first, `OVERVIEW_DAYS` of them; days without registrations count 0. */
  registrationsPerDay: { day: string; count: number }[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DD` of the UTC days from `OVERVIEW_DAYS - 1` days before `now` to `now`. */
function overviewDays(now: Date): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: OVERVIEW_DAYS }, (_, i) =>
    new Date(today - (OVERVIEW_DAYS - 1 - i) * DAY_MS).toISOString().slice(0, 10),
  );
}

/**
 * The counts of the admin overview. Registrations per day count every registration the receiver
 * processed (a repeated address too), by the day it arrived.
 */
export async function getAdminOverview(deps: { db: PrismaClient }, now: Date = new Date()): Promise<AdminOverview> {
  const { db } = deps;
  const days = overviewDays(now);
  const since = new Date(`${days[0]}T00:00:00Z`);
  const [users, verifiedUsers, byStatus, reports, perDay] = await Promise.all([
    db.user.count(),
    db.user.count({ where: { emailVerifiedAt: { not: null } } }),
    db.notificationLog.groupBy({ by: ["status"], _count: { _all: true } }),
    db.reportLog.count(),
    db.$queryRaw<{ day: string; count: number }[]>`
      SELECT to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS count
      FROM registrations
      WHERE received_at >= ${since}
      GROUP BY 1`,
  ]);
  const emails = Object.fromEntries(NotificationStatusSchema.options.map((status) => [status, 0])) as Record<
    NotificationStatus,
    number
  >;
  for (const group of byStatus) emails[group.status] = group._count._all;
  const counted = new Map(perDay.map((row) => [row.day, row.count]));
  return {
    users,
    verifiedUsers,
    emails,
    reports,
    registrationsPerDay: days.map((day) => ({ day, count: counted.get(day) ?? 0 })),
  };
}
