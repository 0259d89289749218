import { connect, type Channel, type ChannelModel } from "amqplib";
import { afterAll, beforeAll } from "vitest";
import { createTestVhost } from "./testing";

/** A vhost of a test file's own and a channel on it to look at the queues. */
export interface TestBroker {
  vhost: Awaited<ReturnType<typeof createTestVhost>>;
  connection: ChannelModel;
  channel: Channel;
}

/**
 * A test broker for the calling `describe`: opened before its tests and closed after them, its
 * fields there from the first test on. (Apart from testing.ts, which code outside Vitest imports.)
 */
export function useTestBroker(): TestBroker {
  const broker = {} as TestBroker;
  beforeAll(async () => {
    broker.vhost = await createTestVhost();
    broker.connection = await connect(broker.vhost.url);
    broker.channel = await broker.connection.createChannel();
  });
  afterAll(async () => {
    await broker.connection?.close();
    await broker.vhost?.drop();
  });
  return broker;
}
