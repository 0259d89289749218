import type { TRPCRouterRecord } from "@trpc/server";
import { UserListPageSchema } from "@userstream/contracts";
import { ListUsersInputSchema, listUsers } from "../../users-service";
import { apiKeyProcedure } from "../trpc";
import {
  DeletedUserSchema,
  UpdateUserInputSchema,
  UserIdInputSchema,
  UserListItemSchema,
  deleteUserOrThrow,
  getUserOrThrow,
  updateUserOrThrow,
} from "./users";

const openapi = { tags: ["users"], protect: true };

/** `/api/v1/users` for other services: every call needs an API key (`Authorization: Bearer <key>`). */
export const serviceUsersRouter = {
  list: apiKeyProcedure
    .meta({
      openapi: {
        ...openapi,
        method: "GET",
        path: "/users",
        summary: "List users",
        description:
          "Every user with their email address, newest first unless `sort` says otherwise. Every word of `search` (at " +
          "least 3 characters each) must appear, case-insensitively, in the first name, last name or email. Pass " +
          "`nextCursor` back as `cursor` (with the same `sort`) for the next page.",
      },
    })
    .input(ListUsersInputSchema)
    .output(UserListPageSchema)
    .query(({ ctx, input }) => listUsers(input, ctx)),

  get: apiKeyProcedure
    .meta({ openapi: { ...openapi, method: "GET", path: "/users/{id}", summary: "One user" } })
    .input(UserIdInputSchema)
    .output(UserListItemSchema)
    .query(({ ctx, input }) => getUserOrThrow(input.id, ctx)),

  update: apiKeyProcedure
    .meta({
      openapi: {
        ...openapi,
        method: "PATCH",
        path: "/users/{id}",
        summary: "Change a user's names",
        description: "`firstName`, `lastName` or both, validated like a registration. Nothing else can be changed.",
      },
    })
    .input(UpdateUserInputSchema)
    .output(UserListItemSchema)
    .mutation(({ ctx, input }) => updateUserOrThrow(input, ctx, { apiKey: ctx.apiKey.name, apiKeyId: ctx.apiKey.id })),

  delete: apiKeyProcedure
    .meta({
      openapi: {
        ...openapi,
        method: "DELETE",
        path: "/users/{id}",
        summary: "Delete a user",
        description:
          "Removes the user's row (names, email); their email notification records are kept without anything that " +
          "identifies them. Cannot be undone.",
      },
    })
    .input(UserIdInputSchema)
    .output(DeletedUserSchema)
    .mutation(({ ctx, input }) => deleteUserOrThrow(input.id, ctx, { apiKey: ctx.apiKey.name, apiKeyId: ctx.apiKey.id })),
} satisfies TRPCRouterRecord;
