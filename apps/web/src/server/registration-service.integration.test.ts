import { QUEUES, UserRegistrationV1 } from "@userstream/contracts";
import { PublishError, createPublisher, type Publisher } from "@userstream/messaging";
import { createTestVhost } from "@userstream/messaging/testing";
import { connect, type ChannelModel } from "amqplib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { submitRegistration } from "./registration-service";

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
