import { DEAD_LETTER_HEADERS, QUEUES, UserRegistrationV1, deadLetterQueue } from "@userstream/contracts";
import type { UserRegistrationMessage } from "@userstream/contracts";
import { waitFor } from "@userstream/test-support";
import { describe, expect, it } from "vitest";
import { PermanentError, PublishError, createPublisher, sendConfirmed, startConsumer, type Consumer } from "./index";
import { useTestBroker } from "./test-broker";
import { testRegistration } from "./testing";

describe("messaging against a real RabbitMQ", () => {
  const broker = useTestBroker();
  const publisher = () => createPublisher(broker.vhost.url, { confirmTimeoutMs: 2_000 });

  async function consumeWith(handle: (message: UserRegistrationMessage) => Promise<void>): Promise<Consumer> {
    return startConsumer({ url: broker.vhost.url, contract: UserRegistrationV1, prefetch: 10, retryDelaysMs: [50, 50], handle });
  }

  it("publishes a persistent message only after the broker confirms it", async () => {
    const pub = publisher();
    const envelope = testRegistration();
    await pub.publish(UserRegistrationV1, envelope);
    await pub.close();

    const got = await broker.channel.get(QUEUES.registration, { noAck: true });
    expect(got).not.toBe(false);
    if (!got) return;
    expect(got.properties.deliveryMode).toBe(2);
    expect(got.properties.messageId).toBe(envelope.id);
    expect(JSON.parse(got.content.toString())).toEqual(envelope);
  });

  it("reports a broker that cannot be reached as a PublishError: refused, nothing was sent", async () => {
    const pub = createPublisher("amqp://guest:guest@127.0.0.1:1", { confirmTimeoutMs: 1_000 });
    const publish = pub.publish(UserRegistrationV1, testRegistration());
    await expect(publish).rejects.toBeInstanceOf(PublishError);
    await expect(publish).rejects.toHaveProperty("outcome", "refused");
  });

  it("reports a message the broker nacks (a full queue that rejects publishes) as refused", async () => {
    const confirmChannel = await broker.connection.createConfirmChannel();
    try {
      const full = `full-${crypto.randomUUID()}`;
      await confirmChannel.assertQueue(full, { arguments: { "x-max-length": 0, "x-overflow": "reject-publish" } });
      const nacked = sendConfirmed(confirmChannel, full, Buffer.from("{}"), {}, 2_000);
      await expect(nacked).rejects.toBeInstanceOf(PublishError);
      await expect(nacked).rejects.toHaveProperty("outcome", "refused");
      expect((await confirmChannel.checkQueue(full)).messageCount).toBe(0);
    } finally {
      await confirmChannel.close();
    }
  });

  it("refuses to publish a message that breaks its contract", async () => {
    const pub = publisher();
    const bad = {
      ...testRegistration(),
      payload: { registrationId: crypto.randomUUID(), firstName: "", lastName: "x", email: "nope" },
    };
    await expect(pub.publish(UserRegistrationV1, bad)).rejects.toThrow();
    await pub.close();
    expect((await broker.channel.checkQueue(QUEUES.registration)).messageCount).toBe(0);
  });

  it("parks malformed messages with the reason in their headers and keeps consuming", async () => {
    const handled: string[] = [];
    const consumer = await consumeWith(async (message) => void handled.push(message.id));
    broker.channel.sendToQueue(QUEUES.registration, Buffer.from("{not json"), { messageId: "raw-1" });
    broker.channel.sendToQueue(QUEUES.registration, Buffer.from(JSON.stringify({ type: "user.registration", version: "one" })));
    const good = testRegistration();
    await publisher().publish(UserRegistrationV1, good);

    await waitFor(async () => handled.includes(good.id));
    const dead = await waitFor(
      async () => (await broker.channel.checkQueue(deadLetterQueue(QUEUES.registration))).messageCount === 2,
    );
    expect(dead).toBe(true);
    const first = await broker.channel.get(deadLetterQueue(QUEUES.registration), { noAck: true });
    expect(first && first.content.toString()).toBe("{not json");
    expect(first && first.properties.headers?.[DEAD_LETTER_HEADERS.reason]).toBe("malformed");
    expect(first && String(first.properties.headers?.[DEAD_LETTER_HEADERS.error])).toMatch(/JSON/);
    const second = await broker.channel.get(deadLetterQueue(QUEUES.registration), { noAck: true });
    expect(second && second.properties.headers?.[DEAD_LETTER_HEADERS.reason]).toBe("malformed");
    await consumer.stop();
  });

  it("parks a version it does not handle as unsupported_version, and handles the next message", async () => {
    const dlq = deadLetterQueue(QUEUES.registration);
    await broker.channel.purgeQueue(dlq);
    const handled: string[] = [];
    const consumer = await consumeWith(async (message) => void handled.push(message.id));
    // A well-formed envelope from a producer a version ahead of this consumer.
    const future = { ...testRegistration(), version: 2 };
    broker.channel.sendToQueue(QUEUES.registration, Buffer.from(JSON.stringify(future)), {
      messageId: future.id,
      type: future.type,
      contentType: "application/json",
      persistent: true,
    });
    const good = testRegistration();
    await publisher().publish(UserRegistrationV1, good);

    await waitFor(async () => handled.includes(good.id));
    const parked = await waitFor(() => broker.channel.get(dlq, { noAck: true }));
    await consumer.stop();
    expect(handled).not.toContain(future.id);
    expect(parked.properties.messageId).toBe(future.id);
    expect(parked.properties.headers?.[DEAD_LETTER_HEADERS.reason]).toBe("unsupported_version");
    expect(String(parked.properties.headers?.[DEAD_LETTER_HEADERS.error])).toMatch(/version 2/);
    expect(JSON.parse(parked.content.toString())).toEqual(future);
  });

  it("retries a failing handler with backoff, then succeeds", async () => {
    const attempts: number[] = [];
    const consumer = await startConsumer({
      url: broker.vhost.url,
      contract: UserRegistrationV1,
      prefetch: 1,
      retryDelaysMs: [50, 100],
      async handle(_message, context) {
        attempts.push(context.attempt);
        if (context.attempt < 3) throw new Error("database is away");
      },
    });
    await publisher().publish(UserRegistrationV1, testRegistration());
    await waitFor(async () => attempts.length === 3);
    await consumer.stop();
    expect(attempts).toEqual([1, 2, 3]);
    expect((await broker.channel.checkQueue(deadLetterQueue(QUEUES.registration))).messageCount).toBe(0);
  });

  it("dead-letters after the last retry, and at once on a permanent error", async () => {
    const consumer = await consumeWith(async (message) => {
      throw message.payload.firstName === "Permanent" ? new PermanentError("cannot ever work") : new Error("still failing");
    });
    await publisher().publish(UserRegistrationV1, testRegistration());
    await publisher().publish(UserRegistrationV1, {
      ...testRegistration(),
      payload: { ...testRegistration().payload, firstName: "Permanent" },
    });
    const dlq = deadLetterQueue(QUEUES.registration);
    await waitFor(async () => (await broker.channel.checkQueue(dlq)).messageCount === 2);
    await consumer.stop();
    const reasons = [];
    for (let i = 0; i < 2; i++) {
      const message = await broker.channel.get(dlq, { noAck: true });
      if (message)
        reasons.push([
          message.properties.headers?.[DEAD_LETTER_HEADERS.reason],
          message.properties.headers?.[DEAD_LETTER_HEADERS.attempts],
        ]);
    }
    expect(reasons).toEqual(
      expect.arrayContaining([
        ["retries-exhausted", 3],
        ["rejected", 1],
      ]),
    );
  });

  it("replays the selected parked messages as first attempts and leaves the others parked", async () => {
    const dlq = deadLetterQueue(QUEUES.registration);
    await broker.channel.purgeQueue(dlq);
    const consumer = await consumeWith(async () => {
      throw new PermanentError("cannot ever work");
    });
    const [wanted, other] = [testRegistration({ email: "wanted@example.com" }), testRegistration({ email: "other@example.com" })];
    await publisher().publish(UserRegistrationV1, wanted);
    await publisher().publish(UserRegistrationV1, other);
    await waitFor(async () => (await broker.channel.checkQueue(dlq)).messageCount === 2);
    await consumer.stop();

    const pub = publisher();
    const isWanted = (content: Buffer) => (JSON.parse(content.toString()) as UserRegistrationMessage).id === wanted.id;
    expect(await pub.replayParked(QUEUES.registration, isWanted)).toEqual([wanted.id]);
    // A second replay finds nothing left to move.
    expect(await pub.replayParked(QUEUES.registration, isWanted)).toEqual([]);
    await pub.close();

    const replayed = await broker.channel.get(QUEUES.registration, { noAck: true });
    if (!replayed) throw new Error("the replayed message is not in the work queue");
    expect(JSON.parse(replayed.content.toString())).toEqual(wanted);
    expect(replayed.properties.headers?.[DEAD_LETTER_HEADERS.reason]).toBeUndefined();
    expect(replayed.properties.headers?.[DEAD_LETTER_HEADERS.attempts]).toBeUndefined();
    expect((await broker.channel.checkQueue(QUEUES.registration)).messageCount).toBe(0);
    const stillParked = await broker.channel.get(dlq, { noAck: true });
    expect(stillParked && JSON.parse(stillParked.content.toString())).toEqual(other);
  });

  it("reports a replay without a broker as a PublishError", async () => {
    const pub = createPublisher("amqp://guest:guest@127.0.0.1:1", { confirmTimeoutMs: 1_000 });
    await expect(pub.replayParked(QUEUES.registration, () => true)).rejects.toBeInstanceOf(PublishError);
  });
});
