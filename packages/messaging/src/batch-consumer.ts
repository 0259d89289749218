import type { ConfirmChannel, ConsumeMessage } from "amqplib";
import type { MessageContract } from "@userstream/contracts";
import type { z } from "zod";
import { consumeQueue } from "./consume-queue";
import { consumerParts, type Consumer, type ConsumerOptions } from "./consumer";
import type { Outcome } from "./settle";

export interface BatchConsumerOptions<Contract extends MessageContract> extends ConsumerOptions<Contract> {
  /**
   * Handles a whole batch at once (say, one multi-row insert in one transaction): every message of
   * the batch is acked when it resolves. When it throws, each message of the batch goes through
   * `handle` on its own, with the usual retries and dead-lettering, so one bad message costs only
   * itself. It must therefore be idempotent together with `handle`.
   */
  handleBatch(messages: Array<z.output<Contract["schema"]>>): Promise<void>;
  /** Most messages in one batch (default: the prefetch). */
  maxBatch?: number;
  /** Longest a message waits for its batch to fill before the batch is handled anyway (default 5 ms). */
  lingerMs?: number;
  /**
   * Batches handled at the same time (default 1). With more than one, a batch can be stored while
   * the one before waits for its hand-offs; acks still follow the order of delivery.
   */
  concurrency?: number;
}

interface Pending {
  channel: ConfirmChannel;
  messages: ConsumeMessage[];
  timer: NodeJS.Timeout;
}

/** A batch handed over for handling, until it is acked. */
interface Batch {
  channel: ConfirmChannel;
  messages: ConsumeMessage[];
  state: "running" | "settled" | "unacked";
}

/**
 * Consumes one queue in batches: deliveries are collected up to `maxBatch` or for at most
 * `lingerMs`, handed to `handleBatch` together, and acked after it resolves. Malformed messages are
 * parked before the batch runs. While `concurrency` batches run, the next one collects. Batches are
 * acked in the order they were delivered, each with one ack with `multiple` up to its last message
 * (every earlier delivery on the channel is settled by then); once a batch had to be left
 * unacknowledged for redelivery, later ones on that channel are acked message by message.
 * Retries, dead-lettering and reconnecting are as in {@link startConsumer}.
 */
export async function startBatchConsumer<Contract extends MessageContract>(
  options: BatchConsumerOptions<Contract>,
): Promise<Consumer> {
  const { logger, settler, consumption } = consumerParts(options);
  const { queue } = consumption;
  const maxBatch = options.maxBatch ?? options.prefetch;
  const lingerMs = options.lingerMs ?? 5;
  const concurrency = options.concurrency ?? 1;
  // Channels with a delivery left unacknowledged (to be redelivered): a `multiple` ack would take it too.
  const leftUnacked = new WeakSet<ConfirmChannel>();
  let pending: Pending | undefined;
  const ready: Batch[] = [];
  // Every batch handed over and not yet acked, in delivery order.
  const unacked: Batch[] = [];
  const running = new Set<Promise<void>>();

  function ackInOrder() {
    while (unacked[0] && unacked[0].state !== "running") {
      const { channel, messages, state } = unacked.shift() as Batch;
      if (state === "unacked") {
        leftUnacked.add(channel);
        continue;
      }
      try {
        const last = messages.at(-1);
        if (last && !leftUnacked.has(channel)) channel.ack(last, true);
        else for (const message of messages) channel.ack(message);
      } catch (err) {
        // The channel closed meanwhile: the broker redelivers these on the next one.
        logger.warn({ err, queue, size: messages.length }, "batch could not be acknowledged");
      }
    }
  }

  async function settleOneByOne(
    channel: ConfirmChannel,
    entries: Array<{ message: ConsumeMessage; parsed: z.output<Contract["schema"]> }>,
  ) {
    return Promise.all(
      entries.map(async ({ message, parsed }) => ({ message, outcome: await settler.run(channel, message, parsed) })),
    );
  }

  async function handle(batch: Batch) {
    const { channel, messages } = batch;
    const started = performance.now();
    const settled: Array<{ message: ConsumeMessage; outcome: Outcome }> = [];
    try {
      const entries = [];
      for (const message of messages) {
        const parsed = await settler.parse(channel, message);
        if (parsed === undefined) settled.push({ message, outcome: "dead-lettered" });
        else entries.push({ message, parsed });
      }
      if (entries.length > 0) {
        try {
          await options.handleBatch(entries.map((entry) => entry.parsed));
          settled.push(...entries.map(({ message }) => ({ message, outcome: "acked" as const })));
        } catch (err) {
          logger.warn({ err, queue, size: entries.length }, "batch failed; handling its messages one by one");
          settled.push(...(await settleOneByOne(channel, entries)));
        }
      }
    } catch (err) {
      // A hand-off to a retry or dead-letter queue failed (the broker is away): ack nothing, the
      // broker redelivers the batch.
      batch.state = "unacked";
      logger.error({ err, queue, size: messages.length }, "batch left unacknowledged");
      return;
    }
    // Acked (in delivery order, see ackInOrder) only now that the work, or the hand-off to a retry
    // or dead-letter queue, is done.
    batch.state = "settled";
    const seconds = (performance.now() - started) / 1_000;
    for (const { outcome } of settled) options.onSettled?.(outcome, seconds);
  }

  function pump() {
    while (running.size < concurrency) {
      const batch = ready.shift();
      if (!batch) return;
      const work = handle(batch).finally(() => {
        running.delete(work);
        ackInOrder();
        pump();
      });
      running.add(work);
    }
  }

  function flush() {
    const batch = pending;
    if (!batch) return;
    pending = undefined;
    clearTimeout(batch.timer);
    const handedOver: Batch = { channel: batch.channel, messages: batch.messages, state: "running" };
    ready.push(handedOver);
    unacked.push(handedOver);
    pump();
  }

  return consumeQueue({
    ...consumption,
    onMessage(channel, message) {
      options.onDelivered?.();
      if (pending && pending.channel !== channel) flush();
      pending ??= { channel, messages: [], timer: setTimeout(flush, lingerMs) };
      pending.messages.push(message);
      if (pending.messages.length >= maxBatch) flush();
    },
    async drain() {
      flush();
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  });
}
