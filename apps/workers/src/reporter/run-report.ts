import { rm } from "node:fs/promises";
import path from "node:path";
import { ReportRequestSchema, type ReportKind, type ReportRequest } from "@userstream/contracts";
import { createHealingPool, type PrismaClient } from "@userstream/db";
import { PermanentError } from "@userstream/messaging";
import type { Logger } from "../lib/logger";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { reportStatement } from "./report-sql";
import { partialFileName, writeReportFile } from "./write-report-file";

export interface RunReportDeps {
  db: PrismaClient;
  /** The connection reports stream through, which Prisma cannot do: see {@link createReportPool}. */
  pool: pg.Pool;
  reportsDir: string;
  logger: Logger;
}

export type RunOutcome = "succeeded" | "failed" | "already-done";

/**
 * The reporter's own connection for COPY (see report-sql.ts), one run at a time. It stays open
 * between runs: opening one costs more than the rest of a small report's fixed work. A connection
 * cut mid-run fails that run and is replaced, never reused.
 */
export function createReportPool(databaseUrl: string, logger: Logger): pg.Pool {
  const pool = createHealingPool({ connectionString: databaseUrl, max: 1, idleTimeoutMillis: 0 });
  pool.on("error", (err) => logger.warn({ err }, "idle report connection failed"));
  return pool;
}

// Runs of one kind of report never overlap, across every reporter instance: each holds this
// PostgreSQL advisory lock for its whole run. The lock dies with its transaction, so a crashed
// run never blocks the next one.
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

  let client: pg.PoolClient | undefined;
  try {
    client = await deps.pool.connect();
    const outcome = await writeReport(client, { ...row, request: request.data }, deps);
    client.release();
    return outcome;
  } catch (err) {
    // Whatever state its transaction is in, the connection is dropped rather than reused.
    client?.release(err instanceof Error ? err : new Error(String(err)));
    const error = err instanceof Error ? err.message : String(err);
    await db.reportLog.update({ where: { id: reportId }, data: { status: "failed", error, finishedAt: new Date() } });
    logger.error({ reportId, err }, "report failed");
    return "failed";
  }
}

/** One run in one transaction on `client`, holding its kind's lock throughout. */
async function writeReport(
  client: pg.PoolClient,
  report: { id: string; kind: ReportKind; trigger: string; request: ReportRequest },
  deps: RunReportDeps,
): Promise<RunOutcome> {
  const { db, logger } = deps;
  await client.query("BEGIN");
  await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [lockKey(report.kind)]);
  // Through Prisma, outside this transaction, so the admin page sees "running" while it runs.
  // Another instance may have run this report while this one waited for the lock.
  const startedAt = new Date();
  const claimed = await db.reportLog.updateMany({
    where: { id: report.id, status: { in: ["queued", "running"] } },
    data: { status: "running", startedAt, error: null },
  });
  if (claimed.count === 0) {
    await client.query("ROLLBACK");
    return "already-done";
  }
  logger.info({ reportId: report.id, kind: report.kind, trigger: report.trigger }, "report started");

  const { copy, settings } = reportStatement(report.request);
  // Times in UTC, and the filters: transaction-local settings, all set in one round trip.
  const names = ["TimeZone", ...Object.keys(settings)];
  const values = ["UTC", ...Object.values(settings)];
  await client.query("SELECT set_config(name, value, true) FROM unnest($1::text[], $2::text[]) AS s(name, value)", [names, values]);
  const fileName = reportFileName(report.kind, startedAt);
  const source = client.query(copyTo(copy));
  const written = await writeReportFile({ dir: deps.reportsDir, fileName, reportId: report.id, source });
  // COPY counts the rows it sent; the header is not one of them.
  const rowCount = source.rowCount;
  // Recorded while the lock is still held, so the next run of this kind starts after it ends.
  await db.reportLog.update({
    where: { id: report.id },
    data: { status: "succeeded", fileName, rowCount, byteSize: written.byteSize, sha256: written.sha256, finishedAt: new Date() },
  });
  await client.query("COMMIT");
  logger.info({ reportId: report.id, fileName, rowCount, ...written }, "report written");
  return "succeeded";
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
