import { QUEUES, UserRegistrationV1 } from "@userstream/contracts";
import { createPrismaClient, type NotificationStatus, type PrismaClient } from "@userstream/db";
import { createTestDatabase, type TestDatabase } from "@userstream/db/testing";
import { PublishError, createPublisher, type Publisher } from "@userstream/messaging";
import { createTestVhost } from "@userstream/messaging/testing";
import { connect, type ChannelModel } from "amqplib";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { getRegistrationStatus, submitRegistration } from "./registration-service";

describe("submitRegistration against RabbitMQ", () => {
  let vhost: Awaited<ReturnType<typeof createTestVhost>>;
  let publisher: Publisher;
  let inspector: ChannelModel;

  beforeEach(async () => {
    vhost = await createTestVhost("userstream-web-test");
    publisher = createPublisher(vhost.url, { confirmTimeoutMs: 5_000 });
    inspector = await connect(vhost.url);
  });

  afterEach(async () => {
    await publisher.close();
    await inspector.close();
    await vhost.drop();
  });

  async function queuedMessages(): Promise<number> {
    const channel = await inspector.createChannel();
    try {
      return (await channel.checkQueue(QUEUES.registration)).messageCount;
    } finally {
      await channel.close();
    }
  }

  it("publishes one persistent user.registration v1 message and answers its registration id", async () => {
    const { registrationId } = await submitRegistration(
      { firstName: "  Ada ", lastName: "Lovelace", email: "Ada@Example.COM" },
      { publisher },
    );

    const channel = await inspector.createChannel();
    const message = await channel.get(QUEUES.registration, { noAck: true });
    await channel.close();
    if (!message) throw new Error("no message in user.registration");

    expect(message.properties.deliveryMode).toBe(2);
    expect(message.properties.messageId).toBe(registrationId);
    const envelope = UserRegistrationV1.schema.parse(JSON.parse(message.content.toString("utf8")));
    expect(envelope).toMatchObject({
      id: registrationId,
      type: "user.registration",
      version: 1,
      payload: { registrationId, firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" },
    });
    expect(await queuedMessages()).toBe(0);
  });

  it("publishes nothing for invalid input", async () => {
    // Publish something valid first, so the topology (and the queue we inspect) exists.
    await submitRegistration({ firstName: "Grace", lastName: "Hopper", email: "grace@example.com" }, { publisher });
    expect(await queuedMessages()).toBe(1);

    await expect(
      submitRegistration({ firstName: "Alan", lastName: "Turing", email: "not-an-email" }, { publisher }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(submitRegistration({}, { publisher })).rejects.toBeInstanceOf(ZodError);
    expect(await queuedMessages()).toBe(1);
  });

  it("rejects with PublishError when the broker cannot be reached", async () => {
    // Port 1 refuses connections at once on this machine's loopback.
    const unreachable = createPublisher("amqp://guest:guest@127.0.0.1:1", { confirmTimeoutMs: 2_000 });
    try {
      await expect(
        submitRegistration({ firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" }, { publisher: unreachable }),
      ).rejects.toBeInstanceOf(PublishError);
    } finally {
      await unreachable.close();
    }
  });
});

describe("getRegistrationStatus against PostgreSQL", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let people = 0;

  beforeAll(async () => {
    database = await createTestDatabase("userstream_web_status");
    db = createPrismaClient(database.url);
  });

  afterAll(async () => {
    await db.$disconnect();
    await database.drop();
  });

  /** A registration the receiver stored for a new address, with the welcome email in `welcome` (if any). */
  async function newRegistration(welcome?: NotificationStatus, verified = false) {
    const registrationId = crypto.randomUUID();
    people += 1;
    const user = await db.user.create({
      data: {
        registrationId,
        firstName: "Ada",
        lastName: "Lovelace",
        email: `ada${people}@example.com`,
        emailVerifiedAt: verified ? new Date() : null,
      },
    });
    await db.registration.create({ data: { id: registrationId, userId: user.id, outcome: "created" } });
    if (welcome) {
      await db.notificationLog.create({
        data: { userId: user.id, kind: "welcome", status: welcome, sentAt: welcome === "sent" ? new Date() : null },
      });
    }
    return { registrationId, userId: user.id };
  }

  async function statusOf(registrationId: string) {
    return (await getRegistrationStatus(registrationId, { db })).status;
  }

  it("answers queued for an id without a registration row", async () => {
    const registrationId = crypto.randomUUID();
    expect(await getRegistrationStatus(registrationId, { db })).toEqual({ registrationId, status: "queued" });
  });

  it("answers stored while the welcome email has not left", async () => {
    expect(await statusOf((await newRegistration()).registrationId)).toBe("stored");
    expect(await statusOf((await newRegistration("queued")).registrationId)).toBe("stored");
    expect(await statusOf((await newRegistration("sending")).registrationId)).toBe("stored");
  });

  it("answers email_sent once the welcome email left, email_confirmed once the user is verified", async () => {
    const { registrationId, userId } = await newRegistration("sent");
    expect(await statusOf(registrationId)).toBe("email_sent");

    await db.user.update({ where: { id: userId }, data: { emailVerifiedAt: new Date() } });
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
      await db.registration.create({ data: { id: duplicateId, userId: userOfDuplicate, outcome: "duplicate" } });
      expect(await statusOf(duplicateId)).toBe("email_sent");
    }
  });

  it("answers stored for a registration whose user was deleted since", async () => {
    const { registrationId, userId } = await newRegistration("sent");
    await db.user.delete({ where: { id: userId } });
    expect(await statusOf(registrationId)).toBe("stored");
  });
});
