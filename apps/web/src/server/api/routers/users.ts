import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { PublicUserListPageSchema, UserListItemSchema } from "@userstream/contracts";
import { z } from "zod";
import {
  ListPublicUsersInputSchema,
  UpdateUserInputSchema,
  UserIdSchema,
  deleteUser,
  getUser,
  listPublicUsers,
  updateUser,
  type UserDeps,
} from "../../users-service";
import { logAction, type AuditDeps } from "../audit-log";
import { usersListRateLimitedProcedure } from "../trpc";

/**
 * The public users directory (/users): tRPC only, for anyone, a limited number of pages per client
 * address. Names and masked addresses, searched by name. Admins see the full list through
 * `adminUsers.list`; other services through `/api/v1/users` with an API key.
 */
export const usersRouter = {
  list: usersListRateLimitedProcedure
    .input(ListPublicUsersInputSchema)
    .output(PublicUserListPageSchema)
    .query(({ ctx, input }) => listPublicUsers(input, ctx)),
} satisfies TRPCRouterRecord;

/*
 * What reading, renaming and deleting a user does, for the admin procedures and the API-key ones
 * alike; each router puts its own guard in front. `by` names who acted, for the log.
 */

export const UserIdInputSchema = z.object({ id: UserIdSchema });
export const DeletedUserSchema = z.object({ id: z.uuid(), deleted: z.literal(true) });

function noSuchUser(): never {
  throw new TRPCError({ code: "NOT_FOUND", message: "No such user." });
}

export async function getUserOrThrow(id: string, deps: UserDeps) {
  return (await getUser(id, deps)) ?? noSuchUser();
}

export async function updateUserOrThrow({ id, ...changes }: z.output<typeof UpdateUserInputSchema>, deps: UserDeps & AuditDeps, by: Record<string, string>) {
  const user = (await updateUser(id, changes, deps)) ?? noSuchUser();
  logAction(deps, "user renamed", { userId: id, ...by });
  return user;
}

export async function deleteUserOrThrow(id: string, deps: UserDeps & AuditDeps, by: Record<string, string>) {
  if (!(await deleteUser(id, deps))) noSuchUser();
  logAction(deps, "user deleted", { userId: id, ...by });
  return { id, deleted: true as const };
}

export { UpdateUserInputSchema, UserListItemSchema };
