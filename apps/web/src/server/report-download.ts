import { constants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import type { PrismaClient } from "@userstream/db";
import { z } from "zod";
import type { AdminAuthConfig } from "./auth/admin-auth";
import { adminSessionFromHeaders } from "./auth/admin-sessions";

/** The only names the reporter writes (`report_users_20261128T020000123Z.csv`); anything else is never served. */
const REPORT_FILE_NAME = /^report_(users|notifications)_[0-9TZ-]+\.csv$/;

const ReportIdSchema = z.uuid();

/**
 * The file of a report, or null when the name is not a report file's or would leave `reportsDir`.
 * The name comes from the database, never from a request; it is checked anyway, so that a row
 * altered by hand (`../x.csv`) cannot reach another file.
 */
export function reportFilePath(reportsDir: string, fileName: string): string | null {
  if (!REPORT_FILE_NAME.test(fileName)) return null;
  const dir = path.resolve(reportsDir);
  const file = path.resolve(dir, fileName);
  return path.dirname(file) === dir ? file : null;
}

export interface ReportDownloadDeps {
  db: Pick<PrismaClient, "reportLog" | "adminSession">;
  reportsDir: string;
  auth: AdminAuthConfig;
}

function jsonError(status: 401 | 404, code: string, message: string): Response {
  return Response.json({ message, code }, { status, headers: { "cache-control": "no-store" } });
}

const notFound = () => jsonError(404, "NOT_FOUND", "No such report file.");

/**
 * Opens the file without following a symbolic link as its last part: a link planted in
 * REPORTS_DIR is not a report. Null when there is no regular file to serve (e.g. removed by
 * retention since the row was read).
 */
async function openReportFile(filePath: string): Promise<{ handle: FileHandle; size: number } | null> {
  let handle: FileHandle;
  try {
    handle = await open(filePath, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ELOOP" || code === "ENOTDIR") return null;
    throw error;
  }
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    return null;
  }
  return { handle, size: stat.size };
}

/**
 * `GET /api/admin/reports/{id}/download`: a signed-in admin downloads the CSV of a succeeded
 * report. 401 without an admin session; 404 for an id that is not a UUID (before anything is
 * read), an unknown report, one without a file, a file name that is not a report's, or a file
 * that is gone. The file is streamed, never held in memory.
 */
export async function serveReportDownload(request: Request, id: string, deps: ReportDownloadDeps): Promise<Response> {
  if (!(await adminSessionFromHeaders(request.headers, deps.db, deps.auth))) {
    return jsonError(401, "UNAUTHORIZED", "Sign in as an admin to download reports.");
  }
  if (!ReportIdSchema.safeParse(id).success) return notFound();
  const row = await deps.db.reportLog.findUnique({ where: { id }, select: { status: true, fileName: true } });
  if (!row || row.status !== "succeeded" || !row.fileName) return notFound();
  const filePath = reportFilePath(deps.reportsDir, row.fileName);
  if (!filePath) return notFound();
  const file = await openReportFile(filePath);
  if (!file) return notFound();

  // The stream closes the file when it ends, fails, or the client goes away (the body is cancelled).
  const body = Readable.toWeb(file.handle.createReadStream()) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      // Safe inside quotes: REPORT_FILE_NAME allows letters, digits, `_`, `-` and `.` only.
      "content-disposition": `attachment; filename="${row.fileName}"`,
      "content-length": String(file.size),
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
    },
  });
}
