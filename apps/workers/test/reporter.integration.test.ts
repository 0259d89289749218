import { createHash } from "node:crypto";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import pg from "pg";
import { ReportGenerateV1, createEnvelope, type ReportRequest } from "@userstream/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReporterEnv } from "../src/reporter/env";
import { startReporter } from "../src/reporter/reporter";
import { metricValue, spawnWorker, waitFor } from "@userstream/test-support";
import { bedEnv, runUntilStopped, stopsAfterEach, useTestBed } from "./support";

const DAY = 86_400_000;

describe("reporter against real PostgreSQL and RabbitMQ", () => {
  const bed = useTestBed();
  const stops = stopsAfterEach();
  let reportsDir: string;

  beforeAll(async () => {
    reportsDir = await mkdtemp(path.join(tmpdir(), "userstream-reports-"));
    // 2,500 users over 50 days, a few verified, some with names a spreadsheet would run.
    const start = Date.UTC(2026, 0, 1);
    await bed.db.user.createMany({
      data: Array.from({ length: 2_500 }, (_, i) => ({
        registrationId: crypto.randomUUID(),
        firstName: i === 7 ? '=HYPERLINK("http://x")' : i === 8 ? "@SUM(1)" : `First${i}`,
        lastName: i % 3 === 0 ? 'O\'Brien, "Jr"' : `Last${i}`,
        email: `user${i}@example.com`,
        createdAt: new Date(start + (i % 50) * DAY + i * 1_000),
        emailVerifiedAt: i % 10 === 0 ? new Date(start + 60 * DAY) : null,
      })),
    });
  });
  afterAll(() => rm(reportsDir, { recursive: true, force: true }));

  /** Starts a reporter in this process; returns its HTTP port. */
  const runReporter = (overrides: Record<string, string> = {}) =>
    runUntilStopped(
      startReporter(loadReporterEnv(bedEnv(bed, { REPORTS_DIR: reportsDir, REPORT_CRON: "off", ...overrides }))),
      stops,
    );

  async function requestReport(request: ReportRequest) {
    const row = await bed.db.reportLog.create({
      data: {
        kind: request.kind,
        trigger: "manual",
        status: "queued",
        filters: request.filters,
        requestedBy: "admin@example.com",
      },
    });
    await bed.publisher.publish(
      ReportGenerateV1,
      createEnvelope(ReportGenerateV1, { reportId: row.id, request, requestedBy: "admin@example.com" }),
    );
    return row.id;
  }
  const finished = (id: string) =>
    waitFor(async () => {
      const row = await bed.db.reportLog.findUniqueOrThrow({ where: { id } });
      return (row.status === "succeeded" || row.status === "failed") && row;
    }, 30_000);
  const listed = async () => (await readdir(reportsDir)).filter((name) => /^report_.*\.csv$/.test(name));
  const readCsv = async (fileName: string) => parse(await readFile(path.join(reportsDir, fileName))) as string[][];

  it("writes a users report equal to the database, row for row, and records it", async () => {
    await runReporter();
    const report = await finished(await requestReport({ kind: "users", filters: {} }));
    expect(report.status).toBe("succeeded");
    expect(report.fileName).toMatch(/^report_users_\d{8}T\d{9}Z\.csv$/);
    const bytes = await readFile(path.join(reportsDir, report.fileName ?? ""));
    expect(report).toMatchObject({
      rowCount: 2_500,
      byteSize: BigInt(bytes.length),
      sha256: createHash("sha256").update(bytes).digest("hex"),
    });

    const [header, ...rows] = await readCsv(report.fileName ?? "");
    expect(header).toEqual(["id", "first_name", "last_name", "email", "verified", "registered_at"]);
    const users = await bed.db.user.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    const expected = users.map((u) => [
      u.id,
      u.firstName,
      u.lastName,
      u.email,
      String(u.emailVerifiedAt !== null),
      u.createdAt.toISOString(),
    ]);
    // PostgreSQL writes `2026-01-01 00:00:01.5+00`: read it back as an instant.
    const instant = (cell: string) => new Date(cell.replace(" ", "T").replace(/\+00$/, "Z")).toISOString();
    const restored = rows.map((row) => [
      ...row.slice(0, 5).map((cell) => (cell.startsWith("'") ? cell.slice(1) : cell)),
      instant(row[5] ?? ""),
    ]);
    expect(restored).toEqual(expected);
    expect(rows.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
    expect(rows.flat()).toEqual(expect.arrayContaining([`'=HYPERLINK("http://x")`, "'@SUM(1)"]));
  });

  it("applies and stores the filters", async () => {
    await runReporter();
    const filters = { registeredFrom: "2026-01-10", registeredTo: "2026-01-19", verifiedOnly: true };
    const report = await finished(await requestReport({ kind: "users", filters }));
    expect(report.filters).toEqual(filters);
    const [, ...rows] = await readCsv(report.fileName ?? "");
    const expected = await bed.db.user.count({
      where: {
        createdAt: { gte: new Date("2026-01-10T00:00:00Z"), lt: new Date("2026-01-20T00:00:00Z") },
        emailVerifiedAt: { not: null },
      },
    });
    // Seeded: days 10 to 19 hold i % 50 in 9..18, and of those only i % 50 = 10 is verified (i % 10 = 0).
    expect(expected).toBe(50);
    expect(rows).toHaveLength(expected);
    expect(rows.every((row) => row[4] === "true" && (row[5] ?? "") >= "2026-01-10" && (row[5] ?? "") < "2026-01-20")).toBe(true);
    expect(rows[0]?.[5]).toMatch(/^2026-01-1\d \d\d:\d\d:\d\d(\.\d+)?\+00$/);
  });

  it("writes a notifications report of the email deliveries, filtered by status", async () => {
    await runReporter();
    const users = await bed.db.user.findMany({ take: 4, orderBy: { email: "asc" } });
    await bed.db.notificationLog.createMany({
      data: users.map((u, i) => ({
        userId: u.id,
        kind: "welcome" as const,
        status: i < 3 ? ("sent" as const) : ("dead" as const),
        attempts: i + 1,
        provider: "smtp",
        lastError: i < 3 ? null : "SMTP 451: later\r\nagain",
        sentAt: i < 3 ? new Date() : null,
      })),
    });
    const all = await finished(await requestReport({ kind: "notifications", filters: {} }));
    const sent = await finished(await requestReport({ kind: "notifications", filters: { status: "sent" } }));
    const [header, ...rows] = await readCsv(all.fileName ?? "");
    expect(header).toEqual([
      "id",
      "user_id",
      "email",
      "kind",
      "status",
      "attempts",
      "provider",
      "provider_message_id",
      "last_error",
      "sent_at",
      "created_at",
    ]);
    expect(rows).toHaveLength(4);
    expect(rows.find((row) => row[4] === "dead")).toMatchObject({ 2: users[3]?.email, 5: "4", 8: "SMTP 451: later\r\nagain" });
    const [, ...sentRows] = await readCsv(sent.fileName ?? "");
    expect(sentRows.map((row) => row[4])).toEqual(["sent", "sent", "sent"]);
  });

  it("runs one request once, and never overlaps two runs of the same kind", async () => {
    const ports = [await runReporter(), await runReporter()]; // two instances competing for the same queue
    const id = await requestReport({ kind: "users", filters: {} });
    const other = await requestReport({ kind: "users", filters: { verifiedOnly: true } });
    // The same request delivered again while it runs.
    await bed.publisher.publish(
      ReportGenerateV1,
      createEnvelope(ReportGenerateV1, { reportId: id, request: { kind: "users", filters: {} } }),
    );
    const [a, b] = [await finished(id), await finished(other)];
    // Every run counted across both instances: two written, and the repeat found done.
    const runs = async (result: string) => {
      const counts = await Promise.all(ports.map((port) => metricValue(port, `reporter_runs_total{result="${result}"}`)));
      return counts.reduce<number>((sum, count) => sum + (count ?? 0), 0);
    };
    await waitFor(async () => (await runs("already-done")) === 1);
    expect(await runs("succeeded")).toBe(2);
    const files = (await listed()).filter((name) => name === a.fileName || name === b.fileName);
    expect(files).toHaveLength(2);
    expect(await bed.db.reportLog.count({ where: { fileName: a.fileName } })).toBe(1);
    const [first, second] = [a, b].sort((x, y) => Number(x.startedAt) - Number(y.startedAt));
    expect(Number(first?.finishedAt)).toBeLessThanOrEqual(Number(second?.startedAt));
  });

  it("fires on its schedule, once per slot across two instances, and records trigger=schedule", async () => {
    await runReporter({ REPORT_CRON: "* * * * * *" });
    await runReporter({ REPORT_CRON: "* * * * * *" });
    const scheduled = await waitFor(async () => {
      const rows = await bed.db.reportLog.findMany({ where: { trigger: "schedule", status: "succeeded" } });
      return rows.length >= 2 && rows;
    }, 20_000);
    while (stops.length) await stops.pop()?.();
    const slots = await bed.db.reportLog.groupBy({ by: ["scheduledFor"], where: { trigger: "schedule" }, _count: true });
    expect(slots.every((slot) => slot._count === 1)).toBe(true);
    expect(scheduled[0]).toMatchObject({ kind: "users", trigger: "schedule", rowCount: 2_500 });
    await bed.db.reportLog.deleteMany({ where: { trigger: "schedule" } });
  });

  /**
   * Starts a reporter process and requests a users report, holding the users table so the run
   * stops after its header with the temporary file open; runs `whileStuck`, then lets the table go.
   */
  async function stuckMidWrite(whileStuck: (worker: ReturnType<typeof spawnWorker>, locker: pg.Client) => Promise<unknown>) {
    const locker = new pg.Client({ connectionString: bed.database.url });
    await locker.connect();
    await locker.query("BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
    const worker = spawnWorker("reporter", {
      DATABASE_URL: bed.database.url,
      AMQP_URL: bed.vhost.url,
      REPORTS_DIR: reportsDir,
      REPORT_CRON: "off",
    });
    stops.push(async () => worker.child.kill("SIGKILL"));
    try {
      const id = await requestReport({ kind: "users", filters: {} });
      await waitFor(async () => (await readdir(reportsDir)).includes(`.report-${id}.partial`), 20_000);
      await whileStuck(worker, locker);
      return { id, worker };
    } finally {
      await locker.query("ROLLBACK");
      await locker.end();
    }
  }

  it("never lists a half-written report when the reporter is killed mid-write", async () => {
    const before = await listed();
    const { id } = await stuckMidWrite((worker) => {
      worker.child.kill("SIGKILL");
      return worker.exited;
    });
    expect(await listed()).toEqual(before);
    expect((await bed.db.reportLog.findUniqueOrThrow({ where: { id } })).status).toBe("running");

    await runReporter();
    const report = await finished(id);
    expect(report).toMatchObject({ status: "failed", error: "interrupted: the reporter stopped during the run" });
    expect(await readdir(reportsDir)).not.toContain(`.report-${id}.partial`);
    expect(await listed()).toEqual(before);
  });

  it("fails the run whose database connection is cut mid-write, and goes on with the next", async () => {
    // The run's backend ended as a PostgreSQL restart would end it.
    const before = await listed();
    const { id, worker } = await stuckMidWrite((_worker, locker) =>
      locker.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
      ),
    );
    expect(await finished(id)).toMatchObject({ status: "failed", error: expect.stringMatching(/terminat/i) });
    expect(await readdir(reportsDir)).not.toContain(`.report-${id}.partial`);
    expect(await listed()).toEqual(before);

    const next = await finished(await requestReport({ kind: "users", filters: {} }));
    expect(next).toMatchObject({ status: "succeeded", rowCount: 2_500 });
    expect(worker.child.exitCode).toBeNull();
  });

  it("removes reports older than the retention period, with their files", async () => {
    const fileName = "report_users_20250101T020000000Z.csv";
    await writeFile(path.join(reportsDir, fileName), "id\n");
    const old = await bed.db.reportLog.create({
      data: { kind: "users", trigger: "schedule", status: "succeeded", fileName, createdAt: new Date(Date.now() - 40 * DAY) },
    });
    await runReporter({ REPORT_RETENTION_DAYS: "30" });
    expect(await bed.db.reportLog.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await readdir(reportsDir)).not.toContain(fileName);
  });
});
