import { setTimeout as sleep } from "node:timers/promises";
import type { ChannelModel, ConfirmChannel, ConsumeMessage } from "amqplib";
import {
  ATTEMPTS_HEADER,
  DEAD_LETTER_HEADERS,
  DEFAULT_RETRY_DELAYS_MS,
  deadLetterQueue,
  retryQueue,
  type MessageContract,
} from "@userstream/contracts";
import type { z } from "zod";
import { sendConfirmed } from "./confirm";
import { connectToBroker } from "./connection";
import { PermanentError, RetryLaterError } from "./errors";
import { silentLogger, type Logger } from "./logger";
import { assertQueueTopology } from "./topology";

export type Outcome = "acked" | "retried" | "dead-lettered";

export interface DeliveryContext {
  /** 1 for the first delivery, 2 for the first retry, and so on. */
  attempt: number;
  /** Retries still possible after this attempt; 0 means a failure now is dead-lettered. */
  retriesLeft: number;
  messageId: string | undefined;
}

export interface ConsumerOptions<Contract extends MessageContract> {
  url: string;
  contract: Contract;
  /** Messages the broker may hand over before they are acknowledged. */
  prefetch: number;
  /** The handler: acked when it resolves; retried later when it throws; dead-lettered on PermanentError. */
  handle(message: z.output<Contract["schema"]>, context: DeliveryContext): Promise<void>;
  /** Wait before each retry; after the last one a failing message is dead-lettered. */
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

type LogFields = Record<string, unknown>;

interface Link {
  connection: ChannelModel;
  channel: ConfirmChannel;
  consumerTag: string;
}

function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // Headers are limited in size: keep the reason readable and bounded.
  return text.length > 1_000 ? `${text.slice(0, 1_000)}…` : text;
}

/**
 * Consumes one queue with manual acks. Every message is parsed against its contract before the
 * handler sees it; a malformed one is parked in the dead-letter queue with the reason in its
 * headers instead of crashing the process. Failures are retried through delay queues with
 * growing waits, then dead-lettered. The connection is re-opened with backoff when it drops.
 */
export async function startConsumer<Contract extends MessageContract>(
  options: ConsumerOptions<Contract>,
): Promise<Consumer> {
  const { url, contract, prefetch, handle } = options;
  const queue = contract.queue;
  const retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const confirmTimeoutMs = options.confirmTimeoutMs ?? 5_000;
  const logger = options.logger ?? silentLogger;
  const inFlight = new Set<Promise<void>>();
  let link: Link | undefined;
  let stopping = false;

  async function park(channel: ConfirmChannel, message: ConsumeMessage, log: LogFields, reason: string, error: string, attempt: number) {
    await sendConfirmed(
      channel,
      deadLetterQueue(queue),
      message.content,
      {
        ...message.properties,
        headers: {
          ...message.properties.headers,
          [DEAD_LETTER_HEADERS.reason]: reason,
          [DEAD_LETTER_HEADERS.error]: error,
          [DEAD_LETTER_HEADERS.queue]: queue,
          [DEAD_LETTER_HEADERS.attempts]: attempt,
        },
      },
      confirmTimeoutMs,
    );
    logger.warn({ ...log, queue, reason, error }, "message dead-lettered");
  }

  async function retryLater(channel: ConfirmChannel, message: ConsumeMessage, attempt: number, delayMs: number) {
    await sendConfirmed(
      channel,
      retryQueue(queue, attempt),
      message.content,
      {
        ...message.properties,
        expiration: String(delayMs),
        headers: { ...message.properties.headers, [ATTEMPTS_HEADER]: attempt },
      },
      confirmTimeoutMs,
    );
  }

  /** `log` gains the message's own fields once it is parsed, for every later line about it. */
  async function settle(channel: ConfirmChannel, message: ConsumeMessage, log: LogFields): Promise<Outcome> {
    const attempt = Number(message.properties.headers?.[ATTEMPTS_HEADER] ?? 0) + 1;
    let parsed: z.output<Contract["schema"]>;
    try {
      parsed = contract.schema.parse(JSON.parse(message.content.toString("utf8"))) as z.output<Contract["schema"]>;
    } catch (err) {
      await park(channel, message, log, "malformed", describe(err), attempt);
      return "dead-lettered";
    }
    Object.assign(log, options.logFields?.(parsed));
    try {
      const retriesLeft = Math.max(0, retryDelaysMs.length - attempt + 1);
      await handle(parsed, { attempt, retriesLeft, messageId: message.properties.messageId as string | undefined });
      return "acked";
    } catch (err) {
      if (err instanceof PermanentError) {
        await park(channel, message, log, "rejected", describe(err), attempt);
        return "dead-lettered";
      }
      const backoffMs = retryDelaysMs[attempt - 1];
      if (backoffMs === undefined) {
        await park(channel, message, log, "retries-exhausted", describe(err), attempt);
        return "dead-lettered";
      }
      // Jitter spreads retries of messages that failed together; a Retry-After is a floor.
      const delayMs = Math.max(Math.round(backoffMs * (0.8 + Math.random() * 0.4)), err instanceof RetryLaterError ? err.delayMs : 0);
      logger.warn({ ...log, err, queue, attempt, delayMs }, "handler failed; retrying later");
      await retryLater(channel, message, attempt, delayMs);
      return "retried";
    }
  }

  async function deliver(channel: ConfirmChannel, message: ConsumeMessage) {
    const started = performance.now();
    options.onDelivered?.();
    const log: LogFields = { messageId: message.properties.messageId };
    try {
      const outcome = await settle(channel, message, log);
      // The ack comes last: only after the work (or the hand-off to a retry/dead-letter queue) is done.
      channel.ack(message);
      options.onSettled?.(outcome, (performance.now() - started) / 1_000);
    } catch (err) {
      // Not acked: the broker redelivers it, on this channel or, after a reconnect, on the next.
      logger.error({ ...log, err, queue }, "message left unacknowledged");
    }
  }

  async function open(): Promise<void> {
    const connection = await connectToBroker(url, confirmTimeoutMs);
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
      await assertQueueTopology(channel, queue, retryDelaysMs.length);
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
        const work = deliver(channel, message);
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
      });
      link = { connection, channel, consumerTag };
      logger.info({ queue, prefetch }, "consuming");
    } catch (err) {
      await connection.close().catch(() => undefined);
      if (!stopping) throw err;
    }
  }

  async function openWithBackoff(): Promise<void> {
    for (let delayMs = 250; !stopping; delayMs = Math.min(delayMs * 2, 15_000)) {
      try {
        await open();
        return;
      } catch (err) {
        logger.warn({ err, queue, delayMs }, "cannot reach the broker; retrying");
        await sleep(delayMs * (0.8 + Math.random() * 0.4));
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
      await Promise.allSettled([...inFlight]);
      await current?.channel.close().catch(() => undefined);
      await current?.connection.close().catch(() => undefined);
      link = undefined;
    },
  };
}
