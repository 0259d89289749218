import { beforeAll, describe, expect, it } from "vitest";
import {
  checkAdminCredentials,
  passwordFingerprint,
  readCookie,
  sessionCookieName,
  sessionCookieOptions,
  type AdminAuthConfig,
} from "./admin-auth";
import { hashPassword } from "../../config/password-hash";
import { TEST_ADMIN_PASSWORD, testAdminAuth } from "./testing";

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
let config: AdminAuthConfig;

beforeAll(async () => {
  config = await testAdminAuth();
});

describe("checkAdminCredentials", () => {
  it("accepts the admin's email and password, whatever the email's case and spaces", async () => {
    expect(await checkAdminCredentials({ email: " Admin@Example.COM ", password: TEST_ADMIN_PASSWORD }, config)).toBe(true);
  });

  it("refuses a wrong password and an unknown email alike", async () => {
    expect(await checkAdminCredentials({ email: "admin@example.com", password: "wrong" }, config)).toBe(false);
    expect(await checkAdminCredentials({ email: "someone@example.com", password: TEST_ADMIN_PASSWORD }, config)).toBe(false);
    expect(await checkAdminCredentials({ email: "", password: "" }, config)).toBe(false);
  });
});

describe("passwordFingerprint", () => {
  it("changes with the password hash and with the session secret, and does not hold the hash", async () => {
    const fingerprint = passwordFingerprint(config);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(passwordFingerprint({ ...config })).toBe(fingerprint);
    const otherHash = await hashPassword(TEST_ADMIN_PASSWORD, { N: 2 ** 10, r: 8, p: 1 });
    expect(passwordFingerprint({ ...config, passwordHash: otherHash })).not.toBe(fingerprint);
    expect(passwordFingerprint({ ...config, sessionSecret: `${config.sessionSecret}!` })).not.toBe(fingerprint);
  });
});

describe("readCookie", () => {
  it("finds a cookie by exact name", () => {
    expect(readCookie("a=1; b=2;c=3", "b")).toBe("2");
    expect(readCookie("a=1; b=2;c=3", "c")).toBe("3");
    expect(readCookie("ab=1", "b")).toBeUndefined();
    expect(readCookie("token=x=y", "token")).toBe("x=y");
    expect(readCookie("userstream_admin=plain; __Host-userstream_admin=host", "__Host-userstream_admin")).toBe("host");
    expect(readCookie(null, "a")).toBeUndefined();
  });
});

describe("the session cookie", () => {
  it("is __Host-userstream_admin: httpOnly, SameSite=Lax, Secure, for the whole site and no Domain, expiring with the session", () => {
    expect(sessionCookieName(config)).toBe("__Host-userstream_admin");
    expect(sessionCookieOptions(config, NOW)).toEqual({
      httpOnly: true,
      sameSite: "lax",
      secure: true,
      path: "/",
      expires: new Date(NOW),
    });
  });

  it("is the plain userstream_admin, without Secure, only where cookies are not Secure (next dev over plain http)", () => {
    const development = { ...config, secureCookie: false };
    expect(sessionCookieName(development)).toBe("userstream_admin");
    expect(sessionCookieOptions(development, NOW).secure).toBe(false);
  });
});
