"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { env } from "~/env";
import {
  INCORRECT_CREDENTIALS_MESSAGE,
  LOCKED_OUT_MESSAGE,
  sessionCookieName,
  sessionCookieOptions,
} from "~/server/auth/admin-auth";
import { getAdminSession } from "~/server/auth/admin-session";
import { endAdminSession, endAllAdminSessions } from "~/server/auth/admin-sessions";
import { adminAuthConfig, signInThrottleConfig } from "~/server/auth/auth-config";
import { attemptSignIn } from "~/server/auth/sign-in";
import { clientLimitKey } from "~/server/client-address";
import { getDb } from "~/server/db";
import { getAuditLogger } from "~/server/logger";

/** What the sign-in form shows after an attempt; `attempt` remounts the form so the email is kept. */
export interface SignInState {
  error: string | null;
  email: string;
  attempt: number;
}

/** Longest input worth checking: an email is at most 254 characters; a password here at most 1024. */
const MAX_EMAIL_LENGTH = 254;
const MAX_PASSWORD_LENGTH = 1024;

/**
 * Signs the admin in: sets the session cookie and goes to /admin. Any failure gives the one
 * answer "Email or password is incorrect", so the form never tells whether an email is the
 * admin's. (Server actions are POSTs that the proxy and Next.js accept only from this site's own
 * pages: see `server/cross-site.ts`.)
 */
export async function signIn(previous: SignInState, formData: FormData): Promise<SignInState> {
  const email = formData.get("email");
  const password = formData.get("password");
  const attempt = previous.attempt + 1;
  if (typeof email !== "string" || typeof password !== "string") {
    return { error: INCORRECT_CREDENTIALS_MESSAGE, email: "", attempt };
  }
  const keptEmail = email.slice(0, MAX_EMAIL_LENGTH);
  if (!email.trim() || !password) return { error: "Enter your email and password.", email: keptEmail, attempt };

  const config = adminAuthConfig();
  const address = clientLimitKey(await headers(), env.TRUSTED_PROXIES);
  // Over-long input is counted as a failure like any wrong password.
  const withinLimits = email.length <= MAX_EMAIL_LENGTH && password.length <= MAX_PASSWORD_LENGTH;
  const credentials = withinLimits ? { email, password } : { email: keptEmail, password: "" };
  const deps = { db: getDb(), auth: config, throttle: signInThrottleConfig(), auditLog: getAuditLogger() };
  const signedIn = await attemptSignIn(credentials, address, deps);
  if (!signedIn.ok) {
    const error = signedIn.reason === "locked" ? LOCKED_OUT_MESSAGE : INCORRECT_CREDENTIALS_MESSAGE;
    return { error, email: keptEmail, attempt };
  }
  const store = await cookies();
  store.set(sessionCookieName(config), signedIn.token, sessionCookieOptions(config, signedIn.session.expiresAt));
  redirect("/admin");
}

/** Removes the session cookie from this browser (with the attributes it was set with, as `__Host-` requires). */
async function clearSessionCookie(): Promise<void> {
  const config = adminAuthConfig();
  const store = await cookies();
  store.set(sessionCookieName(config), "", { ...sessionCookieOptions(config, 0), maxAge: 0 });
}

/** Ends this browser's session, on the server too: a copy of the cookie is refused from now on. */
export async function signOut(): Promise<void> {
  const config = adminAuthConfig();
  const store = await cookies();
  const session = await getAdminSession();
  await endAdminSession(getDb(), store.get(sessionCookieName(config))?.value, config);
  await clearSessionCookie();
  if (session) getAuditLogger().info({ email: session.email }, "admin signed out");
  redirect("/admin/login");
}

/** Ends every session of the signed-in admin, in every browser (a lost laptop, a shared computer). */
export async function signOutEverywhere(): Promise<void> {
  const session = await getAdminSession();
  if (session) {
    const ended = await endAllAdminSessions(getDb(), session.email);
    getAuditLogger().info({ email: session.email, sessions: ended }, "admin signed out everywhere");
  }
  await clearSessionCookie();
  redirect("/admin/login");
}
