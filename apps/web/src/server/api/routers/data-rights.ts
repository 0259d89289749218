import { DataExportSchema, RegistrationErasedSchema } from "@userstream/contracts";
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { eraseManagedRegistration, exportManagedData, type DataRightsDeps } from "../../data-rights/data-rights-service";
import { MANAGE_TOKEN_MAX_LENGTH, ManageLinkError } from "../../data-rights/manage-link";
import { dataRightsRateLimitedProcedure, type TRPCContext } from "../trpc";

const TokenSchema = z.string().min(1, "The link has no token.").max(MANAGE_TOKEN_MAX_LENGTH, "This is not a link token.");

function depsOf(ctx: TRPCContext): DataRightsDeps {
  if (!ctx.confirmationSecret) throw new Error("the context has no confirmation secret");
  return { ...ctx, secret: ctx.confirmationSecret, clientKey: ctx.clientAddress ?? "unknown" };
}

/** A bad link's answer: 404 once the registration is gone, 403 for any other (the message says which). */
async function withLinkErrors<T>(act: () => Promise<T>): Promise<T> {
  try {
    return await act();
  } catch (error) {
    if (error instanceof ManageLinkError) {
      throw new TRPCError({ code: error.problem === "erased" ? "NOT_FOUND" : "FORBIDDEN", message: error.message, cause: error });
    }
    throw error;
  }
}

/**
 * "Manage my registration" (`/manage?token=…`, from the welcome email): the person's own data,
 * by the signed link alone, limited per client address (`DATA_RIGHTS_RATE_LIMIT`). tRPC only.
 * Mutations both: each is an act on the person's data that the audit trail records, never prefetched.
 */
export const dataRightsRouter = {
  export: dataRightsRateLimitedProcedure
    .input(z.object({ token: TokenSchema }))
    .output(DataExportSchema)
    .mutation(({ ctx, input }) => withLinkErrors(() => exportManagedData(input.token, depsOf(ctx)))),

  /** `confirm: true`: the page's confirmation step, so that nothing erases by accident. */
  erase: dataRightsRateLimitedProcedure
    .input(z.object({ token: TokenSchema, confirm: z.literal(true, "Confirm that the registration is to be erased.") }))
    .output(RegistrationErasedSchema)
    .mutation(({ ctx, input }) => withLinkErrors(() => eraseManagedRegistration(input.token, depsOf(ctx)))),
} satisfies TRPCRouterRecord;
