import { z } from "zod";

/**
 * Outgoing webhooks: the events an integrator's endpoint may subscribe to, what each carries, and
 * the states of one delivery. The body of every request is `{ "type", "timestamp", "data" }`
 * (Standard Webhooks' recommended shape), signed with the endpoint's secret.
 */
export const WEBHOOK_EVENT_TYPES = ["user.registered", "user.email_confirmed", "user.deleted"] as const;
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventTypeSchema>;

/** `user.registered`: the receiver stored a new user (a repeated address is not a new user). */
export const UserRegisteredDataSchema = z.object({
  userId: z.uuid(),
  registrationId: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.email(),
  registeredAt: z.string(),
});

/** `user.email_confirmed`: the confirmation link was followed, the first time. */
export const UserEmailConfirmedDataSchema = z.object({ userId: z.uuid(), email: z.email(), confirmedAt: z.string() });

/** `user.deleted`: the user was deleted (by an admin, an API key, or the person). Nothing personal is left to send. */
export const UserDeletedDataSchema = z.object({ userId: z.uuid(), deletedAt: z.string() });

/** The `data` of each event type. */
export const WEBHOOK_EVENT_DATA = {
  "user.registered": UserRegisteredDataSchema,
  "user.email_confirmed": UserEmailConfirmedDataSchema,
  "user.deleted": UserDeletedDataSchema,
} as const satisfies Record<WebhookEventType, z.ZodType>;

/**
 * A delivery's state (`webhook_deliveries.status`): `pending` (recorded with its event; the sender's
 * outbox relay has not published it yet), `queued`, `sending`, `delivered`, `failed` (not retried:
 * the endpoint was disabled or deleted, or its address was refused), `dead` (every retry failed).
 * An admin may replay a `failed` or `dead` one: it becomes `pending` again.
 */
export const WebhookDeliveryStatusSchema = z.enum(["pending", "queued", "sending", "delivered", "failed", "dead"]);
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatusSchema>;

/** The statuses an admin may replay. */
export const REPLAYABLE_WEBHOOK_STATUSES: readonly WebhookDeliveryStatus[] = ["failed", "dead"];

/** Consecutive failed attempts that disable an endpoint, unless `WEBHOOK_DISABLE_AFTER_FAILURES` says otherwise. */
export const DEFAULT_WEBHOOK_DISABLE_AFTER_FAILURES = 20;

/** An admin's new endpoint: where to, which events, and a note to tell endpoints apart. */
export const WebhookEndpointInputSchema = z.object({
  url: z
    .url({ protocol: /^https?$/, error: "Enter an http:// or https:// address." })
    .max(2000, "At most 2,000 characters.")
    .refine((value) => !new URL(value).username && !new URL(value).password, "Put no user name or password in the address."),
  events: z.array(WebhookEventTypeSchema).min(1, "Choose at least one event.").max(WEBHOOK_EVENT_TYPES.length),
  description: z.string().trim().max(200, "At most 200 characters.").default(""),
});
export type WebhookEndpointInput = z.input<typeof WebhookEndpointInputSchema>;
