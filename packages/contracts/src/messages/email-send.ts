import { z } from "zod";
import { defineMessage } from "../envelope";
import { QUEUES } from "../topology";

export const NotificationKindSchema = z.enum(["welcome"]);
export type NotificationKind = z.infer<typeof NotificationKindSchema>;

/**
 * Delivery states of an email, as stored in `notification_logs.status`. After `sent`, the provider's
 * events move it forward only: sent < delivered < bounced < complained (deliverability.ts);
 * `suppressed`: never sent, the address is on the suppression list.
 */
export const NotificationStatusSchema = z.enum([
  "queued",
  "sending",
  "sent",
  "failed",
  "dead",
  "delivered",
  "bounced",
  "complained",
  "suppressed",
]);
export type NotificationStatus = z.infer<typeof NotificationStatusSchema>;

export const EmailSendPayloadSchema = z.object({
  /** The notification_logs row to deliver; the sender reads recipient and state from it. */
  notificationId: z.uuid(),
  kind: NotificationKindSchema,
  /** Carried so that one id follows a registration through every log line. */
  registrationId: z.uuid(),
});
export type EmailSendPayload = z.output<typeof EmailSendPayloadSchema>;

/** `email.send` v1: deliver one email recorded in notification_logs. */
export const EmailSendV1 = defineMessage({
  queue: QUEUES.emailSend,
  type: "email.send",
  version: 1,
  payload: EmailSendPayloadSchema,
  summary: "Deliver the email recorded in a notification_logs row; the sender sends it and records the outcome.",
});
export type EmailSendMessage = z.output<typeof EmailSendV1.schema>;
