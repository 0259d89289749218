import type { Channel } from "amqplib";
import { QUEUES, deadLetterQueue, retryQueue } from "@userstream/contracts";
import { connectToBroker } from "@userstream/messaging";

/** Runs `work` on a channel of a short-lived connection to `amqpUrl` (a node, or the first of a cluster's that answers). */
async function withChannel<T>(amqpUrl: string, work: (channel: Channel) => Promise<T>): Promise<T> {
  const connection = await connectToBroker(amqpUrl, 5_000);
  try {
    return await work(await connection.createChannel());
  } finally {
    await connection.close();
  }
}

/** Empties the dead-letter queues before a scenario, so the dead letters it counts are its own. */
export function purgeDeadLetters(amqpUrl: string): Promise<void> {
  return withChannel(amqpUrl, async (channel) => {
    for (const queue of Object.values(QUEUES)) await channel.purgeQueue(deadLetterQueue(queue));
  });
}

/**
 * Messages waiting in the work queues and their `retryLevels` delay queues (a cheap probe;
 * unacknowledged ones not included).
 */
export function readyMessages(amqpUrl: string, retryLevels: number): Promise<number> {
  return withChannel(amqpUrl, async (channel) => {
    const levels = Array.from({ length: retryLevels }, (_, level) => level + 1);
    const queues = Object.values(QUEUES).flatMap((queue) => [queue, ...levels.map((level) => retryQueue(queue, level))]);
    let ready = 0;
    for (const queue of queues) ready += (await channel.checkQueue(queue)).messageCount;
    return ready;
  });
}
