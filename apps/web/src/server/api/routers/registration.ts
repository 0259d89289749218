import {
  RegistrationAcceptedSchema,
  RegistrationIdInputSchema,
  RegistrationInputSchema,
  RegistrationProgressSchema,
  SendAgainAcceptedSchema,
} from "@userstream/contracts";
import { PublishError } from "@userstream/messaging";
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { REGISTRATION_UNAVAILABLE_MESSAGE, REGISTRATION_UNCONFIRMED_MESSAGE } from "~/lib/registration-messages";
import { getRegistrationStatus, submitRegistration } from "../../registration-service";
import { sendWelcomeAgain } from "../../send-again/send-again-service";
import { sendAgainRefusal } from "../send-again-errors";
import { publicProcedure, registrationRateLimitedProcedure } from "../trpc";

const SEND_AGAIN_UNAVAILABLE_MESSAGE = "We could not send the email again right now. Please try again in a moment.";

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

  sendAgain: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/registrations/{registrationId}/send-again",
        tags: ["registrations"],
        summary: "Send the welcome email again",
        description:
          "Queues the registration's welcome email again, at most once per cooldown and a few times a day per " +
          "address and per client address (SEND_AGAIN_COOLDOWN_MINUTES, SEND_AGAIN_DAILY_LIMIT): over it, 429 with " +
          "Retry-After and a message saying when to try again. 409 when it cannot be sent again at all: the " +
          "registration is not processed yet or its email is being sent, the address is already confirmed, or it " +
          "refused our email. A registration for an address already known is answered the same way, but nothing is sent.",
        protect: false,
        successDescription: "The email is queued again",
      },
    })
    .input(RegistrationIdInputSchema)
    .output(SendAgainAcceptedSchema)
    .mutation(async ({ ctx, input }) => {
      try {
        return await sendWelcomeAgain(input.registrationId, {
          ...ctx,
          clientKey: ctx.clientAddress ?? "unknown",
          limits: ctx.sendAgainLimits,
        });
      } catch (error) {
        const refusal = sendAgainRefusal(error);
        if (refusal) throw refusal;
        if (error instanceof PublishError) {
          throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: SEND_AGAIN_UNAVAILABLE_MESSAGE, cause: error });
        }
        throw error;
      }
    }),
} satisfies TRPCRouterRecord;
