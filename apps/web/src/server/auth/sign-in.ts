import { setTimeout as sleep } from "node:timers/promises";
import type { PrismaClient } from "@userstream/db";
import { logAction, type AuditDeps } from "../audit-log";
import { checkAdminCredentials, type AdminAuthConfig, type AdminSession } from "./admin-auth";
import { startAdminSession } from "./admin-sessions";
import {
  clearFailures,
  normaliseEmail,
  recordFailure,
  throttleKeys,
  throttleState,
  type SignInThrottleConfig,
} from "./sign-in-throttle";

export type SignInResult =
  | { ok: true; token: string; session: AdminSession }
  /** `incorrect`: wrong email or password; `locked`: too many failures, for this email from this address or for this address. */
  | { ok: false; reason: "incorrect" | "locked" };

export interface SignInDeps extends AuditDeps {
  db: PrismaClient;
  auth: AdminAuthConfig;
  throttle: SignInThrottleConfig;
}

/**
 * One sign-in attempt from `address` (the client's limit key). While the email typed is locked
 * for this address, or the address itself is, nothing is checked and the answer is `locked`, the
 * same for an email that is the admin's and one that is not (unknown emails are counted and
 * locked exactly like the admin's). Failures of one email from elsewhere never lock it here: they
 * only make every attempt for it wait a while (bounded) before the password is checked, so no one
 * can keep the admin out. A failure is counted against the pair, the address and the email; a
 * success clears them and starts a session (`token` is its cookie value). Every attempt goes to
 * the audit trail, with the email typed and the address, never the password.
 */
export async function attemptSignIn(
  credentials: { email: string; password: string },
  address: string,
  deps: SignInDeps,
  now: Date = new Date(),
): Promise<SignInResult> {
  const keys = throttleKeys(credentials.email, address, deps.throttle);
  const state = await throttleState(deps.db, keys, deps.throttle, now);
  const audit = { email: normaliseEmail(credentials.email), address };
  if (state.lockedUntil) {
    logAction(deps, "admin sign-in refused", { ...audit, reason: "locked" });
    return { ok: false, reason: "locked" };
  }
  if (state.delayMs > 0) await sleep(state.delayMs);
  const signedIn = await checkAdminCredentials(credentials, deps.auth);
  if (!signedIn) {
    await recordFailure(deps.db, keys, deps.throttle, now);
    logAction(deps, "admin sign-in refused", { ...audit, reason: "incorrect", delayMs: state.delayMs });
    return { ok: false, reason: "incorrect" };
  }
  await clearFailures(deps.db, keys);
  logAction(deps, "admin signed in", { ...audit, delayMs: state.delayMs });
  return { ok: true, ...(await startAdminSession(deps.db, deps.auth, now)) };
}
