import { schedule, type ScheduledTask } from "node-cron";
import { ReportGenerateV1, createEnvelope } from "@userstream/contracts";
import type { Publisher } from "@userstream/messaging";
import type pg from "pg";
import type { PinoLogger as Logger } from "@userstream/runtime";
import { insertScheduledReport, recordFailed } from "./report-logs";

/**
 * Records the scheduled users report of one time slot and hands it to the report queue. The row is
 * unique per (kind, slot), so with several reporter instances each slot runs once: only the
 * instance whose insert wins publishes. Returns the report id, or undefined if another won.
 */
async function enqueueScheduledReport(db: pg.Pool, publisher: Publisher, slot: Date): Promise<string | undefined> {
  const reportId = await insertScheduledReport(db, slot);
  if (!reportId) return undefined;
  try {
    await publisher.publish(
      ReportGenerateV1,
      createEnvelope(ReportGenerateV1, { reportId, request: { kind: "users", filters: {} } }),
    );
  } catch (err) {
    await recordFailed(db, reportId, `could not queue the report: ${String(err)}`);
    throw err;
  }
  return reportId;
}

/** Starts the cron schedule (UTC); `off` starts nothing. */
export function startReportSchedule(options: {
  cron: string;
  db: pg.Pool;
  publisher: Publisher;
  logger: Logger;
}): ScheduledTask | undefined {
  if (options.cron === "off") return undefined;
  return schedule(
    options.cron,
    async ({ date }) => {
      // The slot is the tick itself, to the second: every instance computes the same one.
      const slot = new Date(Math.floor(date.getTime() / 1_000) * 1_000);
      try {
        const reportId = await enqueueScheduledReport(options.db, options.publisher, slot);
        if (reportId) options.logger.info({ reportId, slot }, "scheduled report queued");
      } catch (err) {
        options.logger.error({ err, slot }, "scheduled report not queued");
      }
    },
    { timezone: "Etc/UTC", noOverlap: true, name: "users-report" },
  );
}
