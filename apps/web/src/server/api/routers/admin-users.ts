import type { TRPCRouterRecord } from "@trpc/server";
import {
  DeletedUserSchema,
  UpdateUserInputSchema,
  UserIdInputSchema,
  UserListItemSchema,
  UserListPageSchema,
} from "@userstream/contracts";
import { ListUsersInputSchema, NO_SUCH_USER, deleteUser, getUser, listUsers, updateUser } from "../../users-service";
import { adminProcedure, orNotFound } from "../trpc";

/** The admin's users page: search, sort, pages, rename, delete (tRPC only; signed-in admins). */
export const adminUsersRouter = {
  list: adminProcedure
    .input(ListUsersInputSchema)
    .output(UserListPageSchema)
    .query(({ ctx, input }) => listUsers(input, ctx)),

  get: adminProcedure
    .input(UserIdInputSchema)
    .output(UserListItemSchema)
    .query(async ({ ctx, input }) => orNotFound(await getUser(input.id, ctx), NO_SUCH_USER)),

  update: adminProcedure
    .input(UpdateUserInputSchema)
    .output(UserListItemSchema)
    .mutation(async ({ ctx, input }) =>
      orNotFound(await updateUser(input, ctx, { admin: ctx.adminSession.email }), NO_SUCH_USER),
    ),

  delete: adminProcedure
    .input(UserIdInputSchema)
    .output(DeletedUserSchema)
    .mutation(async ({ ctx, input }) =>
      orNotFound(await deleteUser(input.id, ctx, { admin: ctx.adminSession.email }), NO_SUCH_USER),
    ),
} satisfies TRPCRouterRecord;
