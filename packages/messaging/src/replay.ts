import { connect } from "amqplib";
import { ATTEMPTS_HEADER, DEAD_LETTER_HEADERS, deadLetterQueue, type QueueName } from "@userstream/contracts";
import { sendConfirmed } from "./confirm";
import { assertQueueTopology } from "./topology";

// Why a message was parked: dropped on replay, so its retries start over.
const PARKING_HEADERS = new Set<string>([...Object.values(DEAD_LETTER_HEADERS), ATTEMPTS_HEADER, "x-death", "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason", "x-last-death-exchange", "x-last-death-queue", "x-last-death-reason", "x-delivery-count"]);

/**
 * Moves up to `limit` messages from `<queue>.dead` back into `queue`, oldest first, for after the
 * cause was fixed. Each is republished with a publisher confirm and only then acked in the
 * dead-letter queue, so stopping halfway loses nothing (a message may then be in both, which the
 * idempotent consumers absorb). Resolves with how many were moved.
 */
export async function replayDeadLetters(url: string, queue: QueueName, options: { limit?: number; confirmTimeoutMs?: number } = {}): Promise<number> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const connection = await connect(url);
  try {
    const channel = await connection.createConfirmChannel();
    await assertQueueTopology(channel, queue);
    let moved = 0;
    while (moved < limit) {
      const message = await channel.get(deadLetterQueue(queue), { noAck: false });
      if (!message) break;
      const { headers = {}, expiration: _expiration, ...properties } = message.properties;
      const kept = Object.fromEntries(Object.entries(headers as Record<string, unknown>).filter(([name]) => !PARKING_HEADERS.has(name)));
      await sendConfirmed(channel, queue, message.content, { ...properties, headers: kept }, options.confirmTimeoutMs ?? 5_000);
      channel.ack(message);
      moved++;
    }
    await channel.close();
    return moved;
  } finally {
    await connection.close().catch(() => {});
  }
}
