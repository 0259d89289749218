import type { Channel } from "amqplib";
import {
  DEAD_LETTER_EXCHANGE,
  DELIVERY_LIMIT,
  DEFAULT_RETRY_DELAYS_MS,
  QUEUES,
  deadLetterQueue,
  retryQueue,
  type QueueName,
} from "@userstream/contracts";

/**
 * Declares one work queue with its parked dead-letter queue and its delay queues for retries.
 * Declaring is idempotent, so every process asserts the topology it uses at (re)connect.
 *
 * - The work queue is a quorum queue (replicated, durable). When a message exceeds the delivery
 *   limit (a crash loop), the broker dead-letters it at-least-once into `<queue>.dead`.
 * - Each retry level is a delay queue: a message waits there for its `expiration`, then the
 *   broker dead-letters it back into the work queue.
 */
export async function assertQueueTopology(
  channel: Channel,
  queue: QueueName,
  retryLevels: number = DEFAULT_RETRY_DELAYS_MS.length,
): Promise<void> {
  const dead = deadLetterQueue(queue);
  await channel.assertExchange(DEAD_LETTER_EXCHANGE, "direct", { durable: true });
  await channel.assertQueue(dead, { durable: true, arguments: { "x-queue-type": "quorum" } });
  await channel.bindQueue(dead, DEAD_LETTER_EXCHANGE, dead);
  await channel.assertQueue(queue, {
    durable: true,
    arguments: {
      "x-queue-type": "quorum",
      "x-delivery-limit": DELIVERY_LIMIT,
      "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE,
      "x-dead-letter-routing-key": dead,
      "x-dead-letter-strategy": "at-least-once",
      "x-overflow": "reject-publish",
    },
  });
  for (let level = 1; level <= retryLevels; level++) {
    await channel.assertQueue(retryQueue(queue, level), {
      durable: true,
      arguments: { "x-dead-letter-exchange": "", "x-dead-letter-routing-key": queue },
    });
  }
}

/** Declares every queue of the system. */
export async function assertTopology(channel: Channel): Promise<void> {
  for (const queue of Object.values(QUEUES)) await assertQueueTopology(channel, queue);
}
