import type { TRPCRouterRecord } from "@trpc/server";
import { pipelineConfig } from "../../pipeline/pipeline-config";
import { getPipelineSnapshot } from "../../pipeline/pipeline-service";
import { adminProcedure } from "../trpc";

/** The live pipeline view, for admins only (tRPC only: no REST route). */
export const pipelineRouter = {
  snapshot: adminProcedure.query(({ ctx }) => getPipelineSnapshot(ctx.db, pipelineConfig())),
} satisfies TRPCRouterRecord;
