// Runs the users report `runs` times in a process of its own, so its peak memory can be read
// alone; prints the median time.
import { rm } from "node:fs/promises";
import path from "node:path";
import { createPrismaClient } from "@userstream/db";
import pino from "pino";
import { createReportPool, runReport } from "../src/reporter/run-report";
import { percentile } from "./lib/results";

const [databaseUrl = "", reportsDir = "", runs = "5"] = process.argv.slice(2);
const db = createPrismaClient(databaseUrl);
const logger = pino({ level: "silent" });
const deps = { db, pool: createReportPool(databaseUrl, logger), reportsDir, logger };
// A long-running reporter has run both kinds of report long before: warm up with an empty run of
// each (no notifications; no user registered in 2999), so the figures are steady-state runs, not
// the process's first.
for (const warmUp of [
  { kind: "notifications" as const, filters: {} },
  { kind: "users" as const, filters: { registeredFrom: "2999-01-01" } },
]) {
  const row = await db.reportLog.create({ data: { ...warmUp, trigger: "manual", status: "queued" } });
  if ((await runReport(row.id, deps)) !== "succeeded") throw new Error(`warm-up ${warmUp.kind} report failed`);
}
const seconds: number[] = [];
let rows: number | null = null;
for (let run = 0; run < Number(runs); run++) {
  const row = await db.reportLog.create({ data: { kind: "users", trigger: "manual", status: "queued", filters: {} } });
  const started = performance.now();
  const outcome = await runReport(row.id, deps);
  seconds.push((performance.now() - started) / 1000);
  const report = await db.reportLog.findUniqueOrThrow({ where: { id: row.id } });
  if (outcome !== "succeeded" || !report.fileName) throw new Error(`report ${outcome}: ${report.error}`);
  rows = report.rowCount;
  await rm(path.join(reportsDir, report.fileName));
}
await Promise.all([db.$disconnect(), deps.pool.end()]);
console.log(JSON.stringify({ seconds: percentile(seconds, 50), runs: seconds, rows, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
