import type { TRPCRouterRecord } from "@trpc/server";
import { ListUsersInputSchema, UserListPageSchema, listUsers } from "../../users-service";
import { publicProcedure } from "../trpc";

export const usersRouter = {
  list: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/users",
        tags: ["users"],
        summary: "List users, newest first",
        description:
          "Case-insensitive search on first name, last name or email. Pass `nextCursor` back as `cursor` for the next page.",
        protect: false,
      },
    })
    .input(ListUsersInputSchema)
    .output(UserListPageSchema)
    .query(({ ctx, input }) => listUsers(input, ctx)),
} satisfies TRPCRouterRecord;
