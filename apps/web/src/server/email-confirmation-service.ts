import { verifyUserToken } from "@userstream/contracts/user-token";
import type { PrismaClient } from "@userstream/db";
import { z } from "zod";

/** What opening a confirmation link did; each has its own page. */
export type EmailConfirmationResult = "confirmed" | "already-confirmed" | "expired" | "invalid";

export interface ConfirmEmailDeps {
  db: Pick<PrismaClient, "user">;
  /** The secret the sender signs links with (`CONFIRMATION_TOKEN_SECRET`). */
  secret: string;
  /** The clock, for tests: both the expiry check and the stored verification time use it. */
  now?: Date;
}

/** The token's pattern lets through 36 hex digits and dashes in any order; the uuid column does not. */
const UserIdSchema = z.uuid();

/**
 * Marks the email of the token's user verified, once. The first valid open sets
 * `email_verified_at`; later opens (a reused link, a second click, a mail scanner's visit) answer
 * `already-confirmed` and leave the time alone, because the update only matches an unverified
 * user. A malformed, altered or expired token changes nothing. A valid token for a user deleted
 * since answers `invalid`: there is nobody left to confirm.
 */
export async function confirmEmail(
  token: string,
  { db, secret, now = new Date() }: ConfirmEmailDeps,
): Promise<EmailConfirmationResult> {
  const check = verifyUserToken("confirm-email", token, secret, now.getTime());
  if (!check.ok) return check.reason === "expired" ? "expired" : "invalid";
  if (!UserIdSchema.safeParse(check.userId).success) return "invalid";

  // One conditional UPDATE, so two opens racing each other cannot both count as the first.
  const { count } = await db.user.updateMany({
    where: { id: check.userId, emailVerifiedAt: null },
    data: { emailVerifiedAt: now },
  });
  if (count > 0) return "confirmed";
  const user = await db.user.findUnique({ where: { id: check.userId }, select: { id: true } });
  return user ? "already-confirmed" : "invalid";
}
