import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { WebhookEndpointInputSchema } from "@userstream/contracts";
import { z, ZodRealError } from "zod";
import { logAction } from "../../audit-log";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  replayWebhookDelivery,
  setWebhookEndpointEnabled,
  type WebhookDeps,
} from "../../webhooks/webhook-endpoint-service";
import { adminProcedure, orNotFound, type TRPCContext } from "../trpc";

const IdInputSchema = z.object({ id: z.uuid() });
const NO_SUCH_ENDPOINT = "There is no such endpoint (deleted meanwhile?).";

/** The services' dependencies from the request's context. */
function deps(ctx: TRPCContext): WebhookDeps {
  if (!ctx.webhooks) throw new Error("the context carries no webhook settings");
  return { db: ctx.db, ...ctx.webhooks };
}

/** A field error of the form, as the input's own validation reports them (`data.fieldErrors`). */
function fieldError(field: string, message: string): TRPCError {
  // ZodRealError: the Error subclass that parse() throws, which tRPC keeps as the cause.
  const cause = new ZodRealError([{ code: "custom", path: [field], message, input: undefined }]);
  return new TRPCError({ code: "BAD_REQUEST", message, cause });
}

/** Outgoing webhooks, for admins only (tRPC only): endpoints, their deliveries and attempts, replay. */
export const webhooksRouter = {
  endpoints: adminProcedure.query(({ ctx }) => listWebhookEndpoints(ctx)),

  deliveries: adminProcedure
    .input(z.object({ endpointId: z.uuid().optional() }))
    .query(({ ctx, input }) => listWebhookDeliveries(input.endpointId, ctx)),

  /** Makes an endpoint; its secret is in this answer and nowhere else, ever. */
  create: adminProcedure.input(WebhookEndpointInputSchema).mutation(async ({ ctx, input }) => {
    const result = await createWebhookEndpoint(input, ctx.adminSession.email, deps(ctx));
    if (!result.ok) throw fieldError(result.field, result.message);
    logAction(ctx, "webhook endpoint created", {
      endpointId: result.endpoint.id,
      url: result.endpoint.url,
      events: result.endpoint.events.join(","),
      admin: ctx.adminSession.email,
    });
    return result;
  }),

  setEnabled: adminProcedure.input(IdInputSchema.extend({ enabled: z.boolean() })).mutation(async ({ ctx, input }) => {
    orNotFound((await setWebhookEndpointEnabled(input.id, input.enabled, ctx.adminSession.email, ctx)) || null, NO_SUCH_ENDPOINT);
    logAction(ctx, input.enabled ? "webhook endpoint enabled" : "webhook endpoint disabled", {
      endpointId: input.id,
      admin: ctx.adminSession.email,
    });
    return { id: input.id, enabled: input.enabled };
  }),

  delete: adminProcedure.input(IdInputSchema).mutation(async ({ ctx, input }) => {
    orNotFound((await deleteWebhookEndpoint(input.id, ctx)) || null, NO_SUCH_ENDPOINT);
    logAction(ctx, "webhook endpoint deleted", { endpointId: input.id, admin: ctx.adminSession.email });
    return { id: input.id, deleted: true };
  }),

  /** Sends a failed or dead delivery again (the sender publishes it within a second or so). */
  replay: adminProcedure.input(IdInputSchema).mutation(async ({ ctx, input }) => {
    const result = await replayWebhookDelivery(input.id, ctx);
    if (result === "not-found") throw new TRPCError({ code: "NOT_FOUND", message: "There is no such delivery." });
    if (result === "not-replayable")
      throw new TRPCError({ code: "CONFLICT", message: "Only a failed or dead delivery can be replayed; this one is not." });
    if (result === "endpoint-disabled")
      throw new TRPCError({ code: "CONFLICT", message: "Its endpoint is disabled: enable the endpoint, then replay." });
    logAction(ctx, "webhook delivery replayed", { deliveryId: input.id, admin: ctx.adminSession.email });
    return { id: input.id, status: "pending" as const };
  }),
} satisfies TRPCRouterRecord;
