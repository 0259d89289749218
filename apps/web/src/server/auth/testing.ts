/** Helpers for the admin sign-in and session tests (imported by test files only). */
import type { AdminAuthConfig } from "./admin-auth";
import { hashPassword } from "../../config/password-hash";

/** The password of the admin {@link testAdminAuth} makes. */
export const TEST_ADMIN_PASSWORD = "the admin password";

/**
 * An admin account (admin@example.com, TEST_ADMIN_PASSWORD) and session settings as production
 * has them (8-hour sessions, 30 idle minutes, Secure cookie), with `overrides` laid over them. The
 * hash is made at a low scrypt cost: the same code path, without the wait.
 */
export async function testAdminAuth(overrides: Partial<AdminAuthConfig> = {}): Promise<AdminAuthConfig> {
  return {
    adminEmail: "admin@example.com",
    passwordHash: await hashPassword(TEST_ADMIN_PASSWORD, { N: 2 ** 10, r: 8, p: 1 }),
    sessionSecret: "a-test-session-secret-of-at-least-32-characters",
    sessionTtlHours: 8,
    sessionIdleMinutes: 30,
    secureCookie: true,
    ...overrides,
  };
}
