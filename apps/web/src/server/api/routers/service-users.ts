import type { TRPCRouterRecord } from "@trpc/server";
import { UserListPageSchema } from "@userstream/contracts";
import { ListUsersInputSchema, listUsers } from "../../users-service";
import type { ApiKeyScope } from "~/lib/api-keys";
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

/** The operation's description, ending with the scope its key needs (the OpenAPI document shows it). */
function needs(scope: ApiKeyScope, description = ""): string {
  return `${description}${description ? " " : ""}Needs an API key with the \`${scope}\` scope.`;
}

/**
 * `/api/v1/users` for other services: every call needs an API key (`Authorization: Bearer <key>`)
 * with the scope it names: `read` to list and get, `write` to rename, `delete` to delete.
 */
export const serviceUsersRouter = {
  list: apiKeyProcedure("read")
    .meta({
      openapi: {
        ...openapi,
        method: "GET",
        path: "/users",
        summary: "List users",
        description: needs(
          "read",
          "Every user with their email address, newest first unless `sort` says otherwise. Every word of `search` (at " +
            "least 3 characters each) must appear, case-insensitively, in the first name, last name or email. Pass " +
            "`nextCursor` back as `cursor` (with the same `sort`) for the next page.",
        ),
      },
    })
    .input(ListUsersInputSchema)
    .output(UserListPageSchema)
    .query(({ ctx, input }) => listUsers(input, ctx)),

  get: apiKeyProcedure("read")
    .meta({ openapi: { ...openapi, method: "GET", path: "/users/{id}", summary: "One user", description: needs("read") } })
    .input(UserIdInputSchema)
    .output(UserListItemSchema)
    .query(({ ctx, input }) => getUserOrThrow(input.id, ctx)),

  update: apiKeyProcedure("write")
    .meta({
      openapi: {
        ...openapi,
        method: "PATCH",
        path: "/users/{id}",
        summary: "Change a user's names",
        description: needs("write", "`firstName`, `lastName` or both, validated like a registration. Nothing else can be changed."),
      },
    })
    .input(UpdateUserInputSchema)
    .output(UserListItemSchema)
    .mutation(({ ctx, input }) => updateUserOrThrow(input, ctx, { apiKey: ctx.apiKey.name, apiKeyId: ctx.apiKey.id })),

  delete: apiKeyProcedure("delete")
    .meta({
      openapi: {
        ...openapi,
        method: "DELETE",
        path: "/users/{id}",
        summary: "Delete a user",
        description: needs(
          "delete",
          "Removes the user's row (names, email); their email notification records are kept without anything that " +
            "identifies them. Cannot be undone.",
        ),
      },
    })
    .input(UserIdInputSchema)
    .output(DeletedUserSchema)
    .mutation(({ ctx, input }) => deleteUserOrThrow(input.id, ctx, { apiKey: ctx.apiKey.name, apiKeyId: ctx.apiKey.id })),
} satisfies TRPCRouterRecord;
