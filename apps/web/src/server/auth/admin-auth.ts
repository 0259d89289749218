/**
 * The admin account (one, from the environment) and the pieces of its sessions that need no
 * database: checking a sign-in, the cookie's name and options, the password fingerprint. Pure
 * functions of their configuration; `admin-sessions.ts` keeps the session records.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { verifyPassword } from "../../config/password-hash";

export type { AdminSession } from "./session";

export interface AdminAuthConfig {
  /** The admin's email, lower-case. */
  adminEmail: string;
  /** `scrypt:…` from `hashPassword`. */
  passwordHash: string;
  sessionSecret: string;
  /** The absolute lifetime of a session. */
  sessionTtlHours: number;
  /** A session not used for this long ends. */
  sessionIdleMinutes: number;
  /**
   * Send the cookie over HTTPS only, as `__Host-userstream_admin` (everywhere but `next dev`, which
   * may be reached over plain http on any address).
   */
  secureCookie: boolean;
}

/**
 * The session cookie's name. `__Host-` makes the browser refuse it unless it is Secure, for Path=/
 * and without Domain, so neither a sibling subdomain nor a plain-http page can set or overwrite it.
 * Browsers accept Secure cookies from http://localhost and 127.0.0.1 (the local trial); `next dev`
 * alone uses the plain name without Secure.
 */
export function sessionCookieName(config: Pick<AdminAuthConfig, "secureCookie">): string {
  return config.secureCookie ? "__Host-userstream_admin" : "userstream_admin";
}

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
 * Whether an email and password are the admin account's. The password is always run through
 * scrypt, even when the email is wrong, so the time taken does not tell whether the email is the
 * admin's.
 */
export async function checkAdminCredentials(
  credentials: { email: string; password: string },
  config: AdminAuthConfig,
): Promise<boolean> {
  const emailMatches = sameText(credentials.email.trim().toLowerCase(), config.adminEmail);
  const passwordMatches = await verifyPassword(credentials.password, config.passwordHash);
  return emailMatches && passwordMatches;
}

/**
 * Stands for the password hash in force, stored with each session: a session made under another
 * hash (the password was changed) is refused. Keyed with SESSION_SECRET, so the table does not
 * hold anything derived from the hash alone.
 */
export function passwordFingerprint(config: Pick<AdminAuthConfig, "passwordHash" | "sessionSecret">): string {
  return createHmac("sha256", config.sessionSecret)
    .update(`userstream.password-fingerprint.${config.passwordHash}`)
    .digest("hex");
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

/**
 * httpOnly (scripts never see it), SameSite=Lax (not sent on cross-site POSTs; top-level links to
 * the admin pages still work), Secure outside development, for the whole site and no Domain (as
 * `__Host-` requires), expiring with the session.
 */
export function sessionCookieOptions(config: Pick<AdminAuthConfig, "secureCookie">, expiresAt: number) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: config.secureCookie,
    path: "/",
    expires: new Date(expiresAt),
  };
}
