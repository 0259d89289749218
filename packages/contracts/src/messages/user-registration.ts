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
  registrationId: z.uuid(),
});
export type UserRegistrationPayload = z.output<typeof UserRegistrationPayloadSchema>;

/** `user.registration` v1: a person asked to register; the receiver stores them. */
export const UserRegistrationV1 = defineMessage({
  queue: QUEUES.registration,
  type: "user.registration",
  version: 1,
  payload: UserRegistrationPayloadSchema,
});
export type UserRegistrationMessage = z.output<typeof UserRegistrationV1.schema>;
