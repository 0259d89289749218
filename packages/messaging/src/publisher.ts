import type { ChannelModel, ConfirmChannel, GetMessage } from "amqplib";
import {
  ATTEMPTS_HEADER,
  DEAD_LETTER_HEADERS,
  deadLetterQueue,
  retryPolicy,
  type MessageContract,
  type QueueName,
} from "@userstream/contracts";
import type { z } from "zod";
import { sendConfirmed } from "./confirm";
import { createBrokerConnector } from "./connection";
import { PublishError } from "./errors";
import { silentLogger, type Logger } from "@userstream/runtime";
import { assertTopology } from "./topology";

export interface PublisherOptions {
  /** How long to wait for the broker's confirm before reporting failure. */
  confirmTimeoutMs?: number;
  logger?: Logger;
  /** The consumers' retry delays (RETRY_DELAYS_MS): the topology is declared with one delay queue per retry. */
  retryDelaysMs?: readonly number[];
  /**
   * Told of each message sent: how long the broker took to confirm it (`confirmed`), or until it
   * was given up (not confirmed in time, or refused). For metrics.
   */
  onConfirm?(outcome: { queue: string; seconds: number; confirmed: boolean }): void;
}

export interface Publisher {
  /**
   * Resolves once the broker has confirmed the persistent message; rejects with PublishError
   * otherwise, whose `outcome` says whether the broker may still have it (`unknown`) or surely not (`refused`).
   */
  publish<Contract extends MessageContract>(contract: Contract, envelope: z.input<Contract["schema"]>): Promise<void>;
  /**
   * Moves the messages parked in `<queue>.dead` that `select` accepts back into `queue` (with a
   * confirm each, as a first attempt again), then acknowledges their parked copies; the others stay
   * parked. Resolves with the ids of the messages moved; rejects with PublishError when the broker
   * cannot be reached or does not confirm (then nothing is removed from the parking queue).
   */
  replayParked(queue: QueueName, select: (content: Buffer) => boolean): Promise<string[]>;
  /** True when a confirmed channel is open right now. */
  isConnected(): boolean;
  /** Refuses new publishes (PublishError), waits for those under way, then closes channel and connection. */
  close(): Promise<void>;
}

interface Link {
  connection: ChannelModel;
  channel: ConfirmChannel;
  /** Why the broker blocks this connection (a resource alarm: "low on disk", …); undefined while it does not. */
  blockedBecause(): string | undefined;
}

/**
 * A long-lived publisher: one connection and one confirm channel, opened on first use and opened
 * again on the next publish after the broker went away (on the next node of a cluster's list), so
 * a broker restart or a lost node costs only the publishes made meanwhile (each of which is
 * reported as failed, never as accepted).
 *
 * While the broker blocks the connection (a disk or memory alarm: RabbitMQ stops reading from
 * publishing connections and says so with `connection.blocked`), new publishes are refused at once,
 * unsent, instead of each waiting for the confirm timeout. The connection is kept: what it already
 * sent is read, stored and confirmed once the alarm clears, so a publish that timed out in the
 * alarm (`unknown`) may well still arrive.
 */
export function createPublisher(url: string, options: PublisherOptions = {}): Publisher {
  const confirmTimeoutMs = options.confirmTimeoutMs ?? 5_000;
  const logger = options.logger ?? silentLogger;
  // A cluster's nodes (AMQP_URL may list several): a lost link is opened again on the next node.
  const broker = createBrokerConnector(url, confirmTimeoutMs);
  let link: Promise<Link> | undefined;
  let open: Link | undefined;

  async function openLink(): Promise<Link> {
    const connection = await broker.connect();
    let blocked: string | undefined;
    connection.on("blocked", (reason: string) => {
      blocked = reason;
      logger.warn({ reason }, "the broker blocks publishing; publishes are refused until it unblocks");
    });
    connection.on("unblocked", () => {
      blocked = undefined;
      logger.info({}, "the broker accepts publishing again");
    });
    // Only the link in use is forgotten: a failed one closing late must not drop its successor.
    const forget = () => {
      if (open?.connection !== connection) return;
      open = undefined;
      link = undefined;
    };
    connection.on("error", (err: Error) => logger.warn({ err }, "broker connection error"));
    connection.on("close", forget);
    try {
      const channel = await connection.createConfirmChannel();
      channel.on("error", (err: Error) => logger.warn({ err }, "publisher channel error"));
      channel.on("close", () => {
        forget();
        connection.close().catch(() => undefined);
      });
      await assertTopology(channel, retryPolicy(options.retryDelaysMs));
      open = { connection, channel, blockedBecause: () => blocked };
      return open;
    } catch (err) {
      await connection.close().catch(() => undefined);
      throw err;
    }
  }

  function currentLink(): Promise<Link> {
    link ??= openLink().catch((err: unknown) => {
      link = undefined;
      throw err;
    });
    return link;
  }

  const inFlight = new Set<Promise<void>>();
  let closing = false;

  /** The open link, unless the broker blocks it: then nothing is sent, and the caller hears so at once. */
  async function usableLink(what: string): Promise<Link> {
    const current = await currentLink();
    const blocked = current.blockedBecause();
    if (blocked !== undefined) {
      throw new PublishError(`${what}: the broker blocks publishing (${blocked}); nothing was sent`, { outcome: "refused" });
    }
    return current;
  }

  /** Forgets the link in use and closes it, so the next publish starts afresh. */
  function dropLink() {
    const failed = open;
    open = undefined;
    link = undefined;
    failed?.connection.close().catch(() => undefined);
  }

  /** Sends one message on the open channel and waits for its confirm, telling `onConfirm` how long it took. */
  async function sendTimed(channel: ConfirmChannel, queue: string, message: { id: string; type: string }) {
    const started = performance.now();
    const properties = { messageId: message.id, type: message.type, contentType: "application/json", timestamp: Date.now() };
    let confirmed = false;
    try {
      await sendConfirmed(channel, queue, Buffer.from(JSON.stringify(message)), properties, confirmTimeoutMs);
      confirmed = true;
    } finally {
      options.onConfirm?.({ queue, seconds: (performance.now() - started) / 1000, confirmed });
    }
  }

  async function publishConfirmed(queue: string, message: { id: string; type: string }) {
    try {
      const { channel } = await usableLink(`could not publish to ${queue}`);
      await sendTimed(channel, queue, message);
    } catch (err) {
      // Anything that failed before a send (no connection, no channel, topology) sent nothing.
      const outcome = err instanceof PublishError ? err.outcome : "refused";
      logger.warn({ err, messageId: message.id, queue, outcome }, "publish not confirmed");
      // A blocked connection is sound and holds what it sent until the broker reads it again:
      // kept, it also refuses the next publishes at once. Otherwise the channel's state is unknown
      // after a failed confirm: start afresh on the next publish (forgotten now, not when the close
      // completes, so that publish does not find it closing).
      if (open?.blockedBecause() === undefined) dropLink();
      throw new PublishError(`could not publish to ${queue}`, { cause: err, outcome });
    }
  }

  return {
    async publish(contract, envelope) {
      // A message that breaks its own contract is a bug in the caller, not a broker failure.
      const message = contract.schema.parse(envelope) as { id: string; type: string; version: number };
      if (closing)
        throw new PublishError(`could not publish to ${contract.queue}: the publisher is closing`, { outcome: "refused" });
      const work = publishConfirmed(contract.queue, message);
      inFlight.add(work);
      try {
        await work;
      } finally {
        inFlight.delete(work);
      }
    },
    async replayParked(queue, select) {
      let channel: ConfirmChannel | undefined;
      try {
        // A blocked connection would not even open the channel until the alarm clears.
        const { connection } = await usableLink(`could not replay parked messages of ${queue}`);
        channel = await connection.createConfirmChannel();
        return await moveParked(channel, queue, select, confirmTimeoutMs);
      } catch (err) {
        logger.warn({ err, queue }, "could not replay parked messages");
        // Nothing is removed from the parking queue unless confirmed in the work queue: whatever was
        // sent may arrive there as well, which the consumers' idempotence absorbs.
        const outcome = err instanceof PublishError ? err.outcome : "refused";
        throw new PublishError(`could not replay parked messages of ${queue}`, { cause: err, outcome });
      } finally {
        // Closing the channel returns every parked message it still holds unacknowledged.
        await channel?.close().catch(() => undefined);
      }
    },
    isConnected: () => open !== undefined,
    async close() {
      // New publishes are refused from now on; those under way still get their confirm (or time out).
      closing = true;
      await Promise.allSettled([...inFlight]);
      const current = open;
      open = undefined;
      link = undefined;
      // A blocked broker reads nothing, so it would never answer a channel close; a blocked
      // connection closes at once instead. What it sent waits in the broker's socket buffer and
      // may still be read once the alarm clears, or go with the connection: its publish was
      // answered `unknown`, which says exactly that.
      if (current?.blockedBecause() === undefined) await current?.channel.close().catch(() => undefined);
      await current?.connection.close().catch(() => undefined);
    },
  };
}

/** Headers of a parked message that describe its failed past; a replayed message starts afresh. */
const PAST_HEADERS = new Set<string>([
  ...Object.values(DEAD_LETTER_HEADERS),
  ATTEMPTS_HEADER,
  ...["x-death", "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason"],
  ...["x-last-death-exchange", "x-last-death-queue", "x-last-death-reason"],
]);

/**
 * Takes every message now parked in `<queue>.dead` (unacknowledged, so none is lost if this process
 * dies), republishes the selected ones into `queue`, acknowledges those, and returns the rest.
 */
async function moveParked(
  channel: ConfirmChannel,
  queue: QueueName,
  select: (content: Buffer) => boolean,
  confirmTimeoutMs: number,
): Promise<string[]> {
  const parked = deadLetterQueue(queue);
  const { messageCount } = await channel.checkQueue(parked);
  const held: GetMessage[] = [];
  for (let i = 0; i < messageCount; i++) {
    const message = await channel.get(parked, { noAck: false });
    if (!message) break;
    held.push(message);
  }
  const chosen = held.filter((message) => select(message.content));
  for (const message of chosen) {
    const headers = Object.fromEntries(
      Object.entries(message.properties.headers ?? {}).filter(([name]) => !PAST_HEADERS.has(name)),
    );
    await sendConfirmed(channel, queue, message.content, { ...message.properties, headers }, confirmTimeoutMs);
  }
  for (const message of held) {
    if (chosen.includes(message)) channel.ack(message);
    else channel.nack(message, false, true);
  }
  return chosen.map((message) => String(message.properties.messageId ?? ""));
}
