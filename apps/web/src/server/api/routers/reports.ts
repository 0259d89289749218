import { ReportRequestSchema } from "@userstream/contracts";
import { PublishError } from "@userstream/messaging";
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { getReport, listReports, requestReport } from "../../report-service";
import { adminProcedure, orNotFound } from "../trpc";

const REPORT_UNAVAILABLE_MESSAGE = "We could not queue the report right now. Please try again.";

/** CSV reports, for admins only (tRPC only: no REST route). */
export const reportsRouter = {
  generate: adminProcedure.input(ReportRequestSchema).mutation(async ({ ctx, input }) => {
    try {
      return await requestReport(input, ctx.adminSession.email, ctx);
    } catch (error) {
      // The row is already marked failed with the broker's reason; the admin sees it in the list.
      if (error instanceof PublishError) {
        throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: REPORT_UNAVAILABLE_MESSAGE, cause: error });
      }
      throw error;
    }
  }),

  list: adminProcedure.query(({ ctx }) => listReports(ctx)),

  get: adminProcedure
    .input(z.object({ id: z.uuid("Report id must be a UUID") }))
    .query(async ({ ctx, input }) => orNotFound(await getReport(input.id, ctx), "No such report.")),
} satisfies TRPCRouterRecord;
