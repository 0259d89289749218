import type { Channel } from "amqplib";
import {
  DEAD_LETTER_EXCHANGE,
  DEFAULT_RETRY_POLICY,
  QUEUES,
  deadLetterQueue,
  queueTopology,
  type QueueName,
  type RetryPolicy,
} from "@userstream/contracts";

/**
 * Declares one work queue with its parked dead-letter queue and its delay queues for retries.
 * Declaring is idempotent, so every process asserts the topology it uses at (re)connect.
 *
 * - The work queue is a quorum queue (replicated, durable). When a message exceeds the delivery
 *   limit (a crash loop), the broker dead-letters it at-least-once into `<queue>.dead`.
 * - Each retry level of the `policy` is a delay queue: a message waits there for its
 *   `expiration`, then the broker dead-letters it back into the work queue.
 */
export async function assertQueueTopology(
  channel: Channel,
  queue: QueueName,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<void> {
  const dead = deadLetterQueue(queue);
  await channel.assertExchange(DEAD_LETTER_EXCHANGE, "direct", { durable: true });
  await channel.assertQueue(dead, { durable: true, arguments: { "x-queue-type": "quorum" } });
  await channel.bindQueue(dead, DEAD_LETTER_EXCHANGE, dead);
  await channel.assertQueue(queue, {
    durable: true,
    arguments: {
      "x-queue-type": "quorum",
      "x-delivery-limit": policy.deliveryLimit,
      "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE,
      "x-dead-letter-routing-key": dead,
      "x-dead-letter-strategy": "at-least-once",
      "x-overflow": "reject-publish",
    },
  });
  for (const { name, kind } of queueTopology(queue, policy)) {
    if (kind !== "retry") continue;
    await channel.assertQueue(name, {
      durable: true,
      arguments: { "x-dead-letter-exchange": "", "x-dead-letter-routing-key": queue },
    });
  }
}

/** Declares every queue of the system under `policy`. */
export async function assertTopology(channel: Channel, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<void> {
  for (const queue of Object.values(QUEUES)) await assertQueueTopology(channel, queue, policy);
}
