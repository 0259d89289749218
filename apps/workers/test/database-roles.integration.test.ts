import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ReportGenerateV1, UserRegistrationV1, createEnvelope } from "@userstream/contracts";
import { createPrismaClient, type PrismaClient } from "@userstream/db";
import { createTestDatabaseWithRoles, type TestDatabaseWithRoles } from "@userstream/db/testing";
import { createPublisher, type Publisher } from "@userstream/messaging";
import { createTestVhost } from "@userstream/messaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReceiverEnv } from "../src/receiver/env";
import { startReceiver } from "../src/receiver/receiver";
import { loadReporterEnv } from "../src/reporter/env";
import { startReporter } from "../src/reporter/reporter";
import { loadSenderEnv } from "../src/sender/env";
import { startSender } from "../src/sender/sender";
import { startTestSmtpServer, type TestSmtpServer } from "./smtp-test-server";
import { waitFor } from "./support";

/**
 * The workers connect as the least-privilege app role of packages/db/sql/roles.sql (the database
 * migrated as the migration role), and everything they do still works: store, send, report.
 */
describe("workers as the least-privilege app role", () => {
  let database: TestDatabaseWithRoles;
  let vhost: Awaited<ReturnType<typeof createTestVhost>>;
  let smtp: TestSmtpServer;
  let db: PrismaClient;
  let publisher: Publisher;
  let reportsDir: string;
  const stops: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    [database, vhost, smtp, reportsDir] = await Promise.all([
      createTestDatabaseWithRoles(),
      createTestVhost(),
      startTestSmtpServer(),
      mkdtemp(path.join(tmpdir(), "userstream-roles-reports-")),
    ]);
    db = createPrismaClient(database.appUrl);
    publisher = createPublisher(vhost.url);
    const common = { DATABASE_URL: database.appUrl, AMQP_URL: vhost.url, LOG_LEVEL: "silent" };
    const receiver = await startReceiver(loadReceiverEnv({ ...common, RECEIVER_PORT: "0" }));
    stops.push(() => receiver.shutdown.run("test"));
    const sender = await startSender(
      loadSenderEnv({
        ...common,
        SENDER_PORT: "0",
        SMTP_URL: smtp.url,
        APP_URL: "http://app.test:3000",
        CONFIRMATION_TOKEN_SECRET: "a-confirmation-secret-for-tests-0123456789",
        EMAIL_FROM: "UserStream <welcome@userstream.test>",
      }),
    );
    stops.push(() => sender.shutdown.run("test"));
    const reporter = await startReporter(
      loadReporterEnv({ ...common, REPORTER_PORT: "0", REPORTS_DIR: reportsDir, REPORT_CRON: "off" }),
    );
    stops.push(() => reporter.shutdown.run("test"));
  });

  afterAll(async () => {
    while (stops.length) await stops.pop()?.();
    await publisher?.close();
    await db?.$disconnect();
    await smtp?.close();
    await vhost?.drop();
    await database?.drop();
    await rm(reportsDir, { recursive: true, force: true });
  });

  it("stores a registration, sends its welcome email and writes a users report", async () => {
    const email = `${crypto.randomUUID()}@example.com`;
    await publisher.publish(
      UserRegistrationV1,
      createEnvelope(UserRegistrationV1, { registrationId: crypto.randomUUID(), firstName: "Ada", lastName: "Lovelace", email }),
    );
    await waitFor(async () => (await db.notificationLog.findFirst({ where: { user: { email } } }))?.status === "sent");
    expect(smtp.to(email)).toHaveLength(1);

    const report = await db.reportLog.create({ data: { kind: "users", trigger: "manual", status: "queued", filters: {} } });
    const request = { reportId: report.id, request: { kind: "users" as const, filters: {} } };
    await publisher.publish(ReportGenerateV1, createEnvelope(ReportGenerateV1, request));
    const done = await waitFor(async () => {
      const row = await db.reportLog.findUniqueOrThrow({ where: { id: report.id } });
      return row.status !== "queued" && row.status !== "running" && row;
    }, 30_000);
    expect(done).toMatchObject({ status: "succeeded", rowCount: 1, error: null });
    expect(await readFile(path.join(reportsDir, done.fileName ?? ""), "utf8")).toContain(email);
  });
});
