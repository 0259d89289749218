import {
  RegistrationInputSchema,
  UserRegistrationV1,
  createEnvelope,
  type RegistrationStatus,
} from "@userstream/contracts";
import type { PrismaClient } from "@userstream/db";
import type { Publisher } from "@userstream/messaging";

export interface SubmitRegistrationDeps {
  publisher: Pick<Publisher, "publish">;
}

/**
 * Accepts a registration: validates it with the shared schema (throws the ZodError on bad input,
 * before anything is published), publishes `user.registration` v1 and answers with the new
 * registration id only once the broker has confirmed the persistent message. A broker that is
 * down or does not confirm makes this reject with `PublishError`, never answer "accepted".
 *
 * The registration id doubles as the envelope id, so consumers deduplicate redeliveries by it.
 */
export async function submitRegistration(
  input: unknown,
  { publisher }: SubmitRegistrationDeps,
): Promise<{ registrationId: string }> {
  const registration = RegistrationInputSchema.parse(input);
  const registrationId = crypto.randomUUID();
  const envelope = createEnvelope(UserRegistrationV1, { ...registration, registrationId }, registrationId);
  await publisher.publish(UserRegistrationV1, envelope);
  return { registrationId };
}

export interface RegistrationStatusDeps {
  db: Pick<PrismaClient, "registration">;
}

/**
 * `stored` once the receiver has processed the registration, `queued` otherwise. A registration
 * for an address that was already known is `stored` too, exactly like a new one, so the answer
 * never tells whether an address has an account.
 */
export async function getRegistrationStatus(
  registrationId: string,
  { db }: RegistrationStatusDeps,
): Promise<{ registrationId: string; status: RegistrationStatus }> {
  const row = await db.registration.findUnique({ where: { id: registrationId }, select: { id: true } });
  return { registrationId, status: row ? "stored" : "queued" };
}
