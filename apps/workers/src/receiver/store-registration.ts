import type { UserRegistrationMessage } from "@userstream/contracts";
import type { PrismaClient } from "@userstream/db";

/**
 * What storing a registration did: a new user, an address that was already registered (no second
 * user), or a message seen before (a redelivery; nothing changes).
 */
export type StoreOutcome = "created" | "duplicate" | "redelivered";

/**
 * Stores one registration in a single transaction: the registration record and, for an address
 * not seen before, the user. Idempotent by registration id, so a redelivered message changes
 * nothing; a repeated address is recorded as a duplicate registration of the existing user.
 */
export async function storeRegistration(db: PrismaClient, message: UserRegistrationMessage): Promise<StoreOutcome> {
  const { registrationId, firstName, lastName, email } = message.payload;
  return db.$transaction(async (tx) => {
    const seen = await tx.registration.findUnique({ where: { id: registrationId }, select: { id: true } });
    if (seen) return "redelivered";
    const [created] = await tx.user.createManyAndReturn({
      data: [{ registrationId, firstName, lastName, email }],
      skipDuplicates: true,
      select: { id: true },
    });
    const user = created ?? (await tx.user.findUniqueOrThrow({ where: { email }, select: { id: true } }));
    const outcome = created ? "created" : "duplicate";
    // Two deliveries of one message racing each other: the loser's insert fails here, it is
    // retried, and then it finds the registration and reports a redelivery.
    await tx.registration.create({ data: { id: registrationId, userId: user.id, outcome } });
    return outcome;
  });
}
