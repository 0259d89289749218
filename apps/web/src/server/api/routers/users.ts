import type { TRPCRouterRecord } from "@trpc/server";
import { PublicUserListPageSchema } from "@userstream/contracts";
import { ListPublicUsersInputSchema, listPublicUsers } from "../../users-service";
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
