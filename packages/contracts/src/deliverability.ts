import { z } from "zod";

/**
 * What becomes of an email after the provider took it: the events kept on its timeline
 * (`notification_events.type`), the reasons an address is suppressed (`suppressions.reason`), and
 * Resend's webhook body as far as it is read.
 */

/** An event on an email's timeline: Resend's `email.<type>`, or an SMTP relay's permanent refusal (`bounced`). */
export const NotificationEventTypeSchema = z.enum([
  "sent",
  "delivered",
  "delivery_delayed",
  "bounced",
  "complained",
  "failed",
  "suppressed",
]);
export type NotificationEventType = z.infer<typeof NotificationEventTypeSchema>;

/** Why an address gets no email: a hard bounce, a complaint, too many soft bounces, or an admin's entry. */
export const SuppressionReasonSchema = z.enum(["hard_bounce", "complaint", "soft_bounces", "manual"]);
export type SuppressionReason = z.infer<typeof SuppressionReasonSchema>;

/** Soft bounces of one address that suppress it, unless `SUPPRESS_AFTER_SOFT_BOUNCES` says otherwise. */
export const DEFAULT_SUPPRESS_AFTER_SOFT_BOUNCES = 3;

/**
 * How often a welcome email may be sent again ("send again", an admin's resend), per address and
 * per client address alike, unless `SEND_AGAIN_COOLDOWN_MINUTES` / `SEND_AGAIN_DAILY_LIMIT` say otherwise:
 * at most one within `cooldownMinutes`, at most `dailyLimit` within 24 hours.
 */
export const DEFAULT_SEND_AGAIN_LIMITS = { cooldownMinutes: 10, dailyLimit: 5 } as const;

/** The event types Resend's webhooks name (`email.delivered`, …) that are kept; any other is acknowledged and ignored. */
export const RESEND_EMAIL_EVENT_PREFIX = "email.";

/**
 * The part of a Resend webhook body that is read: the event type, when it happened, the email's id
 * (the `id` the send request returned, stored as the notification's provider message id), its
 * recipients, and for a bounce its kind (`Permanent` is a hard bounce; `Transient` and
 * `Undetermined` are soft) and message.
 */
export const ResendWebhookEventSchema = z.object({
  type: z.string().max(100),
  created_at: z.iso.datetime({ offset: true }),
  data: z.object({
    email_id: z.string().min(1).max(200),
    to: z.array(z.string().max(320)).max(50).default([]),
    bounce: z
      .object({ type: z.string().max(50), subType: z.string().max(100).optional(), message: z.string().optional() })
      .optional(),
    failed: z.object({ reason: z.string() }).optional(),
    suppressed: z.object({ type: z.string().max(50).optional(), message: z.string().optional() }).optional(),
  }),
});
export type ResendWebhookEvent = z.output<typeof ResendWebhookEventSchema>;

/** The timeline type of a Resend event type (`email.bounced` → `bounced`), or undefined for one not kept. */
export function notificationEventTypeOf(resendType: string): NotificationEventType | undefined {
  if (!resendType.startsWith(RESEND_EMAIL_EVENT_PREFIX)) return undefined;
  const parsed = NotificationEventTypeSchema.safeParse(resendType.slice(RESEND_EMAIL_EVENT_PREFIX.length));
  return parsed.success ? parsed.data : undefined;
}
