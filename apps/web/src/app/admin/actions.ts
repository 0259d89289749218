"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { ADMIN_SESSION_COOKIE, INCORRECT_CREDENTIALS_MESSAGE, sessionCookieOptions, signInAdmin } from "~/server/auth/admin-auth";
import { adminAuthConfig } from "~/server/auth/admin-session";

/** What the sign-in form shows after an attempt; `attempt` remounts the form so the email is kept. */
export interface SignInState {
  error: string | null;
  email: string;
  attempt: number;
}

/** Longest input worth checking: an email is at most 254 characters; a password here at most 1024. */
const MAX_EMAIL_LENGTH = 254;
const MAX_PASSWORD_LENGTH = 1024;

function log(level: "info" | "warn", msg: string, fields: object = {}) {
  console[level](JSON.stringify({ level, msg, ...fields }));
}

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
  const signedIn =
    email.length <= MAX_EMAIL_LENGTH && password.length <= MAX_PASSWORD_LENGTH
      ? await signInAdmin({ email, password }, config)
      : null;
  if (!signedIn) {
    log("warn", "admin sign-in refused");
    return { error: INCORRECT_CREDENTIALS_MESSAGE, email: keptEmail, attempt };
  }
  const store = await cookies();
  store.set(ADMIN_SESSION_COOKIE, signedIn.token, sessionCookieOptions(config, signedIn.session.expiresAt));
  log("info", "admin signed in", { email: signedIn.session.email });
  redirect("/admin");
}

/** Ends the session in this browser. (Sessions are not stored, so a copied cookie stays valid until it expires.) */
export async function signOut(): Promise<void> {
  const store = await cookies();
  store.set(ADMIN_SESSION_COOKIE, "", { ...sessionCookieOptions(adminAuthConfig(), 0), maxAge: 0 });
  redirect("/admin/login");
}
