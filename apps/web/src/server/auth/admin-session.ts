import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { env } from "~/env";
import { ADMIN_SESSION_COOKIE, adminSessionFromToken, type AdminAuthConfig, type AdminSession } from "./admin-auth";
import type { SignInThrottleConfig } from "./sign-in-throttle";

/** The admin account and session settings from the validated environment. */
export function adminAuthConfig(): AdminAuthConfig {
  return {
    adminEmail: env.ADMIN_EMAIL,
    passwordHash: env.ADMIN_PASSWORD_HASH,
    sessionSecret: env.SESSION_SECRET,
    sessionTtlHours: env.SESSION_TTL_HOURS,
    secureCookie: env.NODE_ENV !== "development",
  };
}

/** The failed sign-in limits from the validated environment. */
export function signInThrottleConfig(): SignInThrottleConfig {
  return {
    maxFailuresPerAccount: env.SIGN_IN_MAX_FAILURES,
    maxFailuresPerAddress: env.SIGN_IN_MAX_FAILURES_PER_ADDRESS,
    windowMs: env.SIGN_IN_WINDOW_MINUTES * 60_000,
    lockoutMs: env.SIGN_IN_LOCKOUT_MINUTES * 60_000,
  };
}

/** The signed-in admin of the current request (server components, server actions), or null. */
export async function getAdminSession(): Promise<AdminSession | null> {
  const store = await cookies();
  return adminSessionFromToken(store.get(ADMIN_SESSION_COOKIE)?.value, adminAuthConfig());
}

/**
 * The session, or a redirect to the sign-in page. The admin layout calls it, and every admin page
 * calls it again itself: a layout is not re-run on every client-side navigation.
 */
export async function requireAdminSession(): Promise<AdminSession> {
  const session = await getAdminSession();
  if (!session) redirect("/admin/login");
  return session;
}
