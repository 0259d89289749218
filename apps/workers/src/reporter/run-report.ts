import { rm } from "node:fs/promises";
import path from "node:path";
import { ReportRequestSchema, type ReportKind, type ReportRequest } from "@userstream/contracts";
import { createPool, withConnection } from "@userstream/db/pool";
import { PermanentError } from "@userstream/messaging";
import type { PinoLogger as Logger } from "@userstream/runtime";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { claimReport, deleteReportsBefore, failRunning, findReport, recordFailed, recordSucceeded } from "./report-logs";
import { reportStatement } from "./report-sql";
import { partialFileName, writeReportFile } from "./write-report-file";

export interface RunReportDeps {
  /** The reporter's connections: see {@link createReportPool}. */
  pool: pg.Pool;
  reportsDir: string;
  logger: Logger;
}

export type RunOutcome = "succeeded" | "failed" | "already-done";

/**
 * The reporter's connections to PostgreSQL, kept open between runs (opening one costs more than
 * the rest of a small report's fixed work): one holds a run's transaction and streams its COPY
 * (see report-sql.ts), the other records its progress where the admin page sees it at once. A
 * connection cut mid-run fails that run and is replaced, never reused.
 */
export function createReportPool(databaseUrl: string, logger: Logger): pg.Pool {
  return createPool(databaseUrl, { max: 2, idleTimeoutMs: 0, logger });
}

// Runs of one kind of report never overlap, across every reporter instance: each holds this
// PostgreSQL advisory lock for its whole run. The lock dies with its transaction, so a crashed
// run never blocks the next one.
const lockKey = (kind: ReportKind) => `userstream:report:${kind}`;

/** `report_users_20261128T020000123Z.csv`: UTC, to the millisecond, so names never collide. */
function reportFileName(kind: ReportKind, at: Date): string {
  return `report_${kind}_${at.toISOString().replace(/[-:.]/g, "")}.csv`;
}

/**
 * Runs the report recorded in `report_logs`: waits for any run of the same kind to finish, claims
 * the row (queued → running; or a `running` row whose run died), streams PostgreSQL's CSV output
 * of the rows into the file and records the result. Scheduled and requested reports both come
 * through here.
 */
export async function runReport(reportId: string, deps: RunReportDeps): Promise<RunOutcome> {
  const { pool, logger } = deps;
  const row = await findReport(pool, reportId);
  if (!row) throw new PermanentError(`no report ${reportId}`);
  if (row.status === "succeeded" || row.status === "failed") return "already-done";
  const request = ReportRequestSchema.safeParse({ kind: row.kind, filters: row.filters });
  if (!request.success) {
    await recordFailed(pool, reportId, `invalid filters: ${request.error.message}`);
    return "failed";
  }

  try {
    return await withConnection(pool, (client) => writeReport(client, { ...row, request: request.data }, deps));
  } catch (err) {
    await recordFailed(pool, reportId, err instanceof Error ? err.message : String(err));
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
  const { logger } = deps;
  await client.query("BEGIN");
  await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [lockKey(report.kind)]);
  // Claimed outside this transaction, so the admin page sees "running" while it runs. Another
  // instance may have run this report while this one waited for the lock.
  const startedAt = new Date();
  if (!(await claimReport(deps.pool, report.id, startedAt))) {
    await client.query("ROLLBACK");
    return "already-done";
  }
  logger.info({ reportId: report.id, kind: report.kind, trigger: report.trigger }, "report started");

  const { copy, settings } = reportStatement(report.request);
  // Times in UTC, and the filters: transaction-local settings, all set in one round trip.
  const names = ["TimeZone", ...Object.keys(settings)];
  const values = ["UTC", ...Object.values(settings)];
  await client.query("SELECT set_config(name, value, true) FROM unnest($1::text[], $2::text[]) AS s(name, value)", [
    names,
    values,
  ]);
  const fileName = reportFileName(report.kind, startedAt);
  const source = client.query(copyTo(copy));
  const written = await writeReportFile({ dir: deps.reportsDir, fileName, reportId: report.id, source });
  // COPY counts the rows it sent; the header is not one of them. Recorded in the run's
  // transaction: the result shows and the lock is released in the same commit.
  await recordSucceeded(client, report.id, { fileName, rowCount: source.rowCount, ...written });
  await client.query("COMMIT");
  logger.info({ reportId: report.id, fileName, rowCount: source.rowCount, ...written }, "report written");
  return "succeeded";
}

/**
 * Marks `failed` every `running` report whose run has died (no instance holds its kind's lock),
 * and removes its half-written file. Run at start, so no report stays `running` forever.
 */
export async function recoverInterruptedReports(deps: RunReportDeps): Promise<number> {
  let recovered = 0;
  for (const kind of ["users", "notifications"] as const) {
    const interrupted = await withConnection(deps.pool, async (client) => {
      await client.query("BEGIN");
      const { rows } = await client.query<{ free: boolean }>("SELECT pg_try_advisory_xact_lock(hashtext($1)) AS free", [
        lockKey(kind),
      ]);
      const ids = rows[0]?.free ? await failRunning(client, kind, "interrupted: the reporter stopped during the run") : [];
      await client.query("COMMIT");
      return ids;
    });
    for (const id of interrupted) await rm(path.join(deps.reportsDir, partialFileName(id)), { force: true });
    recovered += interrupted.length;
  }
  if (recovered > 0) deps.logger.warn({ recovered }, "interrupted reports marked failed");
  return recovered;
}

/** Removes reports (rows and files) created more than `days` days ago; never a running one. */
export async function removeOldReports(deps: RunReportDeps, days: number): Promise<number> {
  const fileNames = await deleteReportsBefore(deps.pool, new Date(Date.now() - days * 86_400_000));
  for (const fileName of fileNames) {
    if (fileName) await rm(path.join(deps.reportsDir, fileName), { force: true });
  }
  if (fileNames.length > 0) deps.logger.info({ removed: fileNames.length, days }, "old reports removed");
  return fileNames.length;
}
