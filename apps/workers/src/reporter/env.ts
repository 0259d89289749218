import { loadEnv, portSchema, reportsDirSchema } from "@userstream/runtime/env";
import { validate } from "node-cron";
import { z } from "zod";
import { workerEnv } from "../lib/worker-env";

/** Every variable the reporter reads (the deployment checks in tooling/deploy hold the manifests to it). */
export const reporterEnvShape = {
  ...workerEnv,
  REPORTER_PORT: portSchema(8084),
  /** Where the CSV files go (the reports_data volume in docker compose). */
  REPORTS_DIR: reportsDirSchema,
  /** When the scheduled users report runs (UTC, cron syntax with optional seconds), or `off`. */
  REPORT_CRON: z
    .string()
    .default("0 2 * * *")
    .refine((value) => value === "off" || validate(value), "must be a cron expression such as `0 2 * * *`, or `off`"),
  /** Reports (rows and files) older than this many days are removed. */
  REPORT_RETENTION_DAYS: z.coerce.number().int().positive().default(30),
};

/** The reporter's configuration, validated once at start. */
export function loadReporterEnv(source: NodeJS.ProcessEnv = process.env) {
  return loadEnv(reporterEnvShape, source);
}
export type ReporterEnv = ReturnType<typeof loadReporterEnv>;
