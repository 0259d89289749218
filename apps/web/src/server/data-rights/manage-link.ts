import { verifyUserToken } from "@userstream/contracts/user-token";
import type { PrismaClient } from "@userstream/db";
import { z } from "zod";

/** Why a "manage my registration" link opens nothing; each has its own clear words. */
export type ManageLinkProblem = "invalid" | "wrong-purpose" | "expired" | "erased";

const MESSAGES: Record<ManageLinkProblem, string> = {
  invalid:
    'This link is not valid. It may have been cut off or changed: open the "Manage my registration" link from ' +
    "the welcome email exactly as it was sent.",
  "wrong-purpose":
    "This is the link that confirms your email address, not the one that manages your registration. Use the " +
    '"Manage my registration" link in the welcome email.',
  expired:
    'This link has expired. "Manage my registration" links work for a limited time; nothing was changed. ' +
    "Contact us to get a copy of your data or to have it erased.",
  erased: "There is no registration for this link any more: it has been erased.",
};

export class ManageLinkError extends Error {
  constructor(readonly problem: ManageLinkProblem) {
    super(MESSAGES[problem]);
    this.name = "ManageLinkError";
  }
}

/** Link tokens are about 120 characters; anything far longer is not one and is not worth checking. */
export const MANAGE_TOKEN_MAX_LENGTH = 512;

export interface ManageLinkDeps {
  db: Pick<PrismaClient, "user">;
  /** The secret the sender signs the welcome email's links with (`CONFIRMATION_TOKEN_SECRET`). */
  secret: string;
  /** The clock, for tests. */
  now?: Date;
}

/**
 * The user a "manage my registration" token names, or ManageLinkError: malformed, altered or
 * signed with another secret (`invalid`), a confirmation link (`wrong-purpose`), past its expiry
 * (`expired`), or naming a user who is no longer there (`erased`). Reads one row; changes nothing.
 */
export async function userOfManageLink(token: string, { db, secret, now = new Date() }: ManageLinkDeps): Promise<string> {
  if (token.length > MANAGE_TOKEN_MAX_LENGTH) throw new ManageLinkError("invalid");
  const check = verifyUserToken("manage-registration", token, secret, now.getTime());
  if (!check.ok)
    throw new ManageLinkError(check.reason === "expired" || check.reason === "wrong-purpose" ? check.reason : "invalid");
  // The token's pattern lets through 36 hex digits and dashes in any order; the uuid column does not.
  if (!z.uuid().safeParse(check.userId).success) throw new ManageLinkError("invalid");
  const user = await db.user.findUnique({ where: { id: check.userId }, select: { id: true } });
  if (!user) throw new ManageLinkError("erased");
  return user.id;
}
