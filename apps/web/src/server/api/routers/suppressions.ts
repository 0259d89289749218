import type { TRPCRouterRecord } from "@trpc/server";
import { SuppressionListInputSchema, SuppressionRemovalInputSchema } from "~/lib/suppression-input";
import { logAction } from "../../audit-log";
import { listSuppressions, removeSuppression } from "../../deliverability/suppression-service";
import { adminProcedure, orNotFound } from "../trpc";

/** The suppression list, for admins only (tRPC only). */
export const suppressionsRouter = {
  list: adminProcedure.input(SuppressionListInputSchema).query(({ ctx, input }) => listSuppressions(input.search, ctx)),

  /** Lets an address receive email again; the reason goes to `suppression_removals` and the audit log. */
  remove: adminProcedure.input(SuppressionRemovalInputSchema).mutation(async ({ ctx, input }) => {
    const removal = orNotFound(
      await removeSuppression(input.address, input.reason, ctx.adminSession.email, ctx),
      "This address is not on the suppression list.",
    );
    logAction(ctx, "suppression removed", {
      address: removal.address,
      suppressedFor: removal.reason,
      reason: removal.removalReason,
      admin: ctx.adminSession.email,
    });
    return { address: removal.address, removedAt: removal.removedAt };
  }),
} satisfies TRPCRouterRecord;
