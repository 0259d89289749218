/**
 * The admin account (one, from the environment) and its sessions: checking a sign-in, reading a
 * session from a cookie. Pure functions of their configuration, so tests need no Next.js request;
 * `admin-session.ts` wires them to `env` and the request's cookies.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { verifyPassword } from "./password";
import { signSession, verifySession, type AdminSession } from "./session";

export type { AdminSession } from "./session";

export interface AdminAuthConfig {
  /** The admin's email, lower-case. */
  adminEmail: string;
  /** `scrypt:…` from `hashPassword`. */
  passwordHash: string;
  sessionSecret: string;
  sessionTtlHours: number;
  /** Send the cookie over HTTPS only (everywhere but development). */
  secureCookie: boolean;
}

export const ADMIN_SESSION_COOKIE = "userstream_admin";

/** The one answer to a failed sign-in, whether the email is the admin's or not. */
export const INCORRECT_CREDENTIALS_MESSAGE = "Email or password is incorrect";

/** The answer while an account or address is locked out: the same whether the account exists or not. */
export const LOCKED_OUT_MESSAGE = "Too many failed sign-ins. Please wait a few minutes and try again.";

/** Equal-length digests compared in constant time, so the comparison time does not depend on the input. */
function sameText(a: string, b: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Checks an email and password against the admin account. The password is always run through
 * scrypt, even when the email is wrong, so the time taken does not tell whether the email is the
 * admin's. Returns the signed session token and what it holds, or null.
 */
export async function signInAdmin(
  credentials: { email: string; password: string },
  config: AdminAuthConfig,
  now: number = Date.now(),
): Promise<{ token: string; session: AdminSession } | null> {
  const emailMatches = sameText(credentials.email.trim().toLowerCase(), config.adminEmail);
  const passwordMatches = await verifyPassword(credentials.password, config.passwordHash);
  if (!emailMatches || !passwordMatches) return null;
  const session = { email: config.adminEmail, expiresAt: now + config.sessionTtlHours * 60 * 60 * 1000 };
  return { token: signSession(session, config.sessionSecret), session };
}

/**
 * The session a cookie value holds, if it is valid and still names the configured admin (changing
 * ADMIN_EMAIL ends the old admin's sessions; changing SESSION_SECRET ends everyone's).
 */
export function adminSessionFromToken(
  token: string | undefined,
  config: AdminAuthConfig,
  now: number = Date.now(),
): AdminSession | null {
  const session = verifySession(token, config.sessionSecret, now);
  return session && session.email === config.adminEmail ? session : null;
}

/** The value of cookie `name` in a `Cookie` request header. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(";")) {
    const index = pair.indexOf("=");
    if (index > 0 && pair.slice(0, index).trim() === name) return pair.slice(index + 1).trim();
  }
  return undefined;
}

/** The admin session of a request, from its `Cookie` header (route handlers, the tRPC context). */
export function adminSessionFromHeaders(headers: Headers, config: AdminAuthConfig, now: number = Date.now()): AdminSession | null {
  return adminSessionFromToken(readCookie(headers.get("cookie"), ADMIN_SESSION_COOKIE), config, now);
}

/**
 * httpOnly (scripts never see it), SameSite=Lax (not sent on cross-site POSTs; top-level links to
 * the admin pages still work), Secure outside development, expiring with the session.
 */
export function sessionCookieOptions(config: AdminAuthConfig, expiresAt: number) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: config.secureCookie,
    path: "/",
    expires: new Date(expiresAt),
  };
}
