import type { TRPCRouterRecord } from "@trpc/server";
import { getPipelineSnapshot } from "../../pipeline/pipeline-service";
import { adminProcedure } from "../trpc";

/** The live pipeline view, for admins only (tRPC only: no REST route). */
export const pipelineRouter = {
  snapshot: adminProcedure.query(async ({ ctx }) => {
    // The configuration comes from the validated environment of the running server; loaded here,
    // not at import, so that tests of the other routers import the app router without one.
    const { pipelineConfig } = await import("../../pipeline/pipeline-config");
    return getPipelineSnapshot(ctx.db, pipelineConfig());
  }),
} satisfies TRPCRouterRecord;
