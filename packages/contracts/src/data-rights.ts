import { z } from "zod";
import { NotificationStatusSchema } from "./messages/email-send";

/**
 * What a person downloads from "manage my registration": everything held about them, as JSON.
 * Times are ISO 8601 (UTC). Each email carries its provider events (its timeline), when it was
 * asked to be sent again, and what admins did with it (resend, replay; not which admin).
 */
export const DataExportSchema = z.object({
  exportedAt: z.iso.datetime(),
  user: z.object({
    id: z.uuid(),
    registrationId: z.uuid(),
    firstName: z.string(),
    lastName: z.string(),
    email: z.string(),
    emailVerifiedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
  /** Every registration made with the address, the first (`created`) and any repeats (`duplicate`). */
  registrations: z.array(z.object({ id: z.uuid(), outcome: z.enum(["created", "duplicate"]), receivedAt: z.iso.datetime() })),
  emails: z.array(
    z.object({
      id: z.uuid(),
      kind: z.string(),
      status: NotificationStatusSchema,
      provider: z.string().nullable(),
      providerMessageId: z.string().nullable(),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      sentAt: z.iso.datetime().nullable(),
      createdAt: z.iso.datetime(),
      events: z.array(
        z.object({
          type: z.string(),
          provider: z.string(),
          permanent: z.boolean().nullable(),
          detail: z.string().nullable(),
          occurredAt: z.iso.datetime(),
        }),
      ),
      sentAgain: z.array(z.object({ requestedBy: z.enum(["registrant", "admin"]), at: z.iso.datetime() })),
      adminActions: z.array(z.object({ action: z.enum(["resend", "replay"]), at: z.iso.datetime() })),
    }),
  ),
  /** The address on the suppression list (it bounced or complained), or null. */
  suppression: z.object({ reason: z.string(), since: z.iso.datetime() }).nullable(),
  /** Outgoing webhook deliveries whose event was about this person. */
  webhookDeliveries: z.array(z.record(z.string(), z.unknown())),
});
export type DataExport = z.infer<typeof DataExportSchema>;

/** The answer to "erase my registration". */
export const RegistrationErasedSchema = z.object({ erased: z.literal(true) });
