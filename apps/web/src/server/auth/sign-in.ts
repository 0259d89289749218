import type { PrismaClient } from "@userstream/db";
import { checkAdminCredentials, type AdminAuthConfig, type AdminSession } from "./admin-auth";
import { startAdminSession } from "./admin-sessions";
import { clearFailures, lockedUntil, recordFailure, throttleKeys, type SignInThrottleConfig } from "./sign-in-throttle";

export type SignInResult =
  | { ok: true; token: string; session: AdminSession }
  /** `incorrect`: wrong email or password; `locked`: too many failures, for this account or address. */
  | { ok: false; reason: "incorrect" | "locked" };

export interface SignInDeps {
  db: PrismaClient;
  auth: AdminAuthConfig;
  throttle: SignInThrottleConfig;
}

/**
 * One sign-in attempt from `address`. While the account typed or the address is locked, nothing
 * is checked and the answer is `locked`, the same for an email that is the admin's and one that
 * is not (unknown emails are counted and locked exactly like the admin's). Otherwise the
 * password is checked; a failure is counted against both, a success clears both and starts a
 * session (`token` is its cookie value).
 */
export async function attemptSignIn(
  credentials: { email: string; password: string },
  address: string,
  deps: SignInDeps,
  now: Date = new Date(),
): Promise<SignInResult> {
  const keys = throttleKeys(credentials.email, address, deps.throttle);
  if (await lockedUntil(deps.db, keys, now)) return { ok: false, reason: "locked" };
  const signedIn = await checkAdminCredentials(credentials, deps.auth);
  if (!signedIn) {
    await recordFailure(deps.db, keys, deps.throttle, now);
    return { ok: false, reason: "incorrect" };
  }
  await clearFailures(deps.db, keys);
  return { ok: true, ...(await startAdminSession(deps.db, deps.auth, now)) };
}
