import { PublishError } from "@userstream/messaging";
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { EmailLogInputSchema } from "~/lib/email-log-input";
import { EmailNotFoundError, RecipientDeletedError, actOnEmail, listEmails } from "../../admin/email-log-service";
import { InvalidCursorError } from "../../user-cursor";
import { sendAgainRefusal } from "../send-again-errors";
import { adminProcedure } from "../trpc";

const EMAIL_ACTION_UNAVAILABLE_MESSAGE = "We could not queue the email right now. Please try again.";

const EmailIdSchema = z.object({ id: z.uuid("Email id must be a UUID") });

function act(action: "resend" | "replay") {
  return adminProcedure.input(EmailIdSchema).mutation(async ({ ctx, input }) => {
    try {
      return await actOnEmail(action, input.id, ctx.adminSession.email, { ...ctx, sendAgainLimits: ctx.sendAgainLimits });
    } catch (error) {
      const refusal = sendAgainRefusal(error);
      if (refusal) throw refusal;
      if (error instanceof EmailNotFoundError) throw new TRPCError({ code: "NOT_FOUND", message: error.message });
      if (error instanceof RecipientDeletedError) throw new TRPCError({ code: "PRECONDITION_FAILED", message: error.message });
      if (error instanceof PublishError) {
        throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: EMAIL_ACTION_UNAVAILABLE_MESSAGE, cause: error });
      }
      throw error;
    }
  });
}

/** The email delivery log, for admins only (tRPC only: no REST route). */
export const emailsRouter = {
  list: adminProcedure.input(EmailLogInputSchema).query(async ({ ctx, input }) => {
    try {
      return await listEmails(input, ctx);
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new TRPCError({ code: "BAD_REQUEST", message: error.message });
      throw error;
    }
  }),
  /** A `failed` email, sent again. */
  resend: act("resend"),
  /** A dead-lettered email, its parked message put back on `email.send`. */
  replay: act("replay"),
} satisfies TRPCRouterRecord;
