import type { UserRegistrationMessage } from "@userstream/contracts";
import type { PrismaClient } from "@userstream/db";

/**
 * What storing a registration did: a new user, an address that was already registered (no second
 * user), or a message seen before (a redelivery; nothing changes).
 */
export type StoreOutcome = "created" | "duplicate" | "redelivered";

export interface StoreResult {
  outcome: StoreOutcome;
  /** A welcome email recorded but not yet handed to the sender: publish `email.send` for it. */
  pendingWelcome?: { notificationId: string };
}

/**
 * Stores one registration in a single transaction: the registration record and, for an address
 * not seen before, the user and their welcome email's `queued` notification row. Idempotent by
 * registration id: a redelivered message changes nothing, but still reports a welcome email that
 * is queued, because the earlier delivery may have died between the commit and the hand-off.
 * A repeated address is recorded as a duplicate registration of the existing user, with no email.
 */
export async function storeRegistration(db: PrismaClient, message: UserRegistrationMessage): Promise<StoreResult> {
  const { registrationId, firstName, lastName, email } = message.payload;
  return db.$transaction(async (tx) => {
    const seen = await tx.registration.findUnique({ where: { id: registrationId }, select: { outcome: true, userId: true } });
    if (seen) {
      const welcome =
        seen.outcome === "created" && seen.userId
          ? await tx.notificationLog.findFirst({ where: { userId: seen.userId, kind: "welcome", status: "queued" }, select: { id: true } })
          : null;
      return { outcome: "redelivered", pendingWelcome: welcome ? { notificationId: welcome.id } : undefined };
    }
    const [created] = await tx.user.createManyAndReturn({
      data: [{ registrationId, firstName, lastName, email }],
      skipDuplicates: true,
      select: { id: true },
    });
    const user = created ?? (await tx.user.findUniqueOrThrow({ where: { email }, select: { id: true } }));
    // Two deliveries of one message racing each other: the loser's insert fails here, it is
    // retried, and then it finds the registration and reports a redelivery.
    await tx.registration.create({ data: { id: registrationId, userId: user.id, outcome: created ? "created" : "duplicate" } });
    if (!created) return { outcome: "duplicate" };
    const welcome = await tx.notificationLog.create({
      data: { userId: user.id, kind: "welcome", status: "queued" },
      select: { id: true },
    });
    return { outcome: "created", pendingWelcome: { notificationId: welcome.id } };
  });
}
