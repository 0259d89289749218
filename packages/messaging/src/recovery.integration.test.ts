import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { connect, type Channel, type ChannelModel } from "amqplib";
import { QUEUES, UserRegistrationV1 } from "@userstream/contracts";
import { waitFor } from "@userstream/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HEARTBEAT_SECONDS, PublishError, createPublisher, startConsumer, type Consumer } from "./index";
import { createTestVhost, testRegistration } from "./testing";

const run = promisify(execFile);
/** How long a recovery from a broker-side fault may take. */
const RECOVERY_MS = 20_000;

/** A gate a handler waits on, opened by the test. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe("the AMQP layer recovers from broker-side faults", () => {
  let vhost: Awaited<ReturnType<typeof createTestVhost>>;
  let name: string;
  let connection: ChannelModel | undefined;
  let channel: Channel;
  const cleanups: (() => Promise<unknown>)[] = [];

  /** The test's own inspection channel, reopened after the broker closed every connection. */
  async function inspector(): Promise<Channel> {
    if (!connection) {
      connection = await connect(vhost.url);
      connection.on("close", () => (connection = undefined));
      connection.on("error", () => undefined);
      channel = await connection.createChannel();
    }
    return channel;
  }

  async function closeEveryConnection() {
    await run("rabbitmqctl", ["-q", "close_all_connections", "-p", name, "fault injected by a test"]);
  }

  async function ready(queue = QUEUES.registration) {
    return (await (await inspector()).checkQueue(queue)).messageCount;
  }

  beforeAll(async () => {
    vhost = await createTestVhost();
    name = decodeURIComponent(new URL(vhost.url).pathname.slice(1));
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await (await inspector()).purgeQueue(QUEUES.registration);
  });
  afterAll(async () => {
    await connection?.close();
    await vhost?.drop();
  });

  async function consume(prefetch: number, handle: (id: string) => Promise<void>): Promise<Consumer> {
    const consumer = await startConsumer({
      url: vhost.url,
      contract: UserRegistrationV1,
      prefetch,
      retryDelaysMs: [50],
      handle: (message) => handle(message.id),
    });
    cleanups.push(() => consumer.stop());
    return consumer;
  }

  it("asks the broker for heartbeats", async () => {
    const consumer = await consume(1, async () => undefined);
    expect(consumer.isReady()).toBe(true);
    const { stdout } = await run("rabbitmqctl", ["-q", "list_connections", "-p", name, "--no-table-headers", "timeout"]);
    expect(stdout.trim().split(/\s+/)).toContain(String(HEARTBEAT_SECONDS));
  });

  it("re-applies prefetch after a reconnect, and a late ack on the dead channel harms nothing", async () => {
    const deliveries: string[] = [];
    const [first, second] = [gate(), gate()];
    const consumer = await consume(3, async (id) => {
      deliveries.push(id);
      if (deliveries.length <= 3) await first.opened;
      else if (deliveries.length <= 6) await second.opened;
    });
    const publisher = createPublisher(vhost.url);
    cleanups.push(() => publisher.close());
    const sent = Array.from({ length: 8 }, () => testRegistration());
    for (const envelope of sent) await publisher.publish(UserRegistrationV1, envelope);

    await waitFor(() => deliveries.length === 3, RECOVERY_MS);
    expect(await ready()).toBe(5);

    await closeEveryConnection();
    // The three held messages were never acked: they come back on the new channel, prefetch 3 again.
    await waitFor(() => consumer.isReady() && deliveries.length === 6, RECOVERY_MS);
    expect(await ready()).toBe(5);
    // The first three handlers now finish and try to ack on their closed channel: that must fail
    // quietly, not close the new channel with "unknown delivery tag".
    first.open();
    second.open();
    await waitFor(async () => (await ready()) === 0 && new Set(deliveries).size === 8, RECOVERY_MS);
    const late = testRegistration();
    await publisher.publish(UserRegistrationV1, late);
    await waitFor(() => deliveries.includes(late.id), RECOVERY_MS);
    expect(consumer.isReady()).toBe(true);
    expect(new Set(deliveries)).toEqual(new Set([...sent, late].map((envelope) => envelope.id)));
  });

  it("consumes on after its queue was deleted: the cancelled consumer re-declares it", async () => {
    const handled: string[] = [];
    const consumer = await consume(5, async (id) => void handled.push(id));
    await (await inspector()).deleteQueue(QUEUES.registration);
    const publisher = createPublisher(vhost.url);
    cleanups.push(() => publisher.close());
    const envelope = testRegistration();
    await publisher.publish(UserRegistrationV1, envelope);
    // Only a consumer that noticed the cancellation and subscribed again can receive it.
    await waitFor(() => handled.includes(envelope.id), RECOVERY_MS);
    expect(consumer.isReady()).toBe(true);
  });

  it("reports a publish to a queue deleted under it as failed, then recovers", async () => {
    const publisher = createPublisher(vhost.url);
    cleanups.push(() => publisher.close());
    await publisher.publish(UserRegistrationV1, testRegistration());
    await (await inspector()).deleteQueue(QUEUES.registration);

    // Confirmed-and-dropped would be a silent loss: the broker's return makes it an error, and a
    // sure refusal (the broker keeps nothing of it).
    const returned = publisher.publish(UserRegistrationV1, testRegistration());
    await expect(returned).rejects.toBeInstanceOf(PublishError);
    await expect(returned).rejects.toHaveProperty("outcome", "refused");
    // The next publish opens afresh, which declares the topology again.
    await publisher.publish(UserRegistrationV1, testRegistration());
    expect(await ready()).toBe(1);
  });

  it("reconnects a publisher after the broker closed its connection", async () => {
    const publisher = createPublisher(vhost.url);
    cleanups.push(() => publisher.close());
    await publisher.publish(UserRegistrationV1, testRegistration());
    await closeEveryConnection();
    await waitFor(() => !publisher.isConnected(), RECOVERY_MS);
    await publisher.publish(UserRegistrationV1, testRegistration());
    expect(await ready()).toBe(2);
  });

  it("closes only after the publishes under way are confirmed, and refuses new ones", async () => {
    const publisher = createPublisher(vhost.url);
    const underWay = publisher.publish(UserRegistrationV1, testRegistration());
    await publisher.close();
    await expect(underWay).resolves.toBeUndefined();
    const refused = publisher.publish(UserRegistrationV1, testRegistration());
    await expect(refused).rejects.toBeInstanceOf(PublishError);
    await expect(refused).rejects.toHaveProperty("outcome", "refused");
    expect(await ready()).toBe(1);
  });
});
