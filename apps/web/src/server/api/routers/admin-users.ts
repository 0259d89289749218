import type { TRPCRouterRecord } from "@trpc/server";
import { UserListPageSchema } from "@userstream/contracts";
import { ListUsersInputSchema, listUsers } from "../../users-service";
import { adminProcedure } from "../trpc";
import {
  DeletedUserSchema,
  UpdateUserInputSchema,
  UserIdInputSchema,
  UserListItemSchema,
  deleteUserOrThrow,
  getUserOrThrow,
  updateUserOrThrow,
} from "./users";

/** The admin's users page: search, sort, pages, rename, delete (tRPC only; signed-in admins). */
export const adminUsersRouter = {
  list: adminProcedure
    .input(ListUsersInputSchema)
    .output(UserListPageSchema)
    .query(({ ctx, input }) => listUsers(input, ctx)),

  get: adminProcedure
    .input(UserIdInputSchema)
    .output(UserListItemSchema)
    .query(({ ctx, input }) => getUserOrThrow(input.id, ctx)),

  update: adminProcedure
    .input(UpdateUserInputSchema)
    .output(UserListItemSchema)
    .mutation(({ ctx, input }) => updateUserOrThrow(input, ctx, { admin: ctx.adminSession.email })),

  delete: adminProcedure
    .input(UserIdInputSchema)
    .output(DeletedUserSchema)
    .mutation(({ ctx, input }) => deleteUserOrThrow(input.id, ctx, { admin: ctx.adminSession.email })),
} satisfies TRPCRouterRecord;
