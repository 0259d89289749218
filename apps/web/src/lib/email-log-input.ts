import { NotificationStatusSchema, type NotificationEventType, type NotificationStatus } from "@userstream/contracts";
import { z } from "zod";

/** Rows per page of the delivery log. */
const EMAIL_LOG_PAGE_SIZE = 50;

const day = z.iso.date("Use a date such as 2026-11-28");

/**
 * Filters of the delivery log (`emails.list`): status, a fragment of the recipient's email, and
 * a range of UTC days (both ends included).
 */
export const EmailLogInputSchema = z
  .object({
    status: NotificationStatusSchema.optional(),
    email: z.string().trim().toLowerCase().max(254, "At most 254 characters").optional(),
    from: day.optional(),
    to: day.optional(),
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(100).default(EMAIL_LOG_PAGE_SIZE),
  })
  .refine((input) => !input.from || !input.to || input.from <= input.to, {
    message: "The first day must not be after the last",
    path: ["to"],
  });
export type EmailLogInput = z.input<typeof EmailLogInputSchema>;
export type EmailLogFilters = z.output<typeof EmailLogInputSchema>;

export const EMAIL_STATUS_LABELS: Record<NotificationStatus, string> = {
  queued: "Queued",
  sending: "Sending",
  sent: "Sent",
  failed: "Failed",
  dead: "Dead-lettered",
  delivered: "Delivered",
  bounced: "Bounced",
  complained: "Complained",
  suppressed: "Suppressed",
};

/** An event on an email's timeline, as the delivery log names it. */
export const EMAIL_EVENT_LABELS: Record<NotificationEventType, string> = {
  sent: "Accepted by the provider",
  delivered: "Delivered",
  delivery_delayed: "Delivery delayed",
  bounced: "Bounced",
  complained: "Marked as spam",
  failed: "Failed at the provider",
  suppressed: "Suppressed by the provider",
};
