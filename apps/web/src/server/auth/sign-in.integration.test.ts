import { Writable } from "node:stream";
import { createPrismaClient } from "@userstream/db";
import pino from "pino";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AdminAuthConfig } from "./admin-auth";
import { findAdminSession } from "./admin-sessions";
import { hashPassword } from "../../config/password-hash";
import { attemptSignIn, type SignInDeps } from "./sign-in";
import type { SignInThrottleConfig } from "./sign-in-throttle";
import { setupTestDatabase } from "../testing";

const NOW = new Date(Date.UTC(2026, 10, 28, 12, 0, 0));
const MINUTE = 60_000;
const later = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);
const PASSWORD = "the admin password";
const ADMIN = "admin@example.com";
const LOCKED = { ok: false, reason: "locked" };
const INCORRECT = { ok: false, reason: "incorrect" };
/** No slow-down: the tests that are not about it run at full speed. */
const THROTTLE: SignInThrottleConfig = {
  maxFailuresPerAccountAndAddress: 3,
  maxFailuresPerAddress: 5,
  slowDownAfter: 3,
  slowDownStepMs: 0,
  slowDownMaxMs: 0,
  windowMs: 15 * MINUTE,
  lockoutMs: 15 * MINUTE,
};

describe("admin sign-in with failure limits in PostgreSQL", () => {
  const database = setupTestDatabase("userstream_web_sign_in");
  let deps: SignInDeps;
  /** The audit trail's lines, as the app's pino logger writes them. */
  let audit: Array<Record<string, unknown>>;

  beforeAll(async () => {
    const auth: AdminAuthConfig = {
      adminEmail: ADMIN,
      passwordHash: await hashPassword(PASSWORD, { N: 2 ** 10, r: 8, p: 1 }),
      sessionSecret: "a-test-session-secret-of-at-least-32-characters",
      sessionTtlHours: 8,
      sessionIdleMinutes: 30,
      secureCookie: true,
    };
    const lines = new Writable({
      write(chunk: Buffer, _encoding, done) {
        audit.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    deps = { db: database.db, auth, throttle: THROTTLE, auditLog: pino({ base: { log: "audit" } }, lines) };
  });

  beforeEach(async () => {
    await database.db.signInThrottle.deleteMany();
    audit = [];
  });

  const attempt = (email: string, password: string, address = "203.0.113.7", at = NOW, using = deps) =>
    attemptSignIn({ email, password }, address, using, at);

  it("signs in with the right password and starts a session that the cookie value finds", async () => {
    const result = await attempt("Admin@Example.com", PASSWORD);
    if (!result.ok) throw new Error(`refused: ${result.reason}`);
    expect(await findAdminSession(database.db, result.token, deps.auth, NOW)).toEqual(result.session);
  });

  it("answers a wrong password and an unknown account the same way", async () => {
    expect(await attempt(ADMIN, "wrong")).toEqual(INCORRECT);
    expect(await attempt("nobody@example.com", PASSWORD)).toEqual(INCORRECT);
  });

  it("locks an email for the address that failed, not for the admin signing in from another one", async () => {
    for (let i = 1; i <= 3; i++) expect(await attempt(ADMIN, "wrong", "198.51.100.1")).toEqual(INCORRECT);
    // Even the right password is refused from the first address, until its lock-out ends...
    expect(await attempt(ADMIN, PASSWORD, "198.51.100.1")).toEqual(LOCKED);
    // ...while the admin signs in from a second address...
    expect((await attempt(ADMIN, PASSWORD, "192.0.2.50", later(1))).ok).toBe(true);
    // ...which does not unlock the first.
    expect(await attempt(ADMIN, PASSWORD, "198.51.100.1", later(14))).toEqual(LOCKED);
    expect((await attempt("ADMIN@example.com ", PASSWORD, "198.51.100.1", later(15))).ok).toBe(true);
  });

  it("locks an unknown email for that address exactly as the admin's", async () => {
    for (let i = 1; i <= 3; i++) expect(await attempt("nobody@example.com", "wrong", "198.51.100.1")).toEqual(INCORRECT);
    expect(await attempt("nobody@example.com", "wrong", "198.51.100.1")).toEqual(LOCKED);
    expect(await attempt("nobody@example.com", "wrong", "198.51.100.2")).toEqual(INCORRECT);
  });

  it("counts the addresses of one IPv6 /64 as one address (as their limit key says)", async () => {
    for (let i = 1; i <= 3; i++) await attempt(ADMIN, "wrong", "2001:db8:1:2::/64");
    expect(await attempt(ADMIN, PASSWORD, "2001:db8:1:2::/64")).toEqual(LOCKED);
    expect((await attempt(ADMIN, PASSWORD, "2001:db8:1:3::/64")).ok).toBe(true);
  });

  it("locks an address after its limit, whatever emails it tries, while other addresses still sign in", async () => {
    for (let i = 1; i <= 5; i++) expect(await attempt(`guess${i}@example.com`, "wrong", "192.0.2.1")).toEqual(INCORRECT);
    expect(await attempt(ADMIN, PASSWORD, "192.0.2.1")).toEqual(LOCKED);
    expect(await attempt("guess6@example.com", "wrong", "192.0.2.1")).toEqual(LOCKED);
    expect((await attempt(ADMIN, PASSWORD, "192.0.2.2")).ok).toBe(true);
  });

  it("forgets failures once their window has passed, and after a successful sign-in", async () => {
    await attempt(ADMIN, "wrong");
    await attempt(ADMIN, "wrong");
    // The window has passed: the count starts again, so two more failures do not lock.
    await attempt(ADMIN, "wrong", "203.0.113.7", later(16));
    await attempt(ADMIN, "wrong", "203.0.113.7", later(16));
    expect((await attempt(ADMIN, PASSWORD, "203.0.113.7", later(16))).ok).toBe(true);
    await attempt(ADMIN, "wrong", "203.0.113.7", later(17));
    await attempt(ADMIN, "wrong", "203.0.113.7", later(17));
    expect((await attempt(ADMIN, PASSWORD, "203.0.113.7", later(17))).ok).toBe(true);
  });

  it("counts concurrent failures from several instances without losing any", async () => {
    const deps2 = { ...deps, db: createPrismaClient(database.url) };
    try {
      await Promise.all([
        attempt(ADMIN, "wrong"),
        attempt(ADMIN, "wrong", undefined, NOW, deps2),
        attempt(ADMIN, "wrong", undefined, NOW, deps2),
      ]);
    } finally {
      await deps2.db.$disconnect();
    }
    expect(await database.db.signInThrottle.findUnique({ where: { key: `pair:203.0.113.7 ${ADMIN}` } })).toMatchObject({
      failures: 3,
    });
    expect(await database.db.signInThrottle.findUnique({ where: { key: `account:${ADMIN}` } })).toMatchObject({ failures: 3 });
    expect(await attempt(ADMIN, PASSWORD)).toEqual(LOCKED);
  });

  it("slows an email failing from everywhere down, by a bounded delay, and still lets the right password in", async () => {
    const slowed = { ...deps, throttle: { ...THROTTLE, slowDownAfter: 3, slowDownStepMs: 300, slowDownMaxMs: 900 } };
    /**
     * An attempt for the admin's email from `address`: its result, the delay the audit trail says
     * it was held for, and how long it took (at least that delay; more on a busy machine).
     */
    const timed = async (password: string, address: string) => {
      const started = performance.now();
      const result = await attempt(ADMIN, password, address, NOW, slowed);
      return { result, ms: performance.now() - started, delayMs: audit.at(-1)?.delayMs };
    };
    // Three failures from three addresses: no pair and no address is locked, and none waited.
    for (let i = 1; i <= 3; i++) expect((await timed("wrong", `198.51.100.${i}`)).delayMs).toBe(0);
    // From the third failure on, each attempt for the email waits one step more...
    const fourth = await timed("wrong", "198.51.100.4");
    expect(fourth).toMatchObject({ result: INCORRECT, delayMs: 300 });
    expect(fourth.ms).toBeGreaterThanOrEqual(300);
    const fifth = await timed("wrong", "198.51.100.5");
    expect(fifth.delayMs).toBe(600);
    expect(fifth.ms).toBeGreaterThanOrEqual(600);
    // ...up to the cap: 15 more failures (counted without waiting) would make it 5.4 s uncapped.
    for (let i = 6; i <= 20; i++) await attempt(ADMIN, "wrong", `198.51.100.${i}`);
    const capped = await timed("wrong", "198.51.100.21");
    expect(capped).toMatchObject({ result: INCORRECT, delayMs: 900 });
    expect(capped.ms).toBeGreaterThanOrEqual(900);
    // The right password, from an address that is not locked, signs in after the same wait.
    const admin = await timed(PASSWORD, "192.0.2.99");
    expect(admin.result.ok).toBe(true);
    expect(admin.ms).toBeGreaterThanOrEqual(900);
    expect(audit.at(-1)).toMatchObject({ msg: "admin signed in", delayMs: 900 });
  });

  it("writes every attempt to the audit trail with the email typed and the address, never the password", async () => {
    await attempt(" Nobody@Example.com", "secret guess 1", "198.51.100.1");
    for (let i = 0; i < 3; i++) await attempt(ADMIN, "secret guess 2", "2001:db8:1:2::/64");
    await attempt(ADMIN, PASSWORD, "2001:db8:1:2::/64");
    await attempt("Admin@Example.com", PASSWORD, "192.0.2.7");
    expect(audit.map(({ msg, email, address, reason }) => ({ msg, email, address, reason }))).toEqual([
      { msg: "admin sign-in refused", email: "nobody@example.com", address: "198.51.100.1", reason: "incorrect" },
      ...Array.from({ length: 3 }, () => ({
        msg: "admin sign-in refused",
        email: ADMIN,
        address: "2001:db8:1:2::/64",
        reason: "incorrect",
      })),
      { msg: "admin sign-in refused", email: ADMIN, address: "2001:db8:1:2::/64", reason: "locked" },
      { msg: "admin signed in", email: ADMIN, address: "192.0.2.7", reason: undefined },
    ]);
    for (const line of audit) expect(line).toMatchObject({ level: 30, log: "audit" });
    const written = JSON.stringify(audit);
    for (const password of ["secret guess", PASSWORD]) expect(written).not.toContain(password);
  });
});
