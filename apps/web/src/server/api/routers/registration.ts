import {
  RegistrationAcceptedSchema,
  RegistrationIdInputSchema,
  RegistrationInputSchema,
  RegistrationProgressSchema,
} from "@userstream/contracts";
import { PublishError } from "@userstream/messaging";
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { REGISTRATION_UNAVAILABLE_MESSAGE, REGISTRATION_UNCONFIRMED_MESSAGE } from "~/lib/registration-messages";
import { getRegistrationStatus, submitRegistration } from "../../registration-service";
import { publicProcedure, registrationRateLimitedProcedure } from "../trpc";

export const registrationRouter = {
  submit: registrationRateLimitedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/registrations",
        tags: ["registrations"],
        summary: "Register a person",
        description: "Accepted (202) once the registration is safely queued; the user is stored shortly after.",
        protect: false,
        successDescription: "Accepted: the registration is queued",
      },
    })
    .input(RegistrationInputSchema)
    .output(RegistrationAcceptedSchema)
    .mutation(async ({ ctx, input }) => {
      try {
        return await submitRegistration(input, ctx);
      } catch (error) {
        // Never a false "accepted": without the broker's confirm the registration may be lost. Nor a
        // false "not accepted": one sent but not confirmed may still be stored (`outcome: unknown`).
        if (error instanceof PublishError) {
          const message = error.outcome === "unknown" ? REGISTRATION_UNCONFIRMED_MESSAGE : REGISTRATION_UNAVAILABLE_MESSAGE;
          throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message, cause: error });
        }
        throw error;
      }
    }),

  status: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/registrations/{registrationId}",
        tags: ["registrations"],
        summary: "Progress of a registration",
        description:
          "`queued` until the registration is processed (also for unknown ids), then `stored`, `email_sent` once the " +
          "welcome email left, `email_confirmed` once its link was opened, or `email_failed`. A registration for an " +
          "address already known reads `email_sent`, like a new one, though no second email is sent.",
        protect: false,
      },
    })
    .input(RegistrationIdInputSchema)
    .output(RegistrationProgressSchema)
    .query(({ ctx, input }) => getRegistrationStatus(input.registrationId, ctx)),
} satisfies TRPCRouterRecord;
