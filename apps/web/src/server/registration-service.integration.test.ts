import { QUEUES, UserRegistrationV1, type NotificationStatus } from "@userstream/contracts";
import { PublishError } from "@userstream/messaging";
import { beforeEach, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { getRegistrationStatus, submitRegistration } from "./registration-service";
import { setupTestBroker, setupTestDatabase } from "./testing";

describe("submitRegistration against RabbitMQ", () => {
  const broker = setupTestBroker("userstream-web-test");
  const queuedMessages = () => broker.queued(QUEUES.registration);

  // Each test starts with an empty queue.
  beforeEach(() => broker.take(QUEUES.registration));

  it("publishes one persistent user.registration v1 message and answers its registration id", async () => {
    const { registrationId } = await submitRegistration(
      { firstName: "  Ada ", lastName: "Lovelace", email: "Ada@Example.COM" },
      { publisher: broker.publisher },
    );

    const [message, ...more] = await broker.take(QUEUES.registration);
    if (!message) throw new Error("no message in user.registration");
    expect(more).toHaveLength(0);

    expect(message.properties.deliveryMode).toBe(2);
    expect(message.properties.messageId).toBe(registrationId);
    const envelope = UserRegistrationV1.schema.parse(JSON.parse(message.content.toString("utf8")));
    expect(envelope).toMatchObject({
      id: registrationId,
      type: "user.registration",
      version: 1,
      payload: { registrationId, firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" },
    });
  });

  it("publishes nothing for invalid input", async () => {
    await submitRegistration(
      { firstName: "Grace", lastName: "Hopper", email: "grace@example.com" },
      { publisher: broker.publisher },
    );
    expect(await queuedMessages()).toBe(1);

    await expect(
      submitRegistration({ firstName: "Alan", lastName: "Turing", email: "not-an-email" }, { publisher: broker.publisher }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(submitRegistration({}, { publisher: broker.publisher })).rejects.toBeInstanceOf(ZodError);
    expect(await queuedMessages()).toBe(1);
  });

  it("rejects with PublishError when the broker cannot be reached", async () => {
    await expect(
      submitRegistration({ firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" }, { publisher: broker.unreachable }),
    ).rejects.toBeInstanceOf(PublishError);
  });
});

describe("getRegistrationStatus against PostgreSQL", () => {
  const database = setupTestDatabase("userstream_web_status");
  let people = 0;

  /** A registration the receiver stored for a new address, with the welcome email in `welcome` (if any). */
  async function newRegistration(welcome?: NotificationStatus, verified = false) {
    const registrationId = crypto.randomUUID();
    people += 1;
    const user = await database.db.user.create({
      data: {
        registrationId,
        firstName: "Ada",
        lastName: "Lovelace",
        email: `ada${people}@example.com`,
        emailVerifiedAt: verified ? new Date() : null,
      },
    });
    await database.db.registration.create({ data: { id: registrationId, userId: user.id, outcome: "created" } });
    if (welcome) {
      await database.db.notificationLog.create({
        data: { userId: user.id, kind: "welcome", status: welcome, sentAt: welcome === "sent" ? new Date() : null },
      });
    }
    return { registrationId, userId: user.id };
  }

  async function statusOf(registrationId: string) {
    return (await getRegistrationStatus(registrationId, { db: database.db })).status;
  }

  it("answers queued for an id without a registration row", async () => {
    const registrationId = crypto.randomUUID();
    expect(await getRegistrationStatus(registrationId, { db: database.db })).toEqual({ registrationId, status: "queued" });
  });

  it("answers stored while the welcome email has not left", async () => {
    expect(await statusOf((await newRegistration()).registrationId)).toBe("stored");
    expect(await statusOf((await newRegistration("queued")).registrationId)).toBe("stored");
    expect(await statusOf((await newRegistration("sending")).registrationId)).toBe("stored");
  });

  it("answers email_sent once the welcome email left, email_confirmed once the user is verified", async () => {
    const { registrationId, userId } = await newRegistration("sent");
    expect(await statusOf(registrationId)).toBe("email_sent");

    await database.db.user.update({ where: { id: userId }, data: { emailVerifiedAt: new Date() } });
    expect(await statusOf(registrationId)).toBe("email_confirmed");
  });

  it("answers email_failed for a welcome email that failed or was given up", async () => {
    expect(await statusOf((await newRegistration("failed")).registrationId)).toBe("email_failed");
    expect(await statusOf((await newRegistration("dead")).registrationId)).toBe("email_failed");
  });

  it("answers email_sent for a repeated address, whatever the first registration's email did", async () => {
    // The first registration's user is verified: a duplicate must still not read differently from a new one.
    const { userId } = await newRegistration("sent", true);
    for (const userOfDuplicate of [userId, null]) {
      const duplicateId = crypto.randomUUID();
      await database.db.registration.create({ data: { id: duplicateId, userId: userOfDuplicate, outcome: "duplicate" } });
      expect(await statusOf(duplicateId)).toBe("email_sent");
    }
  });

  it("answers stored for a registration whose user was deleted since", async () => {
    const { registrationId, userId } = await newRegistration("sent");
    await database.db.user.delete({ where: { id: userId } });
    expect(await statusOf(registrationId)).toBe("stored");
  });
});
