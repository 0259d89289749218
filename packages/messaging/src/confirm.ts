import { once } from "node:events";
import type { ConfirmChannel, Message, Options } from "amqplib";

// A channel whose socket buffer is full, and the `drain` that frees it.
const drains = new WeakMap<ConfirmChannel, Promise<unknown>>();
// Message ids the broker returned as unroutable on a channel, until their confirm is handled.
const returns = new WeakMap<ConfirmChannel, Set<string>>();

function returnedOn(channel: ConfirmChannel): Set<string> {
  let returned = returns.get(channel);
  if (!returned) {
    const ids = new Set<string>();
    channel.on("return", (message: Message) => ids.add(String(message.properties.messageId)));
    returns.set(channel, ids);
    returned = ids;
  }
  return returned;
}

async function sendAndConfirm(channel: ConfirmChannel, queue: string, content: Buffer, options: Options.Publish) {
  await drains.get(channel);
  const returned = returnedOn(channel);
  const messageId = String(options.messageId ?? crypto.randomUUID());
  await new Promise<void>((resolve, reject) => {
    // `mandatory`: a message for a queue that does not exist (deleted under us) comes back as a
    // return before its confirm, instead of being confirmed and silently dropped.
    const flushed = channel.sendToQueue(queue, content, { ...options, messageId, persistent: true, mandatory: true }, (err) => {
      const unroutable = returned.delete(messageId);
      if (err) reject(new Error(`broker refused the message for ${queue}`, { cause: err }));
      else if (unroutable) reject(new Error(`no queue ${queue}: the broker returned the message`));
      else resolve();
    });
    if (!flushed && !drains.has(channel)) {
      drains.set(channel, once(channel, "drain").finally(() => drains.delete(channel)));
    }
  });
}

/**
 * Sends a persistent message to a queue through the default exchange and resolves when the broker
 * confirms it; rejects when the broker refuses it (nack), returns it (no such queue), the channel
 * closes first, or nothing is confirmed within `timeoutMs`. While the socket buffer is full, later sends wait for `drain`,
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
