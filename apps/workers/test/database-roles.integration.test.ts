import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ReportGenerateV1, UserRegistrationV1, createEnvelope } from "@userstream/contracts";
import { createTestDatabaseWithRoles } from "@userstream/db/testing";
import { testRegistration } from "@userstream/messaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReceiverEnv } from "../src/receiver/env";
import { startReceiver } from "../src/receiver/receiver";
import { loadReporterEnv } from "../src/reporter/env";
import { startReporter } from "../src/reporter/reporter";
import { loadSenderEnv } from "../src/sender/env";
import { startSender } from "../src/sender/sender";
import { waitFor } from "@userstream/test-support";
import { startTestSmtpServer, type TestSmtpServer } from "@userstream/test-support/smtp";
import { TEST_SENDER_ENV, bedEnv, runUntilStopped, useTestBed } from "./support";

/**
 * The workers connect as the least-privilege app role of packages/db/sql/roles.sql (the database
 * migrated as the migration role), and everything they do still works: store, send, report.
 */
describe("workers as the least-privilege app role", () => {
  // Everything here, the test's own client included, connects as the app role.
  const bed = useTestBed(async () => {
    const database = await createTestDatabaseWithRoles();
    return { url: database.appUrl, drop: database.drop };
  });
  let smtp: TestSmtpServer;
  let reportsDir: string;
  const stops: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    [smtp, reportsDir] = await Promise.all([startTestSmtpServer(), mkdtemp(path.join(tmpdir(), "userstream-roles-reports-"))]);
    const env = bedEnv(bed);
    await runUntilStopped(startReceiver(loadReceiverEnv(env)), stops);
    await runUntilStopped(startSender(loadSenderEnv({ ...env, ...TEST_SENDER_ENV, SMTP_URL: smtp.url })), stops);
    await runUntilStopped(startReporter(loadReporterEnv({ ...env, REPORTS_DIR: reportsDir, REPORT_CRON: "off" })), stops);
  });

  afterAll(async () => {
    while (stops.length) await stops.pop()?.();
    await smtp?.close();
    await rm(reportsDir, { recursive: true, force: true });
  });

  it("stores a registration, sends its welcome email and writes a users report", async () => {
    const message = testRegistration();
    const { email } = message.payload;
    await bed.publisher.publish(UserRegistrationV1, message);
    await waitFor(async () => (await bed.db.notificationLog.findFirst({ where: { user: { email } } }))?.status === "sent");
    expect(smtp.to(email)).toHaveLength(1);

    const report = await bed.db.reportLog.create({ data: { kind: "users", trigger: "manual", status: "queued", filters: {} } });
    const request = { reportId: report.id, request: { kind: "users" as const, filters: {} } };
    await bed.publisher.publish(ReportGenerateV1, createEnvelope(ReportGenerateV1, request));
    const done = await waitFor(async () => {
      const row = await bed.db.reportLog.findUniqueOrThrow({ where: { id: report.id } });
      return row.status !== "queued" && row.status !== "running" && row;
    }, 30_000);
    expect(done).toMatchObject({ status: "succeeded", rowCount: 1, error: null });
    expect(await readFile(path.join(reportsDir, done.fileName ?? ""), "utf8")).toContain(email);
  });
});
