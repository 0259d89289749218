import { createPrismaClient, type PrismaClient } from "@userstream/db";
import { createTestDatabase, type TestDatabase } from "@userstream/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AdminAuthConfig } from "./admin-auth";
import { findAdminSession } from "./admin-sessions";
import { hashPassword } from "./password";
import { attemptSignIn, type SignInDeps } from "./sign-in";

const NOW = new Date(Date.UTC(2026, 10, 28, 12, 0, 0));
const MINUTE = 60_000;
const later = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);
const PASSWORD = "the admin password";

describe("admin sign-in with failure limits in PostgreSQL", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let deps: SignInDeps;

  beforeAll(async () => {
    database = await createTestDatabase("userstream_web_sign_in");
    db = createPrismaClient(database.url);
    const auth: AdminAuthConfig = {
      adminEmail: "admin@example.com",
      passwordHash: await hashPassword(PASSWORD, { N: 2 ** 10, r: 8, p: 1 }),
      sessionSecret: "a-test-session-secret-of-at-least-32-characters",
      sessionTtlHours: 8,
      sessionIdleMinutes: 30,
      secureCookie: true,
    };
    deps = { db, auth, throttle: { maxFailuresPerAccount: 3, maxFailuresPerAddress: 5, windowMs: 15 * MINUTE, lockoutMs: 15 * MINUTE } };
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  beforeEach(async () => {
    await db.signInThrottle.deleteMany();
  });

  const attempt = (email: string, password: string, address = "203.0.113.7", at = NOW) =>
    attemptSignIn({ email, password }, address, deps, at);

  it("signs in with the right password and starts a session that the cookie value finds", async () => {
    const result = await attempt("Admin@Example.com", PASSWORD);
    if (!result.ok) throw new Error(`refused: ${result.reason}`);
    expect(await findAdminSession(db, result.token, deps.auth, NOW)).toEqual(result.session);
  });

  it("answers a wrong password and an unknown account the same way", async () => {
    expect(await attempt("admin@example.com", "wrong")).toEqual({ ok: false, reason: "incorrect" });
    expect(await attempt("nobody@example.com", PASSWORD)).toEqual({ ok: false, reason: "incorrect" });
  });

  it("locks an account after N failures, even for the right password, the same for an unknown account, until the lock-out ends", async () => {
    for (const email of ["admin@example.com", "nobody@example.com"]) {
      // From different addresses, so only the account's counter can lock.
      for (let i = 1; i <= 3; i++) expect(await attempt(email, "wrong", `198.51.100.${i}`)).toEqual({ ok: false, reason: "incorrect" });
      expect(await attempt(email, email === "admin@example.com" ? PASSWORD : "wrong", "198.51.100.9")).toEqual({ ok: false, reason: "locked" });
      expect(await attempt(email, PASSWORD, "198.51.100.9", later(14))).toEqual({ ok: false, reason: "locked" });
    }
    expect((await attempt("ADMIN@example.com ", PASSWORD, "198.51.100.9", later(15))).ok).toBe(true);
  });

  it("locks an address after its limit, whatever emails it tries, while other addresses still sign in", async () => {
    for (let i = 1; i <= 5; i++) expect((await attempt(`guess${i}@example.com`, "wrong", "192.0.2.1")).ok).toBe(false);
    expect(await attempt("admin@example.com", PASSWORD, "192.0.2.1")).toEqual({ ok: false, reason: "locked" });
    expect((await attempt("admin@example.com", PASSWORD, "192.0.2.2")).ok).toBe(true);
  });

  it("forgets failures once their window has passed, and after a successful sign-in", async () => {
    await attempt("admin@example.com", "wrong");
    await attempt("admin@example.com", "wrong");
    // The window has passed: the count starts again, so two more failures do not lock.
    await attempt("admin@example.com", "wrong", "203.0.113.7", later(16));
    await attempt("admin@example.com", "wrong", "203.0.113.7", later(16));
    expect((await attempt("admin@example.com", PASSWORD, "203.0.113.7", later(16))).ok).toBe(true);
    await attempt("admin@example.com", "wrong", "203.0.113.7", later(17));
    await attempt("admin@example.com", "wrong", "203.0.113.7", later(17));
    expect((await attempt("admin@example.com", PASSWORD, "203.0.113.7", later(17))).ok).toBe(true);
  });

  it("counts concurrent failures from several instances without losing any", async () => {
    const deps2 = { ...deps, db: createPrismaClient(database.url) };
    try {
      await Promise.all([
        attempt("admin@example.com", "wrong", "198.51.100.1"),
        attemptSignIn({ email: "admin@example.com", password: "wrong" }, "198.51.100.2", deps2, NOW),
        attemptSignIn({ email: "admin@example.com", password: "wrong" }, "198.51.100.3", deps2, NOW),
      ]);
    } finally {
      await deps2.db.$disconnect();
    }
    expect(await db.signInThrottle.findUnique({ where: { key: "account:admin@example.com" } })).toMatchObject({ failures: 3 });
    expect(await attempt("admin@example.com", PASSWORD, "198.51.100.4")).toEqual({ ok: false, reason: "locked" });
  });
});
