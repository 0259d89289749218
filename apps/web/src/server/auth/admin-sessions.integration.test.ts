import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AdminAuthConfig } from "./admin-auth";
import { endAdminSession, endAllAdminSessions, findAdminSession, startAdminSession } from "./admin-sessions";
import { hashPassword } from "../../config/password-hash";
import { sessionIdOf, verifySessionToken } from "./session";
import { testAdminAuth } from "./testing";
import { setupTestDatabase } from "../testing";

const NOW = new Date(Date.UTC(2026, 10, 28, 12, 0, 0));
const MINUTE = 60_000;
const later = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);

describe("admin sessions in PostgreSQL", () => {
  const database = setupTestDatabase("userstream_web_sessions");
  let config: AdminAuthConfig;

  beforeAll(async () => {
    config = await testAdminAuth();
  });

  beforeEach(async () => {
    await database.db.adminSession.deleteMany();
  });

  const start = (at = NOW, auth = config) => startAdminSession(database.db, auth, at).then((started) => started.token);
  const find = (cookie: string, at: Date, auth = config) => findAdminSession(database.db, cookie, auth, at);

  it("stores a session under the SHA-256 of its token, never the token, and finds it from the cookie", async () => {
    const cookie = await start();
    const token = verifySessionToken(cookie, config.sessionSecret) ?? "";
    const [record] = await database.db.adminSession.findMany();
    expect(record).toMatchObject({
      id: sessionIdOf(token),
      email: "admin@example.com",
      lastSeenAt: NOW,
      expiresAt: later(8 * 60),
      revokedAt: null,
    });
    expect(JSON.stringify(record)).not.toContain(token);
    expect(await find(cookie, later(1))).toEqual({ email: "admin@example.com", expiresAt: later(8 * 60).getTime() });
  });

  it("refuses the cookie of a session that was signed out, while another session goes on", async () => {
    const [signedOut, other] = [await start(), await start()];
    await endAdminSession(database.db, signedOut, config, later(1));
    expect(await find(signedOut, later(2))).toBeNull();
    expect(await find(other, later(2))).not.toBeNull();
    expect(
      (
        await database.db.adminSession.findUnique({
          where: { id: sessionIdOf(verifySessionToken(signedOut, config.sessionSecret) ?? "") },
        })
      )?.revokedAt,
    ).toEqual(later(1));
  });

  it("signs out everywhere: every session of the admin ends", async () => {
    const sessions = [await start(), await start(), await start()];
    expect(await endAllAdminSessions(database.db, "admin@example.com", later(1))).toBe(3);
    for (const cookie of sessions) expect(await find(cookie, later(2))).toBeNull();
    // A new sign-in afterwards works.
    expect(await find(await start(later(3)), later(4))).not.toBeNull();
  });

  it("refuses a session made under another password hash, admin email or session secret", async () => {
    const cookie = await start();
    const newPassword = { ...config, passwordHash: await hashPassword("a new password", { N: 2 ** 10, r: 8, p: 1 }) };
    expect(await find(cookie, later(1), newPassword)).toBeNull();
    expect(await find(cookie, later(1), { ...config, adminEmail: "new-admin@example.com" })).toBeNull();
    expect(await find(cookie, later(1), { ...config, sessionSecret: `${config.sessionSecret}!` })).toBeNull();
    // Under the new password, a new sign-in works; the old cookie stays refused.
    expect(await find(await start(later(2), newPassword), later(3), newPassword)).not.toBeNull();
    expect(await find(cookie, later(3), newPassword)).toBeNull();
  });

  it("ends a session after SESSION_IDLE_MINUTES without use; each use keeps it alive", async () => {
    const kept = await start();
    const idle = await start();
    expect(await find(kept, later(29))).not.toBeNull();
    expect(await find(kept, later(58))).not.toBeNull();
    expect(await find(idle, later(30))).toBeNull();
    expect(await find(kept, later(88))).toBeNull();
  });

  it("ends a session at its absolute end, however busy", async () => {
    const cookie = await start();
    for (let minutes = 20; minutes < 8 * 60; minutes += 20)
      expect(await find(cookie, later(minutes)), `${minutes} min`).not.toBeNull();
    expect(await find(cookie, later(8 * 60 - 1))).not.toBeNull();
    expect(await find(cookie, later(8 * 60))).toBeNull();
  });

  it("records use at most once a minute", async () => {
    const cookie = await start();
    const lastSeen = async () => (await database.db.adminSession.findFirstOrThrow()).lastSeenAt;
    await find(cookie, new Date(NOW.getTime() + 59_000));
    expect(await lastSeen()).toEqual(NOW);
    await find(cookie, later(1));
    expect(await lastSeen()).toEqual(later(1));
    await find(cookie, new Date(later(1).getTime() + 30_000));
    expect(await lastSeen()).toEqual(later(1));
  });

  it("deletes sessions past their absolute end when someone signs in", async () => {
    const old = await start();
    const revoked = await start(later(60));
    await endAdminSession(database.db, revoked, config, later(61));
    await start(later(8 * 60));
    const remaining = await database.db.adminSession.findMany({ orderBy: { createdAt: "asc" } });
    expect(remaining.map((record) => record.createdAt)).toEqual([later(60), later(8 * 60)]);
    expect(await find(old, later(8 * 60))).toBeNull();
  });
});
