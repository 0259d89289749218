import type { DataExport } from "@userstream/contracts";
import { maskEmail } from "@userstream/contracts";
import type { PrismaClient } from "@userstream/db";
import { logAction, type AuditDeps } from "../audit-log";
import { deleteUser } from "../users-service";
import { exportUserData } from "./data-export";
import { ManageLinkError, userOfManageLink, type ManageLinkDeps } from "./manage-link";

export interface DataRightsDeps extends AuditDeps, Omit<ManageLinkDeps, "db"> {
  db: PrismaClient;
  /** The requester's client address as the limits count it, for the audit trail. */
  clientKey: string;
}

/** Who acted, as the audit trail names a person using their own link. */
const bySelf = (clientKey: string) => ({ by: "registrant (manage link)", clientAddress: clientKey });

/** Runs `act` for the link's user; a refused link is logged (why, from where) and rethrown. */
async function withManageLink<T>(token: string, deps: DataRightsDeps, act: (userId: string) => Promise<T>): Promise<T> {
  let userId: string;
  try {
    userId = await userOfManageLink(token, deps);
  } catch (error) {
    if (error instanceof ManageLinkError)
      logAction(deps, "manage link refused", { reason: error.problem, ...bySelf(deps.clientKey) });
    throw error;
  }
  return act(userId);
}

/** What the manage page shows of the registration: the first name and the address, partly hidden. */
export async function describeManagedRegistration(
  token: string,
  deps: DataRightsDeps,
): Promise<{ firstName: string; maskedEmail: string; registeredAt: Date }> {
  return withManageLink(token, deps, async (userId) => {
    const user = await deps.db.user.findUniqueOrThrow({ where: { id: userId } });
    return { firstName: user.firstName, maskedEmail: maskEmail(user.email), registeredAt: user.createdAt };
  });
}

/** Everything held about the link's user (`exportUserData`), logged in the audit trail. ManageLinkError for a bad link. */
export async function exportManagedData(token: string, deps: DataRightsDeps): Promise<DataExport> {
  return withManageLink(token, deps, async (userId) => {
    const data = await exportUserData(userId, deps.db, deps.now);
    if (!data) throw new ManageLinkError("erased");
    logAction(deps, "personal data exported", { userId, ...bySelf(deps.clientKey) });
    return data;
  });
}

/**
 * Erases the link's user the one way users are deleted (`deleteUser`, as the admin page and the
 * REST API do): the row goes, their email and delivery records stay anonymised, the audit trail
 * says who. The address is not put on the suppression list; an entry it already had (it bounced
 * or complained) stays. ManageLinkError for a bad link, and nothing changes.
 */
export async function eraseManagedRegistration(token: string, deps: DataRightsDeps): Promise<{ erased: true }> {
  return withManageLink(token, deps, async (userId) => {
    const deleted = await deleteUser(userId, deps, bySelf(deps.clientKey));
    if (!deleted) throw new ManageLinkError("erased");
    return { erased: true };
  });
}
