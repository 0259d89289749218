// Runs one users report in a process of its own, so its peak memory can be read alone.
import { createPrismaClient } from "@userstream/db";
import pino from "pino";
import { runReport } from "../src/reporter/run-report";

const [databaseUrl = "", reportsDir = ""] = process.argv.slice(2);
const db = createPrismaClient(databaseUrl);
const deps = { db, databaseUrl, reportsDir, logger: pino({ level: "silent" }) };
// A long-running reporter has compiled its queries long before: warm up with an (empty)
// notifications report, so the figure is a steady-state run, not the process's first.
const warmUp = await db.reportLog.create({ data: { kind: "notifications", trigger: "manual", status: "queued", filters: {} } });
await runReport(warmUp.id, deps);
const row = await db.reportLog.create({ data: { kind: "users", trigger: "manual", status: "queued", filters: {} } });
const started = performance.now();
const outcome = await runReport(row.id, deps);
const seconds = (performance.now() - started) / 1000;
const report = await db.reportLog.findUniqueOrThrow({ where: { id: row.id } });
await db.$disconnect();
console.log(JSON.stringify({ outcome, seconds, rows: report.rowCount, bytes: Number(report.byteSize), maxRssMb: process.resourceUsage().maxRSS / 1024 }));
