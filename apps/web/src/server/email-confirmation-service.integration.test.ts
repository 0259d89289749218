import { createUserToken } from "@userstream/contracts/user-token";
import { describe, expect, it } from "vitest";
import { confirmEmail } from "./email-confirmation-service";
import { setupTestDatabase } from "./testing";

const SECRET = "test-confirmation-secret-0123456789-abcdefghij";
const DAY_MS = 24 * 60 * 60 * 1000;
const T0 = new Date("2026-03-01T10:00:00.000Z");

describe("confirmEmail against PostgreSQL", () => {
  const database = setupTestDatabase("userstream_web_confirm");

  async function createUser(name: string): Promise<string> {
    const user = await database.db.user.create({
      data: { registrationId: crypto.randomUUID(), firstName: "Ada", lastName: name, email: `${name.toLowerCase()}@example.com` },
    });
    return user.id;
  }

  async function verifiedAt(userId: string): Promise<Date | null | undefined> {
    return (await database.db.user.findUnique({ where: { id: userId } }))?.emailVerifiedAt;
  }

  it("confirms once: the first open sets email_verified_at, a second open answers already-confirmed and keeps it", async () => {
    const userId = await createUser("Lovelace");
    const other = await createUser("Byron");
    const token = createUserToken("confirm-email", userId, SECRET, 3 * DAY_MS, T0.getTime());

    expect(await confirmEmail(token, { db: database.db, secret: SECRET, now: T0 })).toBe("confirmed");
    expect(await verifiedAt(userId)).toEqual(T0);

    const later = new Date(T0.getTime() + 60 * 60 * 1000);
    expect(await confirmEmail(token, { db: database.db, secret: SECRET, now: later })).toBe("already-confirmed");
    expect(await verifiedAt(userId)).toEqual(T0);
    expect(await verifiedAt(other)).toBeNull();
  });

  it("answers expired for a link past its expiry and changes nothing", async () => {
    const userId = await createUser("Hopper");
    const token = createUserToken("confirm-email", userId, SECRET, DAY_MS, T0.getTime());

    const afterExpiry = new Date(T0.getTime() + DAY_MS + 1_000);
    expect(await confirmEmail(token, { db: database.db, secret: SECRET, now: afterExpiry })).toBe("expired");
    expect(await verifiedAt(userId)).toBeNull();
  });

  it("answers invalid for an altered, malformed or foreign-signed token and changes nothing", async () => {
    const userId = await createUser("Turing");
    const token = createUserToken("confirm-email", userId, SECRET, DAY_MS, T0.getTime());
    const signature = token.slice(token.lastIndexOf(".") + 1);
    const flipped = signature.startsWith("A") ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    const otherUserId = await createUser("Babbage");
    const otherUserToken = createUserToken("confirm-email", otherUserId, SECRET, DAY_MS, T0.getTime());

    const bad = [
      token.slice(0, token.lastIndexOf(".") + 1) + flipped,
      // A longer expiry with the original signature: the signature covers the expiry.
      token.replace(/\.(\d+)\./, (_, expiry: string) => `.${Number(expiry) + DAY_MS / 1000}.`),
      // The original signature under another user's id.
      `${otherUserToken.split(".")[0]}.${token.split(".").slice(1).join(".")}`,
      createUserToken("confirm-email", userId, "another-secret-entirely-0123456789-abcdef", DAY_MS, T0.getTime()),
      // The welcome email's other link: genuine, but for managing the registration, not confirming it.
      createUserToken("manage-registration", userId, SECRET, DAY_MS, T0.getTime()),
      "",
      "not-a-token",
      `${token}.extra`,
    ];
    for (const candidate of bad) {
      expect(await confirmEmail(candidate, { db: database.db, secret: SECRET, now: T0 }), candidate).toBe("invalid");
    }
    expect(await verifiedAt(userId)).toBeNull();
    expect(await verifiedAt(otherUserId)).toBeNull();
  });

  it("answers invalid for a valid link whose user was deleted", async () => {
    const userId = await createUser("Hamilton");
    const token = createUserToken("confirm-email", userId, SECRET, DAY_MS, T0.getTime());
    await database.db.user.delete({ where: { id: userId } });

    expect(await confirmEmail(token, { db: database.db, secret: SECRET, now: T0 })).toBe("invalid");
  });

  it("lets only one of two simultaneous opens count as the first", async () => {
    const userId = await createUser("Johnson");
    const token = createUserToken("confirm-email", userId, SECRET, DAY_MS, T0.getTime());

    const results = await Promise.all([1, 2, 3].map(() => confirmEmail(token, { db: database.db, secret: SECRET, now: T0 })));
    expect(results.sort()).toEqual(["already-confirmed", "already-confirmed", "confirmed"]);
  });
});
