import type { TRPCRouterRecord } from "@trpc/server";
import {
  DeletedUserSchema,
  PublicUserListPageSchema,
  UpdateUserInputSchema,
  UserIdInputSchema,
  UserListItemSchema,
  UserListPageSchema,
} from "@userstream/contracts";
import type { ApiKeyScope } from "~/lib/api-keys";
import {
  ListPublicUsersInputSchema,
  ListUsersInputSchema,
  NO_SUCH_USER,
  deleteUser,
  getUser,
  listPublicUsers,
  listUsers,
  updateUser,
  type Actor,
} from "../../users-service";
import { adminProcedure, apiKeyProcedure, orNotFound, usersListRateLimitedProcedure } from "../trpc";

/*
 * The users, behind three doors over one service (users-service.ts): the public directory, the
 * admin's users page, and `/api/v1/users` for other services.
 */

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

const openapi = { tags: ["users"], protect: true };

/** The operation's description, ending with the scope its key needs (the OpenAPI document shows it). */
function needs(scope: ApiKeyScope, description = ""): string {
  return `${description}${description ? " " : ""}Needs an API key with the \`${scope}\` scope.`;
}

/** The API key, as the audit trail names who acted. */
function byKey(apiKey: { id: string; name: string }): Actor {
  return { apiKey: apiKey.name, apiKeyId: apiKey.id };
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
            "least 3 characters each) must appear, case-insensitively, in the first name, last name or email; " +
            "`emailPrefix` keeps the users whose email begins with it (an index range, however many users there " +
            "are). Pass `nextCursor` back as `cursor` (with the same `sort` and filters) for the next page.",
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
    .query(async ({ ctx, input }) => orNotFound(await getUser(input.id, ctx), NO_SUCH_USER)),

  update: apiKeyProcedure("write")
    .meta({
      openapi: {
        ...openapi,
        method: "PATCH",
        path: "/users/{id}",
        summary: "Change a user's names",
        description: needs(
          "write",
          "`firstName`, `lastName` or both, validated like a registration. Nothing else can be changed.",
        ),
      },
    })
    .input(UpdateUserInputSchema)
    .output(UserListItemSchema)
    .mutation(async ({ ctx, input }) => orNotFound(await updateUser(input, ctx, byKey(ctx.apiKey)), NO_SUCH_USER)),

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
    .mutation(async ({ ctx, input }) => orNotFound(await deleteUser(input.id, ctx, byKey(ctx.apiKey)), NO_SUCH_USER)),
} satisfies TRPCRouterRecord;
