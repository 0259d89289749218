// Runs the users report `runs` times in a process of its own, with what the reporter loads and
// nothing else, so its peak memory can be read alone; prints the median time.
import { rm } from "node:fs/promises";
import path from "node:path";
import type { ReportRequest } from "@userstream/contracts";
import { createReportPool, runReport } from "@userstream/workers/reporter/run-report";
import pino from "pino";
import { percentile } from "./lib/results";

const [databaseUrl = "", reportsDir = "", runs = "5"] = process.argv.slice(2);
const logger = pino({ level: "silent" });
const pool = createReportPool(databaseUrl, logger);
const deps = { pool, reportsDir, logger };

/** Runs one report as an admin's request would, and returns what it recorded. */
async function run({ kind, filters }: ReportRequest) {
  const {
    rows: [queued],
  } = await pool.query<{ id: string }>(
    "INSERT INTO report_logs (kind, trigger, status, filters) VALUES ($1, 'manual', 'queued', $2) RETURNING id",
    [kind, filters],
  );
  const started = performance.now();
  const outcome = await runReport(queued?.id ?? "", deps);
  const seconds = (performance.now() - started) / 1000;
  const {
    rows: [report],
  } = await pool.query<{ file_name: string | null; row_count: number | null; error: string | null }>(
    "SELECT file_name, row_count, error FROM report_logs WHERE id = $1",
    [queued?.id],
  );
  if (outcome !== "succeeded" || !report?.file_name) throw new Error(`${kind} report ${outcome}: ${report?.error}`);
  await rm(path.join(reportsDir, report.file_name));
  return { seconds, rows: report.row_count };
}

// A long-running reporter has run both kinds of report long before: warm up with an empty run of
// each (no notifications; no user registered in 2999), so the figures are steady-state runs, not
// the process's first.
await run({ kind: "notifications", filters: {} });
await run({ kind: "users", filters: { registeredFrom: "2999-01-01" } });
const results = [];
for (let i = 0; i < Number(runs); i++) results.push(await run({ kind: "users", filters: {} }));
await pool.end();
const seconds = results.map((result) => result.seconds);
console.log(
  JSON.stringify({
    seconds: percentile(seconds, 50),
    runs: seconds,
    rows: results[0]?.rows,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
