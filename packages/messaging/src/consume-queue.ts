import { setTimeout as sleep } from "node:timers/promises";
import type { ChannelModel, ConfirmChannel, ConsumeMessage } from "amqplib";
import type { QueueName, RetryPolicy } from "@userstream/contracts";
import { createBrokerConnector } from "./connection";
import { exponentialDelay, withJitter, type Logger } from "@userstream/runtime";
import { QueueMismatchError, assertQueueTopology } from "./topology";

interface Link {
  connection: ChannelModel;
  channel: ConfirmChannel;
  consumerTag: string;
}

interface QueueConsumptionOptions {
  url: string;
  queue: QueueName;
  prefetch: number;
  /** Its delay queues are declared with the queue. */
  retryPolicy: RetryPolicy;
  confirmTimeoutMs: number;
  logger: Logger;
  /** Called for every delivery, with the channel to settle it on. */
  onMessage(channel: ConfirmChannel, message: ConsumeMessage): void;
  /** Called after consuming was cancelled on stop: finish every delivery taken so far. */
  drain(): Promise<unknown>;
}

/**
 * The broker side shared by the consumers: one connection and one confirm channel consuming a
 * queue with manual acks, re-opened with backoff when it drops (each attempt trying a cluster's
 * nodes in failover order, starting after the node that was lost). On stop it cancels consuming,
 * lets the caller finish what it took, then closes the channel and the connection.
 */
export async function consumeQueue(options: QueueConsumptionOptions) {
  const { url, queue, prefetch, confirmTimeoutMs, logger } = options;
  // A cluster's nodes (AMQP_URL may list several): a lost connection is opened again on the next node.
  const broker = createBrokerConnector(url, confirmTimeoutMs);
  let link: Link | undefined;
  let stopping = false;

  async function open(): Promise<void> {
    const connection = await broker.connect();
    connection.on("error", (err: Error) => logger.warn({ err, queue }, "broker connection error"));
    connection.on("close", () => {
      // Only the connection in use is recovered; one that failed while opening is just dropped.
      if (link?.connection !== connection) return;
      link = undefined;
      if (!stopping) {
        logger.warn({ queue }, "broker connection closed; reconnecting");
        void openWithBackoff();
      }
    });
    try {
      const channel = await connection.createConfirmChannel();
      channel.on("error", (err: Error) => logger.warn({ err, queue }, "consumer channel error"));
      // A channel closed by the broker (e.g. a queue-level error) is recovered by reconnecting.
      channel.on("close", () => connection.close().catch(() => undefined));
      // Topology and prefetch are applied on every (re)connect: a restarted broker may have lost neither, or both.
      await assertQueueTopology(channel, queue, options.retryPolicy);
      await channel.prefetch(prefetch);
      // stop() was called while this connection was being opened: it must not start consuming.
      if (stopping) throw new Error("stopping");
      const { consumerTag } = await channel.consume(queue, (message) => {
        if (message === null) {
          // The broker cancelled us (queue deleted): start over, which re-declares the queue.
          logger.warn({ queue }, "consumer cancelled by the broker");
          connection.close().catch(() => undefined);
          return;
        }
        // Settled on the channel that delivered it: a delivery tag means nothing on any other.
        options.onMessage(channel, message);
      });
      link = { connection, channel, consumerTag };
      logger.info({ queue, prefetch, node: broker.current() }, "consuming");
    } catch (err) {
      await connection.close().catch(() => undefined);
      if (!stopping) throw err;
    }
  }

  async function openWithBackoff(): Promise<void> {
    for (let attempt = 1; !stopping; attempt++) {
      const delayMs = exponentialDelay(attempt, 250, 15_000);
      try {
        await open();
        return;
      } catch (err) {
        // A queue left by an older version stays until an operator removes it (docs/operations.md,
        // "Upgrading"): consuming starts once it is gone, and the log says which and how meanwhile.
        const what =
          err instanceof QueueMismatchError ? "a queue on the broker must be removed first" : "cannot reach the broker";
        logger.warn({ err, queue, delayMs }, `${what}; retrying`);
        await sleep(withJitter(delayMs));
      }
    }
  }

  await openWithBackoff();

  return {
    isReady: () => link !== undefined,
    async queueDepth() {
      const current = link;
      if (!current) return undefined;
      return (await current.channel.checkQueue(queue)).messageCount;
    },
    async stop() {
      stopping = true;
      const current = link;
      if (current) await current.channel.cancel(current.consumerTag).catch(() => undefined);
      await options.drain();
      await current?.channel.close().catch(() => undefined);
      await current?.connection.close().catch(() => undefined);
      link = undefined;
    },
  };
}
