import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { sessionCookieName, type AdminAuthConfig, type AdminSession } from "../../auth/admin-auth";
import { adminSessionFromHeaders, startAdminSession } from "../../auth/admin-sessions";
import { newSessionToken, signSessionToken } from "../../auth/session";
import { DELETED_USER_ERROR } from "../../users-service";
import { appRouter, createCaller } from "../root";
import { codeOf, usersTestDatabase } from "../testing";

const ADMIN: AdminSession = { email: "admin@example.com", expiresAt: Date.now() + 3_600_000 };
const AUTH: AdminAuthConfig = {
  adminEmail: ADMIN.email,
  // Sessions are only read here, never signed in to: no password is ever checked.
  passwordHash: "scrypt:1024:8:1:c2FsdA:aGFzaA",
  sessionSecret: "a-test-session-secret-of-at-least-32-characters",
  sessionTtlHours: 1,
  sessionIdleMinutes: 30,
  secureCookie: true,
};
const COOKIE = sessionCookieName(AUTH);

describe("admin users and API keys procedures (admin only)", () => {
  const deps = usersTestDatabase("userstream_web_admin_users");

  function caller(adminSession: AdminSession | null) {
    return createCaller({ headers: new Headers(), db: deps.db, publisher: deps.publisher, adminSession });
  }

  async function createUser(firstName: string, lastName: string, email: string) {
    const registrationId = crypto.randomUUID();
    const user = await deps.db.user.create({ data: { registrationId, firstName, lastName, email } });
    await deps.db.registration.create({ data: { id: registrationId, userId: user.id, outcome: "created" } });
    return user;
  }

  /** A snapshot of everything in the database, to show a refused call changed nothing. */
  async function everything() {
    const [users, notifications, registrations, apiKeys] = await Promise.all([
      deps.db.user.findMany({ orderBy: { id: "asc" } }),
      deps.db.notificationLog.findMany({ orderBy: { id: "asc" } }),
      deps.db.registration.findMany({ orderBy: { id: "asc" } }),
      deps.db.apiKey.findMany({ orderBy: { id: "asc" } }),
    ]);
    return { users, notifications, registrations, apiKeys };
  }

  it("answers UNAUTHORIZED to every procedure without an admin session, and changes nothing", async () => {
    const ada = await createUser("Ada", "Lovelace", "ada@example.com");
    const key = await caller(ADMIN).apiKeys.create({ name: "billing", scopes: ["read"] });
    const before = await everything();
    const anonymous = caller(null);
    const refusals = [
      anonymous.adminUsers.list({}),
      anonymous.adminUsers.get({ id: ada.id }),
      anonymous.adminUsers.update({ id: ada.id, firstName: "Eve" }),
      anonymous.adminUsers.delete({ id: ada.id }),
      anonymous.apiKeys.list(),
      anonymous.apiKeys.create({ name: "sneaky", scopes: ["read"] }),
      anonymous.apiKeys.revoke({ id: key.apiKey.id }),
      // Invalid input is refused for the missing session first: nothing about the API leaks.
      anonymous.adminUsers.update({ id: "not-a-uuid", firstName: "<b>" }),
    ];
    for (const refusal of refusals) expect(await codeOf(refusal)).toBe("UNAUTHORIZED");
    expect(await everything()).toEqual(before);
  });

  it("refuses, over HTTP, a request without a session cookie or with a forged one, whatever x-middleware-subrequest says", async () => {
    const ada = await createUser("Ada", "Lovelace", "ada@example.com");
    const before = await everything();
    const forged = signSessionToken(newSessionToken(), "not-the-session-secret-but-just-as-long-as-one");
    const expired = (await startAdminSession(deps.db, AUTH, new Date(Date.now() - AUTH.sessionTtlHours * 3_600_000))).token;
    const otherAdmin = (await startAdminSession(deps.db, { ...AUTH, adminEmail: "someone@example.com" })).token;
    const requests = [
      ["GET", "adminUsers.list", { search: "ada" }],
      ["GET", "adminUsers.get", { id: ada.id }],
      ["POST", "adminUsers.update", { id: ada.id, firstName: "Eve" }],
      ["POST", "adminUsers.delete", { id: ada.id }],
      ["GET", "apiKeys.list", undefined],
      ["POST", "apiKeys.create", { name: "sneaky", scopes: ["delete"] }],
      ["POST", "apiKeys.revoke", { id: crypto.randomUUID() }],
    ] as const;

    for (const [method, path, input] of requests) {
      for (const cookie of [undefined, `${COOKIE}=${forged}`, `${COOKIE}=${expired}`, `${COOKIE}=${otherAdmin}`]) {
        const headers = new Headers({
          "content-type": "application/json",
          // The Next.js CVE-2025-29927 bypass header: no middleware is involved, so it changes nothing.
          "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware",
        });
        if (cookie) headers.set("cookie", cookie);
        const encoded = JSON.stringify({ json: input });
        const url = `http://127.0.0.1/api/trpc/${path}${method === "GET" ? `?input=${encodeURIComponent(encoded)}` : ""}`;
        const response = await fetchRequestHandler({
          endpoint: "/api/trpc",
          router: appRouter,
          req: new Request(url, { method, headers, body: method === "POST" ? encoded : undefined }),
          // As the app's context does: the session comes from the cookie alone.
          createContext: async ({ req }) => ({
            headers: req.headers,
            db: deps.db,
            publisher: deps.publisher,
            adminSession: await adminSessionFromHeaders(req.headers, deps.db, AUTH),
          }),
        });
        expect(response.status, `${path} with ${cookie ?? "no cookie"}`).toBe(401);
      }
    }
    expect(await everything()).toEqual(before);

    // The same request with the real session is let through.
    const signedIn = new Headers({ cookie: `${COOKIE}=${(await startAdminSession(deps.db, AUTH)).token}` });
    const allowed = await fetchRequestHandler({
      endpoint: "/api/trpc",
      router: appRouter,
      req: new Request(
        `http://127.0.0.1/api/trpc/adminUsers.get?input=${encodeURIComponent(JSON.stringify({ json: { id: ada.id } }))}`,
        {
          headers: signedIn,
        },
      ),
      createContext: async ({ req }) => ({
        headers: req.headers,
        db: deps.db,
        publisher: deps.publisher,
        adminSession: await adminSessionFromHeaders(req.headers, deps.db, AUTH),
      }),
    });
    expect(allowed.status).toBe(200);
  });

  it("lets an admin search, sort and page through the users", async () => {
    await createUser("Ada", "Lovelace", "ada@example.com");
    await createUser("Grace", "Hopper", "grace@example.com");
    await createUser("Alan", "Turing", "alan@example.com");
    const admin = caller(ADMIN);

    const first = await admin.adminUsers.list({ sort: "last_name_asc", limit: 2 });
    expect(first.items.map((user) => user.lastName)).toEqual(["Hopper", "Lovelace"]);
    expect(first.total).toBe(3);
    const second = await admin.adminUsers.list({ sort: "last_name_asc", limit: 2, cursor: first.nextCursor });
    expect(second.items.map((user) => user.lastName)).toEqual(["Turing"]);
    expect(second.nextCursor).toBeNull();

    expect((await admin.adminUsers.list({ search: "ada love" })).items.map((user) => user.email)).toEqual(["ada@example.com"]);
    expect((await admin.adminUsers.list({ search: "@EXAMPLE.com", sort: "email_asc" })).items.map((user) => user.email)).toEqual([
      "ada@example.com",
      "alan@example.com",
      "grace@example.com",
    ]);
    expect(await codeOf(admin.adminUsers.list({ sort: "email_asc", cursor: first.nextCursor }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.adminUsers.list({ search: "al" }))).toBe("BAD_REQUEST");

    // The public directory is the same for a signed-in admin: masked addresses, searched by name only.
    expect((await admin.users.list({ search: "@EXAMPLE.com" })).total).toBe(0);
    const directory = await admin.users.list({});
    expect(directory.items.map((user) => user.maskedEmail).sort()).toEqual(["a•••@e•••.com", "a•••@e•••.com", "g•••@e•••.com"]);
    expect(JSON.stringify(directory)).not.toContain("@example.com");
  });

  it("lets an admin rename a user, validated like a registration; bad input changes nothing", async () => {
    const ada = await createUser("Ada", "Lovelace", "ada@example.com");
    const admin = caller(ADMIN);

    const renamed = await admin.adminUsers.update({ id: ada.id, firstName: "  Augusta Ada ", lastName: "King" });
    expect(renamed).toMatchObject({ id: ada.id, firstName: "Augusta Ada", lastName: "King", email: "ada@example.com" });
    expect(await admin.adminUsers.get({ id: ada.id })).toEqual(renamed);

    const before = await everything();
    const bad = await admin.adminUsers
      .update({ id: ada.id, firstName: "<img src=x onerror=alert(1)>", lastName: "" })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(TRPCError);
    expect(bad).toMatchObject({ code: "BAD_REQUEST" });
    expect(await codeOf(admin.adminUsers.update({ id: ada.id }))).toBe("BAD_REQUEST");
    // The email is the person's identity: it cannot be changed here.
    expect(await codeOf(admin.adminUsers.update({ id: ada.id, firstName: "Ada", email: "eve@example.com" } as never))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(admin.adminUsers.update({ id: crypto.randomUUID(), firstName: "Nobody" }))).toBe("NOT_FOUND");
    expect(await codeOf(admin.adminUsers.get({ id: crypto.randomUUID() }))).toBe("NOT_FOUND");
    expect(await codeOf(admin.adminUsers.get({ id: "1 OR 1=1" }))).toBe("BAD_REQUEST");
    expect(await everything()).toEqual(before);
  });

  it("deletes a user's personal data and keeps their notification rows anonymised", async () => {
    const ada = await createUser("Ada", "Lovelace", "ada@example.com");
    const grace = await createUser("Grace", "Hopper", "grace@example.com");
    const sentAt = new Date("2026-11-28T10:00:00.000Z");
    await deps.db.notificationLog.create({
      data: {
        userId: ada.id,
        kind: "welcome",
        status: "sent",
        provider: "smtp",
        providerMessageId: "<welcome.1@userstream.test>",
        attempts: 2,
        lastError: "421 try again later for <ada@example.com>",
        sentAt,
      },
    });
    await deps.db.notificationLog.create({ data: { userId: grace.id, kind: "welcome", status: "queued" } });
    const admin = caller(ADMIN);

    expect(await admin.adminUsers.delete({ id: ada.id })).toEqual({ id: ada.id, deleted: true });
    expect(await deps.db.user.findUnique({ where: { id: ada.id } })).toBeNull();
    expect(await deps.db.user.count({ where: { email: "ada@example.com" } })).toBe(0);
    const [kept] = await deps.db.notificationLog.findMany({ where: { status: "sent" } });
    expect(kept).toMatchObject({
      userId: null,
      kind: "welcome",
      status: "sent",
      provider: "smtp",
      attempts: 2,
      sentAt,
      providerMessageId: null,
      lastError: null,
    });
    // Her name, address or message id anywhere (a bare "ada" would also match the hex of a random UUID).
    expect(JSON.stringify(await everything())).not.toMatch(/"ada"|ada@|lovelace|welcome\.1@/i);
    // Her registration stays, without a user: its progress reads as before the email.
    expect(await deps.db.registration.count({ where: { userId: null } })).toBe(1);

    // A welcome email still waiting is not sent to a deleted user.
    await admin.adminUsers.delete({ id: grace.id });
    expect(await deps.db.notificationLog.findFirst({ where: { kind: "welcome", provider: null } })).toMatchObject({
      userId: null,
      status: "failed",
      lastError: DELETED_USER_ERROR,
    });

    expect(await codeOf(admin.adminUsers.delete({ id: ada.id }))).toBe("NOT_FOUND");
    expect((await admin.adminUsers.list({})).total).toBe(0);
  });
});
