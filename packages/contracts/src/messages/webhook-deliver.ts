import { z } from "zod";
import { defineMessage } from "../envelope";
import { QUEUES } from "../topology";

export const WebhookDeliverPayloadSchema = z.object({
  /** The webhook_deliveries row to deliver; the sender reads the endpoint, the event and its state from it. */
  deliveryId: z.uuid(),
});
export type WebhookDeliverPayload = z.output<typeof WebhookDeliverPayloadSchema>;

/** `webhook.deliver` v1: POST one recorded event to one integrator's endpoint. */
export const WebhookDeliverV1 = defineMessage({
  queue: QUEUES.webhookDeliver,
  type: "webhook.deliver",
  version: 1,
  payload: WebhookDeliverPayloadSchema,
  summary:
    "Deliver the event recorded in a webhook_deliveries row to its endpoint, signed per Standard Webhooks; the sender records each attempt.",
});
export type WebhookDeliverMessage = z.output<typeof WebhookDeliverV1.schema>;
