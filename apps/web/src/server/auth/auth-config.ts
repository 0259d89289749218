import "server-only";
import { env } from "~/env";
import type { AdminAuthConfig } from "./admin-auth";
import type { SignInThrottleConfig } from "./sign-in-throttle";

/** The admin account and session settings from the validated environment. */
export function adminAuthConfig(): AdminAuthConfig {
  return {
    adminEmail: env.ADMIN_EMAIL,
    passwordHash: env.ADMIN_PASSWORD_HASH,
    sessionSecret: env.SESSION_SECRET,
    sessionTtlHours: env.SESSION_TTL_HOURS,
    sessionIdleMinutes: env.SESSION_IDLE_MINUTES,
    secureCookie: env.NODE_ENV !== "development",
  };
}

/** The failed sign-in limits from the validated environment. */
export function signInThrottleConfig(): SignInThrottleConfig {
  return {
    maxFailuresPerAccountAndAddress: env.SIGN_IN_MAX_FAILURES,
    maxFailuresPerAddress: env.SIGN_IN_MAX_FAILURES_PER_ADDRESS,
    slowDownAfter: env.SIGN_IN_SLOWDOWN_AFTER,
    slowDownStepMs: env.SIGN_IN_SLOWDOWN_STEP_MS,
    slowDownMaxMs: env.SIGN_IN_SLOWDOWN_MAX_MS,
    windowMs: env.SIGN_IN_WINDOW_MINUTES * 60_000,
    lockoutMs: env.SIGN_IN_LOCKOUT_MINUTES * 60_000,
  };
}
