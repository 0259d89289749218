import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ReportGenerateV1, createEnvelope } from "@userstream/contracts";
import { spawnWorker, startPgBouncer, waitFor, type PrivatePgBouncer, type WorkerProcess } from "@userstream/test-support";
import { startTestSmtpServer } from "@userstream/test-support/smtp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, stop } from "./server/api/testing";
import { setupTestBroker, setupTestDatabase } from "./server/testing";

// The whole pipeline as deployed: the API server, the receiver, the sender and the reporter, each
// a process of its own, once straight to PostgreSQL and once through PgBouncer in transaction mode
// (a pool of 4 server connections shared by all four: whatever a session kept past its
// transaction, a prepared statement, a setting, a lock, would reach another process's).
const ROUTES = [
  { route: "straight to PostgreSQL", pooled: false },
  { route: "through PgBouncer in transaction mode", pooled: true },
];

describe.each(ROUTES)("a registration travels API → receiver → sender, every process $route", ({ pooled }) => {
  const database = setupTestDatabase(pooled ? "userstream_web_pipeline_pooled" : "userstream_web_pipeline");
  const broker = setupTestBroker(pooled ? "userstream-web-pipeline-pooled" : "userstream-web-pipeline");
  let bouncer: PrivatePgBouncer | undefined;
  let smtp: Awaited<ReturnType<typeof startTestSmtpServer>>;
  let workers: WorkerProcess[] = [];
  let api: ReturnType<typeof startApi>;
  let apiUrl: string;
  let reportsDir: string;

  beforeAll(async () => {
    [smtp, reportsDir, bouncer] = await Promise.all([
      startTestSmtpServer(),
      mkdtemp(path.join(tmpdir(), "userstream-reports-")),
      pooled ? startPgBouncer(database.url) : undefined,
    ]);
    const env = { DATABASE_URL: bouncer?.urlFor(database.url) ?? database.url, AMQP_URL: broker.url, LOG_LEVEL: "warn" };
    workers = [
      spawnWorker("receiver", env),
      spawnWorker("sender", {
        ...env,
        SMTP_URL: smtp.url,
        APP_URL: "http://app.test:3000",
        CONFIRMATION_TOKEN_SECRET: "a-confirmation-secret-for-tests-0123456789",
        EMAIL_FROM: "UserStream <welcome@userstream.test>",
      }),
      spawnWorker("reporter", { ...env, REPORTS_DIR: reportsDir, REPORT_CRON: "off" }),
    ];
    // PgBouncer 1.18 refuses a statement_timeout in the startup message (docs/operations.md).
    api = startApi({ ...env, REGISTRATION_RATE_LIMIT: "off", ...(pooled ? { DATABASE_STATEMENT_TIMEOUT_MS: "off" } : {}) });
    [apiUrl] = await Promise.all([api.listening, ...workers.map((worker) => worker.ready())]);
  }, 120_000);

  afterAll(async () => {
    if (api) await stop(api.child);
    await Promise.all(workers.map((worker) => worker.stop()));
    await bouncer?.remove();
    await smtp?.close();
    if (reportsDir) await rm(reportsDir, { recursive: true, force: true });
  });

  const register = async (email: string) => {
    const response = await fetch(`${apiUrl}/api/v1/registrations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ firstName: "Grace", lastName: "Hopper", email }),
    });
    expect(response.status).toBe(202);
    return ((await response.json()) as { registrationId: string }).registrationId;
  };
  const statusOf = async (registrationId: string) =>
    ((await (await fetch(`${apiUrl}/api/v1/registrations/${registrationId}`)).json()) as { status: string }).status;

  it("stores each user once and sends each one welcome email, a repeated address included", async () => {
    const emails = Array.from({ length: 12 }, (_, i) => `grace.${i}.${crypto.randomUUID()}@example.com`);
    // All at once, and the first address twice: the processes' connections share the pooler's few.
    const ids = await Promise.all([...emails, emails[0] as string].map(register));

    const statuses = await waitFor(async () => {
      const all = await Promise.all(ids.map(statusOf));
      return all.every((status) => status === "email_sent") && all;
    }, 60_000);
    expect(statuses).toHaveLength(13);
    expect(await database.db.user.count({ where: { email: { in: emails } } })).toBe(12);
    await waitFor(() => emails.every((email) => smtp.deliveriesTo(email) === 1), 10_000);
    expect(emails.map((email) => smtp.deliveriesTo(email))).toEqual(emails.map(() => 1));
  });

  it("writes the users report the admin asks for, row for row", async () => {
    const users = await database.db.user.count();
    const report = await database.db.reportLog.create({
      data: { kind: "users", trigger: "manual", status: "queued", filters: {}, requestedBy: "admin@example.com" },
    });
    const request = { kind: "users" as const, filters: {} };
    await broker.publisher.publish(
      ReportGenerateV1,
      createEnvelope(ReportGenerateV1, { reportId: report.id, request, requestedBy: "admin@example.com" }),
    );
    const finished = await waitFor(async () => {
      const row = await database.db.reportLog.findUniqueOrThrow({ where: { id: report.id } });
      return row.status !== "queued" && row.status !== "running" && row;
    }, 30_000);
    expect(finished).toMatchObject({ status: "succeeded", rowCount: users, error: null });
  });
});
