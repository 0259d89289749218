import type { ConfirmChannel, ConsumeMessage } from "amqplib";
import { retryPolicy, type MessageContract } from "@userstream/contracts";
import type { z } from "zod";
import { consumeQueue } from "./consume-queue";
import { silentLogger, type Logger } from "@userstream/runtime";
import { createSettler, type Handler, type Outcome } from "./settle";

export type { DeliveryContext, Outcome } from "./settle";

export interface ConsumerOptions<Contract extends MessageContract> {
  url: string;
  contract: Contract;
  /** Messages the broker may hand over before they are acknowledged. */
  prefetch: number;
  /** The handler: acked when it resolves; retried later when it throws; dead-lettered on PermanentError. */
  handle: Handler<Contract>;
  /** Wait before each retry (RETRY_DELAYS_MS, the queue's `RetryPolicy`); after the last one a failing message is dead-lettered. */
  retryDelaysMs?: readonly number[];
  confirmTimeoutMs?: number;
  logger?: Logger;
  /** Called once per delivery with what became of it and how long it took, for metrics. */
  onSettled?(outcome: Outcome, seconds: number): void;
  /** Called as each delivery arrives (redeliveries included), for metrics. */
  onDelivered?(): void;
  /** Fields added to every log line about a parsed message, e.g. its registration id. */
  logFields?(message: z.output<Contract["schema"]>): Record<string, unknown>;
}

export interface Consumer {
  /** True while connected to the broker and consuming. */
  isReady(): boolean;
  /** Messages ready in the queue right now, or undefined while not connected. */
  queueDepth(): Promise<number | undefined>;
  /** Stops consuming, lets in-flight messages finish and settle, then closes channel and connection. */
  stop(): Promise<void>;
}

/**
 * What both consumers build from their options: the logger, the settler that handles, retries or
 * parks each delivery, and the options of the queue's consumption (both under one retry policy).
 */
export function consumerParts<Contract extends MessageContract>(options: ConsumerOptions<Contract>) {
  const policy = retryPolicy(options.retryDelaysMs);
  const confirmTimeoutMs = options.confirmTimeoutMs ?? 5_000;
  const logger = options.logger ?? silentLogger;
  return {
    logger,
    settler: createSettler({ ...options, retryPolicy: policy, confirmTimeoutMs, logger }),
    consumption: {
      url: options.url,
      queue: options.contract.queue,
      prefetch: options.prefetch,
      retryPolicy: policy,
      confirmTimeoutMs,
      logger,
    },
  };
}

/**
 * Consumes one queue with manual acks, one message at a time per delivery (up to `prefetch` at
 * once). Every message is parsed against its contract before the handler sees it; a malformed
 * one is parked in the dead-letter queue with the reason in its headers instead of crashing the
 * process. Failures are retried through delay queues with growing waits, then dead-lettered. The
 * connection is re-opened with backoff when it drops.
 */
export async function startConsumer<Contract extends MessageContract>(options: ConsumerOptions<Contract>): Promise<Consumer> {
  const { logger, settler, consumption } = consumerParts(options);
  const inFlight = new Set<Promise<void>>();

  async function deliver(channel: ConfirmChannel, message: ConsumeMessage) {
    const started = performance.now();
    options.onDelivered?.();
    try {
      const outcome = await settler.settle(channel, message);
      // The ack comes last: only after the work (or the hand-off to a retry/dead-letter queue) is done.
      channel.ack(message);
      options.onSettled?.(outcome, (performance.now() - started) / 1_000);
    } catch (err) {
      // Not acked: the broker redelivers it, on this channel or, after a reconnect, on the next.
      logger.error({ err, messageId: message.properties.messageId, queue: consumption.queue }, "message left unacknowledged");
    }
  }

  return consumeQueue({
    ...consumption,
    onMessage(channel, message) {
      const work = deliver(channel, message);
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    },
    drain: () => Promise.allSettled([...inFlight]),
  });
}
