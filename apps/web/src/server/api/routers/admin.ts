import type { TRPCRouterRecord } from "@trpc/server";
import { getAdminOverview } from "../../admin/overview-service";
import { adminProcedure } from "../trpc";

/** The admin overview's counts (tRPC only). */
export const adminRouter = {
  overview: adminProcedure.query(({ ctx }) => getAdminOverview(ctx)),
} satisfies TRPCRouterRecord;
