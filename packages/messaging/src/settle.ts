import type { ConfirmChannel, ConsumeMessage } from "amqplib";
import {
  ATTEMPTS_HEADER,
  DEAD_LETTER_HEADERS,
  DEAD_LETTER_REASONS,
  deadLetterQueue,
  retryDelayAfter,
  retryQueue,
  type DeadLetterReason,
  type MessageContract,
  type RetryPolicy,
} from "@userstream/contracts";
import type { z } from "zod";
import { sendConfirmed } from "./confirm";
import { PermanentError, RetryLaterError } from "./errors";
import { withJitter, type Logger } from "@userstream/runtime";

export type Outcome = "acked" | "retried" | "dead-lettered";

export interface DeliveryContext {
  /** 1 for the first delivery, 2 for the first retry, and so on. */
  attempt: number;
  /** Retries still possible after this attempt; 0 means a failure now is dead-lettered. */
  retriesLeft: number;
  messageId: string | undefined;
}

export type Handler<Contract extends MessageContract> = (
  message: z.output<Contract["schema"]>,
  context: DeliveryContext,
) => Promise<void>;

interface SettlerOptions<Contract extends MessageContract> {
  contract: Contract;
  handle: Handler<Contract>;
  retryPolicy: RetryPolicy;
  confirmTimeoutMs: number;
  logger: Logger;
  /** Fields added to every log line about a parsed message, e.g. its registration id. */
  logFields?(message: z.output<Contract["schema"]>): Record<string, unknown>;
}

/**
 * The version of a message of this contract's type that is not the contract's own (a producer
 * ahead of this consumer, or one from the past), or undefined. A message of another type, or
 * without a whole positive version, is malformed instead.
 */
function unsupportedVersion(contract: MessageContract, body: unknown): number | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const { type, version } = body as { type?: unknown; version?: unknown };
  const isVersion = typeof version === "number" && Number.isInteger(version) && version > 0;
  return type === contract.type && isVersion && version !== contract.version ? version : undefined;
}

function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // Headers are limited in size: keep the reason readable and bounded.
  return text.length > 1_000 ? `${text.slice(0, 1_000)}…` : text;
}

/** 1 for a first delivery; the retry path counts the attempts in a header. */
function attemptOf(message: ConsumeMessage): number {
  return Number(message.properties.headers?.[ATTEMPTS_HEADER] ?? 0) + 1;
}

/**
 * What the consumers do with one delivery, short of acking it: parse it against its contract
 * (a malformed one, or one of a version this consumer does not handle, is parked in the
 * dead-letter queue with the reason in its headers), run the
 * handler, and on failure hand it to a delay queue for a later retry or, after the last retry or
 * on a PermanentError, to the dead-letter queue.
 */
export function createSettler<Contract extends MessageContract>(options: SettlerOptions<Contract>) {
  const { contract, handle, retryPolicy, confirmTimeoutMs, logger } = options;
  const queue = contract.queue;

  /** What every log line about `message` carries: its id and, once parsed, the caller's fields. */
  function logOf(message: ConsumeMessage, parsed?: z.output<Contract["schema"]>): Record<string, unknown> {
    return { messageId: message.properties.messageId, ...(parsed === undefined ? {} : options.logFields?.(parsed)) };
  }

  async function park(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    log: Record<string, unknown>,
    reason: DeadLetterReason,
    error: string,
  ) {
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
          [DEAD_LETTER_HEADERS.attempts]: attemptOf(message),
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

  /** The message parsed against the contract, or why it must be parked. */
  function read(message: ConsumeMessage): { parsed: z.output<Contract["schema"]> } | { reason: DeadLetterReason; error: string } {
    try {
      const body: unknown = JSON.parse(message.content.toString("utf8"));
      const version = unsupportedVersion(contract, body);
      if (version !== undefined) {
        const error = `${contract.type} version ${version} is not handled here (this consumer handles version ${contract.version})`;
        return { reason: DEAD_LETTER_REASONS.unsupportedVersion, error };
      }
      return { parsed: contract.schema.parse(body) as z.output<Contract["schema"]> };
    } catch (err) {
      return { reason: DEAD_LETTER_REASONS.malformed, error: describe(err) };
    }
  }

  /** The parsed message, or undefined once a malformed one, or one of a version not handled here, has been parked. */
  async function parse(channel: ConfirmChannel, message: ConsumeMessage): Promise<z.output<Contract["schema"]> | undefined> {
    const result = read(message);
    if ("parsed" in result) return result.parsed;
    await park(channel, message, logOf(message), result.reason, result.error);
    return undefined;
  }

  /** Handles one parsed message; resolves when it may be acked (done, retried later or parked). */
  async function run(channel: ConfirmChannel, message: ConsumeMessage, parsed: z.output<Contract["schema"]>): Promise<Outcome> {
    const attempt = attemptOf(message);
    const log = logOf(message, parsed);
    try {
      const retriesLeft = Math.max(0, retryPolicy.attempts - attempt);
      await handle(parsed, { attempt, retriesLeft, messageId: message.properties.messageId as string | undefined });
      return "acked";
    } catch (err) {
      if (err instanceof PermanentError) {
        await park(channel, message, log, DEAD_LETTER_REASONS.rejected, describe(err));
        return "dead-lettered";
      }
      const backoffMs = retryDelayAfter(retryPolicy, attempt);
      if (backoffMs === undefined) {
        await park(channel, message, log, DEAD_LETTER_REASONS.retriesExhausted, describe(err));
        return "dead-lettered";
      }
      // Jitter spreads retries of messages that failed together; a Retry-After is a floor.
      const delayMs = Math.max(withJitter(backoffMs), err instanceof RetryLaterError ? err.delayMs : 0);
      logger.warn({ ...log, err, queue, attempt, delayMs }, "handler failed; retrying later");
      await retryLater(channel, message, attempt, delayMs);
      return "retried";
    }
  }

  return {
    parse,
    run,
    logOf,
    /** Parses and handles one delivery. */
    async settle(channel: ConfirmChannel, message: ConsumeMessage): Promise<Outcome> {
      const parsed = await parse(channel, message);
      return parsed === undefined ? "dead-lettered" : run(channel, message, parsed);
    },
  };
}
