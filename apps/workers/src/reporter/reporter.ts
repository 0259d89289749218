import { mkdir } from "node:fs/promises";
import { ReportGenerateV1 } from "@userstream/contracts";
import { createPublisher, startConsumer } from "@userstream/messaging";
import { databaseCheck, logListening, startService } from "@userstream/runtime";
import type { ReporterEnv } from "./env";
import { createReporterMetrics } from "./metrics";
import { createReportPool, recoverInterruptedReports, removeOldReports, runReport } from "./run-report";
import { startReportSchedule } from "./schedule-reports";

const RETENTION_INTERVAL_MS = 6 * 60 * 60_000;

/**
 * The reporter process: serve health and metrics, recover interrupted runs and apply retention,
 * consume `report.generate`, and run the schedule. Returns the shutdown, so tests can run it in-process.
 */
export async function startReporter(env: ReporterEnv) {
  const metrics = createReporterMetrics();
  const { logger, shutdown, health } = await startService({
    service: "reporter",
    env,
    port: env.REPORTER_PORT,
    registry: metrics.registry,
    pending: ["database", "broker"],
  });
  const publisher = createPublisher(env.AMQP_URL, { logger });
  // Plain SQL through `pg` only, no Prisma: see report-logs.ts.
  const pool = createReportPool(env.DATABASE_URL, logger);
  health.setCheck(
    "database",
    databaseCheck(() => pool.query("SELECT 1")),
  );
  const deps = { pool, logger, reportsDir: env.REPORTS_DIR };

  await mkdir(env.REPORTS_DIR, { recursive: true });
  await recoverInterruptedReports(deps);
  const retain = () =>
    removeOldReports(deps, env.REPORT_RETENTION_DAYS).catch((err: unknown) => logger.error({ err }, "retention failed"));
  await retain();
  const retention = setInterval(retain, RETENTION_INTERVAL_MS).unref();

  const consumer = await startConsumer({
    url: env.AMQP_URL,
    contract: ReportGenerateV1,
    // One report at a time per instance: a report is long and memory is kept flat per run.
    prefetch: 1,
    retryDelaysMs: env.RETRY_DELAYS_MS,
    logger,
    async handle(message) {
      metrics.runs.inc({ result: await runReport(message.payload.reportId, deps) });
    },
    ...metrics.consumerHooks,
    logFields: (message) => ({ reportId: message.payload.reportId }),
  });
  const task = startReportSchedule({ cron: env.REPORT_CRON, db: pool, publisher, logger });

  metrics.measureQueueDepth(consumer);
  health.setCheck("broker", async () => consumer.isReady());

  shutdown.add("stop the schedule", async () => {
    clearInterval(retention);
    await task?.destroy();
  });
  shutdown.add("stop consuming and finish the running report", () => consumer.stop());
  shutdown.add("close the publisher", () => publisher.close());
  shutdown.add("close the health server", () => health.close());
  shutdown.add("disconnect the database", () => pool.end());
  logListening(logger, health.server, { reportsDir: env.REPORTS_DIR, cron: env.REPORT_CRON }, "reporter started");
  return { shutdown, server: health.server, logger };
}
