import { DEAD_LETTER_HEADERS, QUEUES, deadLetterQueue } from "@userstream/contracts";
import { connect, type ChannelModel } from "amqplib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replayDeadLetters } from "./replay";
import { createTestVhost } from "./testing";
import { assertQueueTopology } from "./topology";

describe("replayDeadLetters", () => {
  let vhost: Awaited<ReturnType<typeof createTestVhost>>;
  let broker: ChannelModel;

  beforeEach(async () => {
    vhost = await createTestVhost("userstream-replay-test");
    broker = await connect(vhost.url);
    const channel = await broker.createConfirmChannel();
    await assertQueueTopology(channel, QUEUES.emailSend);
    for (const id of ["m1", "m2", "m3"]) {
      channel.sendToQueue(deadLetterQueue(QUEUES.emailSend), Buffer.from(`{"id":"${id}"}`), {
        persistent: true,
        messageId: id,
        contentType: "application/json",
        headers: { [DEAD_LETTER_HEADERS.reason]: "retries-exhausted", [DEAD_LETTER_HEADERS.error]: "SMTP 421", [DEAD_LETTER_HEADERS.attempts]: 3, "x-registration-id": `r-${id}` },
      });
    }
    await channel.waitForConfirms();
    await channel.close();
  });

  afterEach(async () => {
    await broker.close();
    await vhost.drop();
  });

  async function drain(queue: string) {
    const channel = await broker.createChannel();
    const messages = [];
    for (let message = await channel.get(queue, { noAck: true }); message; message = await channel.get(queue, { noAck: true })) messages.push(message);
    await channel.close();
    return messages;
  }

  it("moves the oldest messages back to the work queue, without the parking headers, up to the limit", async () => {
    expect(await replayDeadLetters(vhost.url, QUEUES.emailSend, { limit: 2 })).toBe(2);
    const replayed = await drain(QUEUES.emailSend);
    expect(replayed.map((message) => message.properties.messageId)).toEqual(["m1", "m2"]);
    expect(replayed[0]?.content.toString()).toBe('{"id":"m1"}');
    expect(replayed[0]?.properties.contentType).toBe("application/json");
    expect(replayed[0]?.properties.deliveryMode).toBe(2);
    // Other headers stay; the reasons go (quorum queues add their own x-delivery-count on delivery).
    const headers = replayed[0]?.properties.headers ?? {};
    expect(headers["x-registration-id"]).toBe("r-m1");
    for (const name of Object.values(DEAD_LETTER_HEADERS)) expect(headers).not.toHaveProperty(name);
    expect((await drain(deadLetterQueue(QUEUES.emailSend))).map((message) => message.properties.messageId)).toEqual(["m3"]);
  });

  it("moves them all without a limit, and nothing when the dead-letter queue is empty", async () => {
    expect(await replayDeadLetters(vhost.url, QUEUES.emailSend)).toBe(3);
    expect(await replayDeadLetters(vhost.url, QUEUES.emailSend)).toBe(0);
    expect(await drain(QUEUES.emailSend)).toHaveLength(3);
  });
});
