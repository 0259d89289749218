import { env } from "~/env";
import { adminAuthConfig } from "~/server/auth/auth-config";
import { getDb } from "~/server/db";
import { serveReportDownload } from "~/server/report-download";

export const dynamic = "force-dynamic";

/** A report's CSV, for a signed-in admin only (checked in `serveReportDownload`). */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  const { id } = await context.params;
  return serveReportDownload(request, id, { db: getDb(), reportsDir: env.REPORTS_DIR, auth: adminAuthConfig() });
}
