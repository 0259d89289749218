import { z } from "zod";
import { defineMessage } from "../envelope";
import { RegistrationInputSchema } from "../registration";
import { QUEUES } from "../topology";

/**
 * What the receiver recorded for a registration (`registrations.outcome`), which the web reads for
 * the registration's progress: `created` a new user, or `duplicate` (the address was known).
 */
export const RegistrationOutcomeSchema = z.enum(["created", "duplicate"]);
export type RegistrationOutcome = z.infer<typeof RegistrationOutcomeSchema>;

export const UserRegistrationPayloadSchema = RegistrationInputSchema.extend({
  registrationId: z
    .uuid()
    .optional()
    .meta({
      description:
        "The id the registration's progress is asked by (`GET /api/v1/registrations/{id}`); the receiver stores one " +
        "user per registration id. May be left out: it then defaults to the envelope's `id`.",
    }),
});

const envelope = defineMessage({
  queue: QUEUES.registration,
  type: "user.registration",
  version: 1,
  payload: UserRegistrationPayloadSchema,
  summary: "A person asked to register (first name, last name, email); the receiver stores them and queues their welcome email.",
});

/**
 * `user.registration` v1: a person asked to register; the receiver stores them. A producer may
 * leave `payload.registrationId` out: parsing fills it in with the envelope's `id`.
 */
export const UserRegistrationV1 = {
  ...envelope,
  schema: envelope.schema.transform((message) => ({
    ...message,
    payload: { ...message.payload, registrationId: message.payload.registrationId ?? message.id },
  })),
};
export type UserRegistrationMessage = z.output<typeof UserRegistrationV1.schema>;
export type UserRegistrationPayload = UserRegistrationMessage["payload"];
