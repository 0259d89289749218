import path from "node:path";
import { fileURLToPath } from "node:url";
import { validate } from "node-cron";
import { z } from "zod";
import { commonEnv, loadEnv } from "../lib/env";

// A relative REPORTS_DIR means the same folder to the reporter and the web, whichever folder they
// were started from: the repository root's, three folders above this module in src/reporter/ and
// two above the bundle in dist/ (docs/architecture.md, "Built JavaScript in production").
const REPO_ROOT = fileURLToPath(new URL(import.meta.url.endsWith(".mjs") ? "../../../" : "../../../../", import.meta.url));

/** The reporter's configuration, validated once at start. */
export function loadReporterEnv(source: NodeJS.ProcessEnv = process.env) {
  return loadEnv(
    {
      ...commonEnv,
      REPORTER_PORT: z.coerce.number().int().min(0).max(65535).default(8084),
      /** Where the CSV files go (the reports_data volume in docker compose). */
      REPORTS_DIR: z
        .string()
        .default("./reports")
        .transform((dir) => path.resolve(REPO_ROOT, dir)),
      /** When the scheduled users report runs (UTC, cron syntax with optional seconds), or `off`. */
      REPORT_CRON: z
        .string()
        .default("0 2 * * *")
        .refine((value) => value === "off" || validate(value), "must be a cron expression such as `0 2 * * *`, or `off`"),
      /** Reports (rows and files) older than this many days are removed. */
      REPORT_RETENTION_DAYS: z.coerce.number().int().positive().default(30),
    },
    source,
  );
}
export type ReporterEnv = ReturnType<typeof loadReporterEnv>;
