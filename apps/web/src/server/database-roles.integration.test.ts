import { createUserToken } from "@userstream/contracts/user-token";
import { createPrismaClient, type PrismaClient } from "@userstream/db";
import { createTestDatabaseWithRoles, type TestDatabaseWithRoles } from "@userstream/db/testing";
import { createPublisher, type Publisher } from "@userstream/messaging";
import { createTestVhost } from "@userstream/messaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actOnEmail, listEmails } from "./admin/email-log-service";
import { authenticateApiKey, createApiKey } from "./api-key-service";
import { getAdminOverview } from "./admin/overview-service";
import { endAllAdminSessions, findAdminSession } from "./auth/admin-sessions";
import { TEST_ADMIN_PASSWORD, testAdminAuth } from "./auth/testing";
import { attemptSignIn } from "./auth/sign-in";
import { confirmEmail } from "./email-confirmation-service";
import { getRegistrationStatus } from "./registration-service";
import { listReports, requestReport } from "./report-service";
import { listUsers } from "./users-service";

const SECRET = "a-confirmation-secret-for-tests-0123456789";

/** The web's services connect as the least-privilege app role of packages/db/sql/roles.sql, and work. */
describe("the web's services as the least-privilege app role", () => {
  let database: TestDatabaseWithRoles;
  let vhost: Awaited<ReturnType<typeof createTestVhost>>;
  let db: PrismaClient;
  let publisher: Publisher;

  beforeAll(async () => {
    [database, vhost] = await Promise.all([
      createTestDatabaseWithRoles("userstream_web_roles"),
      createTestVhost("userstream-web-roles"),
    ]);
    db = createPrismaClient(database.appUrl);
    publisher = createPublisher(vhost.url);
  });

  afterAll(async () => {
    await Promise.all([publisher?.close(), db?.$disconnect()]);
    await Promise.all([vhost?.drop(), database?.drop()]);
  });

  it("reads users and progress, confirms an email, signs in with failure limits and sessions, lists and resends emails, requests reports, checks API keys", async () => {
    const registrationId = crypto.randomUUID();
    const user = await db.user.create({
      data: { registrationId, firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" },
    });
    await db.registration.create({ data: { id: registrationId, userId: user.id, outcome: "created" } });
    const email = await db.notificationLog.create({
      data: { userId: user.id, kind: "welcome", status: "failed", lastError: "550" },
    });

    expect((await listUsers({ search: "love", limit: 10 }, { db })).total).toBe(1);
    expect(await getRegistrationStatus(registrationId, { db })).toMatchObject({ status: "email_failed" });
    expect(await confirmEmail(createUserToken("confirm-email", user.id, SECRET, 60_000), { db, secret: SECRET })).toBe(
      "confirmed",
    );

    const auth = await testAdminAuth();
    const signInDeps = {
      db,
      auth,
      throttle: {
        maxFailuresPerAccountAndAddress: 5,
        maxFailuresPerAddress: 5,
        slowDownAfter: 5,
        slowDownStepMs: 0,
        slowDownMaxMs: 0,
        windowMs: 60_000,
        lockoutMs: 60_000,
      },
    };
    expect(await attemptSignIn({ email: "admin@example.com", password: "wrong" }, "192.0.2.1", signInDeps)).toEqual({
      ok: false,
      reason: "incorrect",
    });
    const signedIn = await attemptSignIn({ email: "admin@example.com", password: TEST_ADMIN_PASSWORD }, "192.0.2.1", signInDeps);
    if (!signedIn.ok) throw new Error(`refused: ${signedIn.reason}`);
    expect(await findAdminSession(db, signedIn.token, auth)).toEqual(signedIn.session);
    expect(await endAllAdminSessions(db, "admin@example.com")).toBe(1);

    expect((await listEmails({ limit: 10 }, { db })).items).toHaveLength(1);
    expect(await actOnEmail("resend", email.id, "admin@example.com", { db, publisher })).toMatchObject({ outcome: "queued" });
    expect(await getAdminOverview({ db })).toMatchObject({ users: 1, verifiedUsers: 1, emails: { queued: 1 } });

    await requestReport({ kind: "users", filters: {} }, "admin@example.com", { db, publisher });
    expect(await listReports({ db })).toHaveLength(1);

    const { secret } = await createApiKey({ name: "crm", scopes: ["read"], expiresInDays: 30 }, "admin@example.com", { db });
    expect(await authenticateApiKey(`Bearer ${secret}`, { db })).toMatchObject({
      ok: true,
      apiKey: { name: "crm", scopes: ["read"] },
    });
  });
});
