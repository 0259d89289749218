import type { TRPCRouterRecord } from "@trpc/server";
import { getAdminOverview } from "../../admin/overview-service";
import { endAllAdminSessions } from "../../auth/admin-sessions";
import { logAction } from "../../audit-log";
import { adminProcedure } from "../trpc";

/** The admin overview's counts, and ending the admin's sessions (tRPC only). */
export const adminRouter = {
  overview: adminProcedure.query(({ ctx }) => getAdminOverview(ctx)),
  /** Ends every session of the signed-in admin, the caller's too; answers how many were open. */
  signOutEverywhere: adminProcedure.mutation(async ({ ctx }) => {
    const ended = await endAllAdminSessions(ctx.db, ctx.adminSession.email);
    logAction(ctx, "admin signed out everywhere", { admin: ctx.adminSession.email, sessions: String(ended) });
    return { ended };
  }),
} satisfies TRPCRouterRecord;
