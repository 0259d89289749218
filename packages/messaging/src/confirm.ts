import { once } from "node:events";
import type { ConfirmChannel, Options } from "amqplib";

// A channel whose socket buffer is full, and the `drain` that frees it.
const drains = new WeakMap<ConfirmChannel, Promise<unknown>>();

async function sendAndConfirm(channel: ConfirmChannel, queue: string, content: Buffer, options: Options.Publish) {
  await drains.get(channel);
  await new Promise<void>((resolve, reject) => {
    const flushed = channel.sendToQueue(queue, content, { ...options, persistent: true }, (err) =>
      err ? reject(new Error(`broker refused the message for ${queue}`, { cause: err })) : resolve(),
    );
    if (!flushed && !drains.has(channel)) {
      drains.set(channel, once(channel, "drain").finally(() => drains.delete(channel)));
    }
  });
}

/**
 * Sends a persistent message to a queue through the default exchange and resolves when the broker
 * confirms it; rejects when the broker refuses it (nack), the channel closes first, or nothing
 * is confirmed within `timeoutMs`. While the socket buffer is full, later sends wait for `drain`,
 * so a slow broker cannot make the publisher's memory grow without bound.
 */
export async function sendConfirmed(
  channel: ConfirmChannel,
  queue: string,
  content: Buffer,
  options: Options.Publish,
  timeoutMs: number,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no publisher confirm within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([sendAndConfirm(channel, queue, content, options), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
