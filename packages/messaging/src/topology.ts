import type { Channel, Options } from "amqplib";
import {
  DEAD_LETTER_EXCHANGE,
  DEFAULT_RETRY_POLICY,
  QUEUES,
  deadLetterQueue,
  queueTopology,
  type QueueName,
  type RetryPolicy,
} from "@userstream/contracts";

/** AMQP's reply code when a queue exists with other arguments than those declared. */
const PRECONDITION_FAILED = 406;

/**
 * A queue that exists on the broker with other arguments than this version declares, e.g. a delay
 * queue an older version made as a classic queue. The broker refuses the declaration; the message
 * names the queue and the way out (docs/operations.md, "Upgrading").
 */
export class QueueMismatchError extends Error {
  readonly queue: string;
  constructor(queue: string, options: { cause: unknown }) {
    const broker = (options.cause as Error).message;
    super(
      `queue ${queue} exists with other arguments than this version declares (an older version's classic queue?): ` +
        `once it is empty, delete it (rabbitmqctl delete_queue --if-empty -p <vhost> ${queue}) and start again; ` +
        `see docs/operations.md, "Upgrading". The broker said: ${broker}`,
      options,
    );
    this.name = "QueueMismatchError";
    this.queue = queue;
  }
}

/** Declares one queue, turning the broker's refusal of other arguments into a QueueMismatchError. */
async function declareQueue(channel: Channel, queue: string, options: Options.AssertQueue): Promise<void> {
  try {
    await channel.assertQueue(queue, options);
  } catch (err) {
    if ((err as { code?: unknown }).code === PRECONDITION_FAILED) throw new QueueMismatchError(queue, { cause: err });
    throw err;
  }
}

/**
 * Dead-lettering that survives a lost node: the broker hands an expired or rejected message on with
 * publisher confirms and keeps it until the target queue has it. A quorum queue does so only when it
 * refuses publishes once full (`reject-publish`) instead of dropping its oldest messages.
 */
const AT_LEAST_ONCE_DEAD_LETTERS = { "x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish" };

/**
 * Declares one work queue with its parked dead-letter queue and its delay queues for retries.
 * Declaring is idempotent, so every process asserts the topology it uses at (re)connect. Every
 * queue is a quorum queue: replicated on the nodes of a cluster, so losing a node loses none of them.
 *
 * - The work queue: when a message exceeds the delivery limit (a crash loop), the broker
 *   dead-letters it at-least-once into `<queue>.dead`.
 * - Each retry level of the `policy` is a delay queue: a message waits there for its
 *   `expiration`, then the broker dead-letters it, at-least-once, back into the work queue.
 */
export async function assertQueueTopology(
  channel: Channel,
  queue: QueueName,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<void> {
  const dead = deadLetterQueue(queue);
  await channel.assertExchange(DEAD_LETTER_EXCHANGE, "direct", { durable: true });
  await declareQueue(channel, dead, { durable: true, arguments: { "x-queue-type": "quorum" } });
  await channel.bindQueue(dead, DEAD_LETTER_EXCHANGE, dead);
  await declareQueue(channel, queue, {
    durable: true,
    arguments: {
      "x-queue-type": "quorum",
      "x-delivery-limit": policy.deliveryLimit,
      "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE,
      "x-dead-letter-routing-key": dead,
      ...AT_LEAST_ONCE_DEAD_LETTERS,
    },
  });
  for (const { name, kind } of queueTopology(queue, policy)) {
    if (kind !== "retry") continue;
    await declareQueue(channel, name, {
      durable: true,
      arguments: {
        "x-queue-type": "quorum",
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": queue,
        ...AT_LEAST_ONCE_DEAD_LETTERS,
      },
    });
  }
}

/** Declares every queue of the system under `policy`. */
export async function assertTopology(channel: Channel, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<void> {
  for (const queue of Object.values(QUEUES)) await assertQueueTopology(channel, queue, policy);
}
