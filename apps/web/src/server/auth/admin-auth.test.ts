import { beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_SESSION_COOKIE,
  adminSessionFromHeaders,
  adminSessionFromToken,
  readCookie,
  sessionCookieOptions,
  signInAdmin,
  type AdminAuthConfig,
} from "./admin-auth";
import { hashPassword } from "./password";

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
let config: AdminAuthConfig;

beforeAll(async () => {
  config = {
    adminEmail: "admin@example.com",
    passwordHash: await hashPassword("the admin password", { N: 2 ** 10, r: 8, p: 1 }),
    sessionSecret: "a-test-session-secret-of-at-least-32-characters",
    sessionTtlHours: 8,
    secureCookie: true,
  };
});

describe("signInAdmin", () => {
  it("signs the admin in for SESSION_TTL_HOURS, whatever the email's case and spaces", async () => {
    const result = await signInAdmin({ email: " Admin@Example.COM ", password: "the admin password" }, config, NOW);
    expect(result?.session).toEqual({ email: "admin@example.com", expiresAt: NOW + 8 * 3600_000 });
    expect(adminSessionFromToken(result?.token, config, NOW)).toEqual(result?.session);
  });

  it("refuses a wrong password and an unknown email alike", async () => {
    expect(await signInAdmin({ email: "admin@example.com", password: "wrong" }, config, NOW)).toBeNull();
    expect(await signInAdmin({ email: "someone@example.com", password: "the admin password" }, config, NOW)).toBeNull();
    expect(await signInAdmin({ email: "", password: "" }, config, NOW)).toBeNull();
  });
});

describe("adminSessionFromToken / adminSessionFromHeaders", () => {
  it("reads the session from the Cookie header among other cookies", async () => {
    const signedIn = await signInAdmin({ email: "admin@example.com", password: "the admin password" }, config, NOW);
    const headers = new Headers({ cookie: `theme=dark; ${ADMIN_SESSION_COOKIE}=${signedIn?.token}; other=1` });
    expect(adminSessionFromHeaders(headers, config, NOW)).toEqual(signedIn?.session);
    expect(adminSessionFromHeaders(new Headers(), config, NOW)).toBeNull();
    expect(adminSessionFromHeaders(new Headers({ cookie: `${ADMIN_SESSION_COOKIE}=forged` }), config, NOW)).toBeNull();
  });

  it("ends the sessions of an admin whose email is no longer ADMIN_EMAIL, and all sessions when the secret changes", async () => {
    const signedIn = await signInAdmin({ email: "admin@example.com", password: "the admin password" }, config, NOW);
    expect(adminSessionFromToken(signedIn?.token, { ...config, adminEmail: "new-admin@example.com" }, NOW)).toBeNull();
    expect(adminSessionFromToken(signedIn?.token, { ...config, sessionSecret: `${config.sessionSecret}!` }, NOW)).toBeNull();
  });

  it("ends a session after SESSION_TTL_HOURS", async () => {
    const signedIn = await signInAdmin({ email: "admin@example.com", password: "the admin password" }, config, NOW);
    expect(adminSessionFromToken(signedIn?.token, config, NOW + 8 * 3600_000 - 1)).not.toBeNull();
    expect(adminSessionFromToken(signedIn?.token, config, NOW + 8 * 3600_000)).toBeNull();
  });
});

describe("readCookie", () => {
  it("finds a cookie by exact name", () => {
    expect(readCookie("a=1; b=2;c=3", "b")).toBe("2");
    expect(readCookie("a=1; b=2;c=3", "c")).toBe("3");
    expect(readCookie("ab=1", "b")).toBeUndefined();
    expect(readCookie("token=x=y", "token")).toBe("x=y");
    expect(readCookie(null, "a")).toBeUndefined();
  });
});

describe("sessionCookieOptions", () => {
  it("is httpOnly, SameSite=Lax, for the whole site, Secure as configured, expiring with the session", () => {
    expect(sessionCookieOptions(config, NOW)).toEqual({ httpOnly: true, sameSite: "lax", secure: true, path: "/", expires: new Date(NOW) });
    expect(sessionCookieOptions({ ...config, secureCookie: false }, NOW).secure).toBe(false);
  });
});
