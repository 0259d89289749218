import {
  ReportGenerateV1,
  ReportRequestSchema,
  createEnvelope,
  type ReportKind,
  type ReportRequest,
  type ReportStatus,
  type ReportTrigger,
} from "@userstream/contracts";
import type { PrismaClient, ReportLog } from "@userstream/db";
import type { Publisher } from "@userstream/messaging";

/** How many reports the admin page lists: the newest. Retention keeps the table small anyway. */
export const REPORT_LIST_LIMIT = 50;

/** A report as the admin page shows it. */
export interface ReportSummary {
  id: string;
  kind: ReportKind;
  trigger: ReportTrigger;
  status: ReportStatus;
  requestedBy: string | null;
  filters: ReportRequest["filters"];
  fileName: string | null;
  rowCount: number | null;
  /** Bytes of the file; a number (a report is far below 2^53 bytes), so it crosses JSON plainly. */
  byteSize: number | null;
  /** From start to finish of the run; null until it finished, or when it never started. */
  durationMs: number | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
}

function toSummary(row: ReportLog): ReportSummary {
  // Stored filters were validated on the way in; a row written some other way shows none.
  const request = ReportRequestSchema.safeParse({ kind: row.kind, filters: row.filters });
  return {
    id: row.id,
    kind: row.kind,
    trigger: row.trigger,
    status: row.status,
    requestedBy: row.requestedBy,
    filters: request.success ? request.data.filters : {},
    fileName: row.fileName,
    rowCount: row.rowCount,
    byteSize: row.byteSize === null ? null : Number(row.byteSize),
    durationMs: row.startedAt && row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    error: row.error,
  };
}

export interface RequestReportDeps {
  db: Pick<PrismaClient, "reportLog">;
  publisher: Pick<Publisher, "publish">;
}

/**
 * Records an admin's report request (`queued`, trigger `manual`) and publishes `report.generate`
 * v1 for it, waiting for the broker's confirm. The row comes first so that the reporter always
 * finds it; the report id doubles as the message id, so redeliveries are recognised.
 *
 * Throws the ZodError for an invalid request (nothing recorded) and the PublishError when the
 * broker does not confirm, after marking the row `failed` with the reason: a report nobody will
 * run must not stay `queued`. (Should the broker have taken the message after all, the reporter
 * finds the row finished and leaves it.)
 */
export async function requestReport(
  input: unknown,
  requestedBy: string,
  { db, publisher }: RequestReportDeps,
): Promise<ReportSummary> {
  const request = ReportRequestSchema.parse(input);
  const row = await db.reportLog.create({
    data: { kind: request.kind, trigger: "manual", status: "queued", requestedBy, filters: request.filters },
  });
  try {
    await publisher.publish(
      ReportGenerateV1,
      createEnvelope(ReportGenerateV1, { reportId: row.id, request, requestedBy }, row.id),
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await db.reportLog
      .update({
        where: { id: row.id },
        data: { status: "failed", error: `Could not queue the report: ${reason}`, finishedAt: new Date() },
      })
      .catch(() => undefined); // The database may be what failed; the caller reports the publish error either way.
    throw error;
  }
  return toSummary(row);
}

export interface ReportReadDeps {
  db: Pick<PrismaClient, "reportLog">;
}

/** The newest reports, newest first (ties by id, so the order is stable). */
export async function listReports({ db }: ReportReadDeps): Promise<ReportSummary[]> {
  const rows = await db.reportLog.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: REPORT_LIST_LIMIT });
  return rows.map(toSummary);
}

/** One report by id, or null. */
export async function getReport(id: string, { db }: ReportReadDeps): Promise<ReportSummary | null> {
  const row = await db.reportLog.findUnique({ where: { id } });
  return row ? toSummary(row) : null;
}
