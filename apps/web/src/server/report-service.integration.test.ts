import { QUEUES, ReportGenerateV1 } from "@userstream/contracts";
import { PublishError } from "@userstream/messaging";
import { beforeEach, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { REPORT_LIST_LIMIT, getReport, listReports, requestReport } from "./report-service";
import { setupTestBroker, setupTestDatabase } from "./testing";

describe("report service against PostgreSQL and RabbitMQ", () => {
  const database = setupTestDatabase("userstream_web_reports");
  const broker = setupTestBroker("userstream-web-reports");

  beforeEach(async () => {
    await database.db.reportLog.deleteMany();
  });

  const takeMessages = () => broker.take(QUEUES.reportGenerate);

  it("records a queued manual report and publishes a persistent report.generate v1 for it", async () => {
    const report = await requestReport(
      { kind: "users", filters: { registeredFrom: "2026-01-01", registeredTo: "2026-06-30", verifiedOnly: true } },
      "admin@example.com",
      { db: database.db, publisher: broker.publisher },
    );

    const row = await database.db.reportLog.findUniqueOrThrow({ where: { id: report.id } });
    expect(row).toMatchObject({
      kind: "users",
      trigger: "manual",
      status: "queued",
      requestedBy: "admin@example.com",
      filters: { registeredFrom: "2026-01-01", registeredTo: "2026-06-30", verifiedOnly: true },
      fileName: null,
      scheduledFor: null,
    });
    expect(report).toMatchObject({ id: row.id, status: "queued", trigger: "manual", byteSize: null, durationMs: null });

    const [message, ...more] = await takeMessages();
    expect(more).toHaveLength(0);
    if (!message) throw new Error("no message in report.generate");
    expect(message.properties.deliveryMode).toBe(2);
    expect(message.properties.messageId).toBe(report.id);
    const envelope = ReportGenerateV1.schema.parse(JSON.parse(message.content.toString("utf8")));
    expect(envelope).toMatchObject({
      id: report.id,
      type: "report.generate",
      version: 1,
      payload: {
        reportId: report.id,
        request: { kind: "users", filters: { registeredFrom: "2026-01-01", registeredTo: "2026-06-30", verifiedOnly: true } },
        requestedBy: "admin@example.com",
      },
    });
  });

  it("stores no filters as {} and a notifications status filter as given", async () => {
    const all = await requestReport({ kind: "notifications" }, "admin@example.com", {
      db: database.db,
      publisher: broker.publisher,
    });
    const failed = await requestReport({ kind: "notifications", filters: { status: "failed" } }, "admin@example.com", {
      db: database.db,
      publisher: broker.publisher,
    });
    expect((await database.db.reportLog.findUniqueOrThrow({ where: { id: all.id } })).filters).toEqual({});
    expect((await database.db.reportLog.findUniqueOrThrow({ where: { id: failed.id } })).filters).toEqual({ status: "failed" });
    const payloads = (await takeMessages()).map((m) => ReportGenerateV1.schema.parse(JSON.parse(m.content.toString())).payload);
    expect(payloads.map((p) => p.request)).toEqual([
      { kind: "notifications", filters: {} },
      { kind: "notifications", filters: { status: "failed" } },
    ]);
  });

  it("records and publishes nothing for an invalid request", async () => {
    for (const input of [
      {},
      { kind: "payments" },
      { kind: "users", filters: { registeredFrom: "2026-02-01", registeredTo: "2026-01-01" } },
      { kind: "users", filters: { registeredFrom: "yesterday" } },
      { kind: "users", filters: { status: "sent" } },
      { kind: "notifications", filters: { status: "lost" } },
    ]) {
      await expect(
        requestReport(input, "admin@example.com", { db: database.db, publisher: broker.publisher }),
      ).rejects.toBeInstanceOf(ZodError);
    }
    expect(await database.db.reportLog.count()).toBe(0);
    expect(await takeMessages()).toHaveLength(0);
  });

  it("marks the report failed, with the reason, when the broker does not confirm", async () => {
    await expect(
      requestReport({ kind: "users" }, "admin@example.com", { db: database.db, publisher: broker.unreachable }),
    ).rejects.toBeInstanceOf(PublishError);
    const [row, ...more] = await database.db.reportLog.findMany();
    expect(more).toHaveLength(0);
    expect(row).toMatchObject({ status: "failed", trigger: "manual" });
    expect(row?.error).toMatch(/^Could not queue the report: /);
    expect(row?.finishedAt).toBeInstanceOf(Date);
  });

  it("lists the newest reports first, with durations and byte sizes as numbers, and gets one by id", async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 28, 2, minute));
    await database.db.reportLog.create({
      data: { kind: "users", trigger: "schedule", status: "queued", scheduledFor: at(0), createdAt: at(0) },
    });
    const done = await database.db.reportLog.create({
      data: {
        kind: "users",
        trigger: "manual",
        status: "succeeded",
        requestedBy: "admin@example.com",
        filters: { verifiedOnly: true },
        fileName: "report_users_20261128T020100000Z.csv",
        rowCount: 3,
        byteSize: 5_000_000_000n,
        sha256: "a".repeat(64),
        createdAt: at(1),
        startedAt: at(1),
        finishedAt: new Date(at(1).getTime() + 1_250),
      },
    });
    await database.db.reportLog.create({
      data: { kind: "notifications", trigger: "manual", status: "failed", error: "boom", createdAt: at(2) },
    });

    const list = await listReports({ db: database.db });
    expect(list.map((r) => r.createdAt)).toEqual([at(2), at(1), at(0)]);
    expect(list[1]).toMatchObject({
      id: done.id,
      status: "succeeded",
      filters: { verifiedOnly: true },
      rowCount: 3,
      byteSize: 5_000_000_000,
      durationMs: 1_250,
      fileName: "report_users_20261128T020100000Z.csv",
    });
    expect(list[0]).toMatchObject({ status: "failed", error: "boom", durationMs: null, byteSize: null });

    expect(await getReport(done.id, { db: database.db })).toEqual(list[1]);
    expect(await getReport(crypto.randomUUID(), { db: database.db })).toBeNull();
  });

  it(`lists at most ${REPORT_LIST_LIMIT}`, async () => {
    await database.db.reportLog.createMany({
      data: Array.from({ length: REPORT_LIST_LIMIT + 5 }, () => ({
        kind: "users" as const,
        trigger: "manual" as const,
        status: "queued" as const,
      })),
    });
    expect(await listReports({ db: database.db })).toHaveLength(REPORT_LIST_LIMIT);
  });
});
