import { rm } from "node:fs/promises";
import path from "node:path";
import { ReportRequestSchema, type ReportKind } from "@userstream/contracts";
import type { PrismaClient } from "@userstream/db";
import { PermanentError } from "@userstream/messaging";
import type { Logger } from "../lib/logger";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { reportStatement } from "./report-sql";
import { partialFileName, writeReportFile } from "./write-report-file";

export interface RunReportDeps {
  db: PrismaClient;
  /** For the COPY stream, which Prisma cannot run: see report-sql.ts. */
  databaseUrl: string;
  reportsDir: string;
  logger: Logger;
}

export type RunOutcome = "succeeded" | "failed" | "already-done";

// Runs of one kind of report never overlap, across every reporter instance: each holds this
// PostgreSQL advisory lock for its whole run. The lock dies with its session, so a crashed run
// never blocks the next one.
const lockKey = (kind: ReportKind) => `userstream:report:${kind}`;

/** `report_users_20261128T020000123Z.csv`: UTC, to the millisecond, so names never collide. */
export function reportFileName(kind: ReportKind, at: Date): string {
  return `report_${kind}_${at.toISOString().replace(/[-:.]/g, "")}.csv`;
}

/**
 * Runs the report recorded in `report_logs`: waits for any run of the same kind to finish, claims
 * the row (queued → running; or a `running` row whose run died), streams PostgreSQL's CSV output
 * of the rows into the file and records the result. Scheduled and requested reports both come
 * through here.
 */
export async function runReport(reportId: string, deps: RunReportDeps): Promise<RunOutcome> {
  const { db, logger } = deps;
  const row = await db.reportLog.findUnique({ where: { id: reportId } });
  if (!row) throw new PermanentError(`no report ${reportId}`);
  if (row.status === "succeeded" || row.status === "failed") return "already-done";
  const request = ReportRequestSchema.safeParse({ kind: row.kind, filters: row.filters });
  if (!request.success) {
    await db.reportLog.update({ where: { id: reportId }, data: { status: "failed", error: `invalid filters: ${request.error.message}`, finishedAt: new Date() } });
    return "failed";
  }

  // One plain connection per run: Prisma cannot stream COPY, and this keeps the pool free.
  const client = new pg.Client({ connectionString: deps.databaseUrl });
  // A connection cut mid-run (PostgreSQL restarted) fails the statement in progress, and with it
  // this run; unheard, the client's error event would end the process.
  client.on("error", (err) => logger.warn({ reportId, err }, "report connection lost"));
  try {
    await client.connect();
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [lockKey(row.kind)]);
    // Through Prisma, outside this transaction, so the admin page sees "running" while it runs.
    // Another instance may have run this report while this one waited for the lock.
    const startedAt = new Date();
    const claimed = await db.reportLog.updateMany({
      where: { id: reportId, status: { in: ["queued", "running"] } },
      data: { status: "running", startedAt, error: null },
    });
    if (claimed.count === 0) return "already-done";
    logger.info({ reportId, kind: row.kind, trigger: row.trigger }, "report started");

    const { copy, settings } = reportStatement(request.data);
    await client.query("SET LOCAL timezone = 'UTC'");
    for (const [name, value] of Object.entries(settings)) await client.query("SELECT set_config($1, $2, true)", [name, value]);
    const fileName = reportFileName(row.kind, startedAt);
    const source = client.query(copyTo(copy));
    const written = await writeReportFile({ dir: deps.reportsDir, fileName, reportId, source });
    // COPY counts the rows it sent; the header is not one of them.
    const rowCount = source.rowCount;
    // Recorded while the lock is still held, so the next run of this kind starts after it ends.
    await db.reportLog.update({
      where: { id: reportId },
      data: { status: "succeeded", fileName, rowCount, byteSize: written.byteSize, sha256: written.sha256, finishedAt: new Date() },
    });
    await client.query("COMMIT");
    logger.info({ reportId, fileName, rowCount, ...written }, "report written");
    return "succeeded";
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    await db.reportLog.update({ where: { id: reportId }, data: { status: "failed", error, finishedAt: new Date() } });
    logger.error({ reportId, err }, "report failed");
    return "failed";
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Marks `failed` every `running` report whose run has died (no instance holds its kind's lock),
 * and removes its half-written file. Run at start, so no report stays `running` forever.
 */
export async function recoverInterruptedReports(deps: RunReportDeps): Promise<number> {
  const { db } = deps;
  let recovered = 0;
  for (const kind of ["users", "notifications"] as const) {
    const interrupted = await db.$transaction(async (tx) => {
      const [lock] = await tx.$queryRaw<Array<{ free: boolean }>>`SELECT pg_try_advisory_xact_lock(hashtext(${lockKey(kind)})) AS free`;
      if (!lock?.free) return [];
      const rows = await tx.reportLog.findMany({ where: { kind, status: "running" }, select: { id: true } });
      await tx.reportLog.updateMany({
        where: { id: { in: rows.map((r) => r.id) } },
        data: { status: "failed", error: "interrupted: the reporter stopped during the run", finishedAt: new Date() },
      });
      return rows;
    });
    for (const { id } of interrupted) await rm(path.join(deps.reportsDir, partialFileName(id)), { force: true });
    recovered += interrupted.length;
  }
  if (recovered > 0) deps.logger.warn({ recovered }, "interrupted reports marked failed");
  return recovered;
}

/** Removes reports (rows and files) created more than `days` days ago; never a running one. */
export async function removeOldReports(deps: RunReportDeps, days: number): Promise<number> {
  const cutoff = new Date(Date.now() - days * 86_400_000);
  const old = await deps.db.reportLog.findMany({
    where: { createdAt: { lt: cutoff }, status: { not: "running" } },
    select: { id: true, fileName: true },
  });
  for (const report of old) {
    if (report.fileName) await rm(path.join(deps.reportsDir, report.fileName), { force: true });
  }
  await deps.db.reportLog.deleteMany({ where: { id: { in: old.map((r) => r.id) } } });
  if (old.length > 0) deps.logger.info({ removed: old.length, days }, "old reports removed");
  return old.length;
}
