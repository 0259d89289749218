import { QUEUES } from "@userstream/contracts";
import { TRPCError } from "@trpc/server";
import { beforeEach, describe, expect, it } from "vitest";
import { setupTestBroker, setupTestDatabase } from "../../testing";
import { TEST_ADMIN_SESSION, codeOf, procedureCaller } from "../testing";

const ADMIN = TEST_ADMIN_SESSION;

describe("reports router (admin only)", () => {
  const database = setupTestDatabase("userstream_web_reports_api");
  const broker = setupTestBroker("userstream-web-reports-api");

  beforeEach(async () => {
    await database.db.reportLog.deleteMany();
  });

  const caller = procedureCaller(database, broker);

  const queuedMessages = () => broker.queued(QUEUES.reportGenerate);

  it("answers UNAUTHORIZED to every procedure without an admin session, and changes nothing", async () => {
    const anonymous = caller(null);
    expect(await codeOf(anonymous.reports.generate({ kind: "users", filters: {} }))).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.reports.list())).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.reports.get({ id: crypto.randomUUID() }))).toBe("UNAUTHORIZED");
    // Even invalid input is refused for the missing session first: nothing about the API leaks.
    expect(await codeOf(anonymous.reports.get({ id: "not-a-uuid" }))).toBe("UNAUTHORIZED");
    expect(await database.db.reportLog.count()).toBe(0);
    expect(await queuedMessages()).toBe(0);
  });

  it("lets an admin generate a report, recorded as requested by them, then list and get it", async () => {
    const admin = caller(ADMIN);
    const report = await admin.reports.generate({ kind: "users", filters: { verifiedOnly: true } });
    expect(report).toMatchObject({
      kind: "users",
      trigger: "manual",
      status: "queued",
      requestedBy: ADMIN.email,
      filters: { verifiedOnly: true },
    });
    expect(await queuedMessages()).toBe(1);

    const list = await admin.reports.list();
    expect(list.map((r) => r.id)).toEqual([report.id]);
    expect(await admin.reports.get({ id: report.id })).toEqual(list[0]);
  });

  it("answers BAD_REQUEST for invalid input and NOT_FOUND for an unknown report", async () => {
    const admin = caller(ADMIN);
    expect(await codeOf(admin.reports.generate({ kind: "users", filters: { registeredFrom: "2026-13-01" } }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(admin.reports.get({ id: "../../etc/passwd" }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.reports.get({ id: crypto.randomUUID() }))).toBe("NOT_FOUND");
    expect(await database.db.reportLog.count()).toBe(0);
  });

  it("answers SERVICE_UNAVAILABLE with a clear message when the broker does not confirm, and lists the report as failed", async () => {
    const admin = caller(ADMIN, "down");
    const error = await admin.reports.generate({ kind: "notifications", filters: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      message: "We could not queue the report right now. Please try again.",
    });
    const [report] = await admin.reports.list();
    expect(report).toMatchObject({ kind: "notifications", status: "failed", requestedBy: ADMIN.email });
    expect(report?.error).toMatch(/^Could not queue the report/);
  });
});
