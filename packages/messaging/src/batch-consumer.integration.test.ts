import { DEAD_LETTER_HEADERS, QUEUES, UserRegistrationV1, deadLetterQueue } from "@userstream/contracts";
import type { UserRegistrationMessage } from "@userstream/contracts";
import { waitFor } from "@userstream/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { PermanentError, createPublisher, startBatchConsumer, type Consumer } from "./index";
import { useTestBroker } from "./test-broker";
import { testRegistration } from "./testing";

describe("batch consumer against a real RabbitMQ", () => {
  const broker = useTestBroker();
  let consumer: Consumer | undefined;

  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
  });

  async function publishAll(messages: UserRegistrationMessage[]) {
    const publisher = createPublisher(broker.vhost.url);
    await Promise.all(messages.map((message) => publisher.publish(UserRegistrationV1, message)));
    await publisher.close();
  }

  const queued = async () => {
    const [work, dead] = await Promise.all([
      broker.channel.checkQueue(QUEUES.registration),
      broker.channel.checkQueue(deadLetterQueue(QUEUES.registration)),
    ]);
    return { work: work.messageCount, dead: dead.messageCount };
  };

  it.each([1, 2])("hands queued messages over in batches, each once, and acks them all (%i at a time)", async (concurrency) => {
    const messages = Array.from({ length: 30 }, () => testRegistration());
    await publishAll(messages);
    const batches: string[][] = [];
    const oneByOne: string[] = [];
    consumer = await startBatchConsumer({
      url: broker.vhost.url,
      contract: UserRegistrationV1,
      prefetch: 20,
      maxBatch: 10,
      lingerMs: 20,
      concurrency,
      handleBatch: async (batch) => void batches.push(batch.map((message) => message.id)),
      handle: async (message) => void oneByOne.push(message.id),
    });
    await waitFor(() => batches.flat().length === 30);
    await consumer.stop();
    consumer = undefined;

    expect(batches.flat().sort()).toEqual(messages.map((message) => message.id).sort());
    expect(batches.every((batch) => batch.length <= 10)).toBe(true);
    expect(batches.length).toBeLessThan(30);
    expect(oneByOne).toEqual([]);
    expect(await queued()).toEqual({ work: 0, dead: 0 });
  });

  it("dead-letters a poison message alone and settles the rest of its batch", async () => {
    const good = Array.from({ length: 5 }, () => testRegistration());
    const poison = testRegistration({ firstName: "Poison" });
    await publishAll([...good.slice(0, 2), poison, ...good.slice(2)]);
    broker.channel.sendToQueue(QUEUES.registration, Buffer.from("{not json"), { messageId: "malformed-1", persistent: true });
    const stored = new Set<string>();
    let batchCalls = 0;
    consumer = await startBatchConsumer({
      url: broker.vhost.url,
      contract: UserRegistrationV1,
      prefetch: 50,
      lingerMs: 200,
      retryDelaysMs: [50],
      async handleBatch(batch) {
        batchCalls++;
        // All or nothing, like a transaction: one bad row fails the whole batch.
        if (batch.some((message) => message.payload.firstName === "Poison")) throw new Error("batch rolled back");
        for (const message of batch) stored.add(message.id);
      },
      async handle(message) {
        if (message.payload.firstName === "Poison") throw new PermanentError("cannot be stored");
        stored.add(message.id);
      },
    });
    await waitFor(async () => (await queued()).dead === 2 && stored.size === 5);
    await consumer.stop();
    consumer = undefined;

    expect([...stored].sort()).toEqual(good.map((message) => message.id).sort());
    expect(batchCalls).toBeGreaterThanOrEqual(1);
    const reasons = new Map<string, unknown>();
    for (let i = 0; i < 2; i++) {
      const parked = await broker.channel.get(deadLetterQueue(QUEUES.registration), { noAck: true });
      if (parked) reasons.set(String(parked.properties.messageId), parked.properties.headers?.[DEAD_LETTER_HEADERS.reason]);
    }
    expect(Object.fromEntries(reasons)).toEqual({ "malformed-1": "malformed", [poison.id]: "rejected" });
    expect(await queued()).toEqual({ work: 0, dead: 0 });
  });
});
