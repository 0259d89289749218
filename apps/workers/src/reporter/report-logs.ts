import type { ReportKind, ReportStatus, ReportTrigger } from "@userstream/contracts";
import type pg from "pg";

/*
 * The reporter's reads and writes of `report_logs` (Prisma's `ReportLog` model, which the web
 * reads and writes through Prisma), in plain SQL through `pg`. The reporter leaves Prisma out of
 * its process: its client and query compiler took about 45 MB, close to a third of a report's
 * 150 MB memory budget (docs/benchmarks.md), for these few statements.
 */

type Queryable = Pick<pg.Pool, "query"> | Pick<pg.PoolClient, "query">;

export interface ReportLogRow {
  id: string;
  kind: ReportKind;
  trigger: ReportTrigger;
  status: ReportStatus;
  filters: unknown;
}

export async function findReport(db: Queryable, id: string): Promise<ReportLogRow | undefined> {
  const { rows } = await db.query<ReportLogRow>("SELECT id, kind, trigger, status, filters FROM report_logs WHERE id = $1", [id]);
  return rows[0];
}

/** queued → running, or a `running` row whose run died; false when the report is already done. */
export async function claimReport(db: Queryable, id: string, startedAt: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    "UPDATE report_logs SET status = 'running', started_at = $2, error = NULL WHERE id = $1 AND status IN ('queued', 'running')",
    [id, startedAt],
  );
  return rowCount === 1;
}

export async function recordSucceeded(
  db: Queryable,
  id: string,
  result: { fileName: string; rowCount: number; byteSize: number; sha256: string },
): Promise<void> {
  await db.query(
    `UPDATE report_logs SET status = 'succeeded', file_name = $2, row_count = $3, byte_size = $4, sha256 = $5, finished_at = $6
     WHERE id = $1`,
    [id, result.fileName, result.rowCount, result.byteSize, result.sha256, new Date()],
  );
}

export async function recordFailed(db: Queryable, id: string, error: string): Promise<void> {
  await db.query("UPDATE report_logs SET status = 'failed', error = $2, finished_at = $3 WHERE id = $1", [id, error, new Date()]);
}

/** Marks `failed` the `running` reports of `kind`; returns their ids. */
export async function failRunning(db: Queryable, kind: ReportKind, error: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    "UPDATE report_logs SET status = 'failed', error = $2, finished_at = $3 WHERE kind = $1 AND status = 'running' RETURNING id",
    [kind, error, new Date()],
  );
  return rows.map((row) => row.id);
}

/** Deletes the reports created before `cutoff`, never a running one; returns their file names. */
export async function deleteReportsBefore(db: Queryable, cutoff: Date): Promise<Array<string | null>> {
  const { rows } = await db.query<{ file_name: string | null }>(
    "DELETE FROM report_logs WHERE created_at < $1 AND status <> 'running' RETURNING file_name",
    [cutoff],
  );
  return rows.map((row) => row.file_name);
}

/**
 * Records the scheduled users report of `slot`, unless another instance already did (the row is
 * unique per kind and slot); returns its id, or undefined.
 */
export async function insertScheduledReport(db: Queryable, slot: Date): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO report_logs (kind, trigger, status, filters, scheduled_for) VALUES ('users', 'schedule', 'queued', '{}', $1)
     ON CONFLICT (kind, scheduled_for) DO NOTHING RETURNING id`,
    [slot],
  );
  return rows[0]?.id;
}
