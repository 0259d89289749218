"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { env } from "~/env";
import { ADMIN_SESSION_COOKIE, INCORRECT_CREDENTIALS_MESSAGE, LOCKED_OUT_MESSAGE, sessionCookieOptions } from "~/server/auth/admin-auth";
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
 * admin's. (Server actions are POSTs that Next.js accepts only from this site's own pages.)
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
  store.set(ADMIN_SESSION_COOKIE, signedIn.token, sessionCookieOptions(config, signedIn.session.expiresAt));
  redirect("/admin");
}

/** Ends the session in this browser. (Sessions are not stored, so a copied cookie stays valid until it expires.) */
export async function signOut(): Promise<void> {
  const store = await cookies();
  store.set(ADMIN_SESSION_COOKIE, "", { ...sessionCookieOptions(adminAuthConfig(), 0), maxAge: 0 });
  redirect("/admin/login");
}
