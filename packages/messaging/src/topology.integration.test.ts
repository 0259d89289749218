import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { connect } from "amqplib";
import { QUEUES, queueTopology, retryPolicy, retryQueue } from "@userstream/contracts";
import { waitFor } from "@userstream/test-support";
import { describe, expect, it } from "vitest";
import { QueueMismatchError, assertQueueTopology } from "./topology";
import { useTestBroker } from "./test-broker";
import { createTestVhost } from "./testing";

const run = promisify(execFile);
const POLICY = retryPolicy([100, 200]);

/** Each queue of the test's vhost with its type, as the broker reports them. */
async function queueTypes(vhostUrl: string): Promise<Record<string, string>> {
  const vhost = decodeURIComponent(new URL(vhostUrl).pathname.slice(1));
  const { stdout } = await run("rabbitmqctl", ["-q", "list_queues", "-p", vhost, "--no-table-headers", "name", "type"]);
  return Object.fromEntries(
    stdout
      .trim()
      .split("\n")
      .map((line) => line.trim().split(/\s+/)),
  );
}

describe("the queue topology on a real RabbitMQ", () => {
  const broker = useTestBroker();

  it("makes every queue a quorum queue, the delay queues too, so that a cluster replicates them all", async () => {
    await assertQueueTopology(broker.channel, QUEUES.registration, POLICY);
    const names = queueTopology(QUEUES.registration, POLICY).map((queue) => queue.name);
    expect(names).toContain(retryQueue(QUEUES.registration, 2));
    const types = await queueTypes(broker.vhost.url);
    expect(Object.fromEntries(names.map((name) => [name, types[name]]))).toEqual(
      Object.fromEntries(names.map((name) => [name, "quorum"])),
    );
  });

  it("brings a delayed message back into its work queue when its expiration is up", async () => {
    await assertQueueTopology(broker.channel, QUEUES.registration, POLICY);
    const messageId = crypto.randomUUID();
    broker.channel.sendToQueue(retryQueue(QUEUES.registration, 1), Buffer.from("{}"), {
      persistent: true,
      messageId,
      expiration: "100",
    });
    const back = await waitFor(() => broker.channel.get(QUEUES.registration, { noAck: true }), { what: "the retry" });
    expect(back.properties.messageId).toBe(messageId);
    expect((await broker.channel.checkQueue(retryQueue(QUEUES.registration, 1))).messageCount).toBe(0);
  });

  it("names the queue and the way out when an older version left a classic delay queue", async () => {
    const vhost = await createTestVhost();
    const connection = await connect(vhost.url);
    try {
      const classic = retryQueue(QUEUES.emailSend, 1);
      const old = await connection.createChannel();
      await old.assertQueue(classic, { durable: true, arguments: { "x-dead-letter-exchange": "" } });
      await old.close();
      const channel = await connection.createChannel();
      channel.on("error", () => undefined); // the broker closes the channel; the declaration's promise says why
      const declaring = assertQueueTopology(channel, QUEUES.emailSend, POLICY);
      await expect(declaring).rejects.toBeInstanceOf(QueueMismatchError);
      await expect(declaring).rejects.toThrow(`queue ${classic} exists with other arguments`);
      await expect(declaring).rejects.toThrow(`rabbitmqctl delete_queue --if-empty -p <vhost> ${classic}`);
    } finally {
      await connection.close();
      await vhost.drop();
    }
  });
});
