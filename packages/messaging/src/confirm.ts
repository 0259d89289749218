import { once } from "node:events";
import type { ConfirmChannel, Message, Options } from "amqplib";
import { PublishError } from "./errors";

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

/** One send: whether it reached the connection yet, and whether its caller gave up waiting. */
interface Attempt {
  sent: boolean;
  abandoned: boolean;
}

async function sendAndConfirm(
  channel: ConfirmChannel,
  queue: string,
  content: Buffer,
  options: Options.Publish,
  attempt: Attempt,
) {
  await drains.get(channel);
  // Given up while waiting for room: it was never sent, and now never will be (the caller said so).
  if (attempt.abandoned) return;
  const returned = returnedOn(channel);
  const messageId = String(options.messageId ?? crypto.randomUUID());
  await new Promise<void>((resolve, reject) => {
    let flushed: boolean;
    try {
      // `mandatory`: a message for a queue that does not exist (deleted under us) comes back as a
      // return before its confirm, instead of being confirmed and silently dropped.
      flushed = channel.sendToQueue(queue, content, { ...options, messageId, persistent: true, mandatory: true }, (err) => {
        const unroutable = returned.delete(messageId);
        if (err) reject(confirmError(queue, err));
        else if (unroutable)
          reject(new PublishError(`no queue ${queue}: the broker returned the message`, { outcome: "refused" }));
        else resolve();
      });
    } catch (err) {
      // The channel was closed before this send: nothing left.
      reject(new PublishError(`could not send to ${queue}`, { outcome: "refused", cause: err }));
      return;
    }
    attempt.sent = true;
    if (!flushed && !drains.has(channel)) {
      drains.set(
        channel,
        once(channel, "drain").finally(() => drains.delete(channel)),
      );
    }
  });
}

/**
 * amqplib reports a nack and a channel closed before the confirm alike, as an error in the confirm
 * callback, told apart only by its text. A nack is a refusal; anything else is a message sent whose
 * fate is not known (the broker may have stored it before the channel went).
 */
function confirmError(queue: string, err: Error): PublishError {
  if (err.message === "message nacked")
    return new PublishError(`the broker refused the message for ${queue}`, { outcome: "refused", cause: err });
  return new PublishError(`no confirm for the message sent to ${queue}`, { outcome: "unknown", cause: err });
}

/**
 * Sends a persistent message to a queue through the default exchange and resolves when the broker
 * confirms it; rejects with a PublishError when the broker refuses it (nack), returns it (no such
 * queue), the channel closes first, or nothing is confirmed within `timeoutMs`. The error's
 * `outcome` says whether the broker may still have the message: a message not yet sent when the
 * time runs out is never sent (`refused`); one sent is out of reach and may still be stored
 * (`unknown`). While the socket buffer is full, later sends wait for `drain`, so a slow broker
 * cannot make the publisher's memory grow without bound.
 */
export async function sendConfirmed(
  channel: ConfirmChannel,
  queue: string,
  content: Buffer,
  options: Options.Publish,
  timeoutMs: number,
): Promise<void> {
  const attempt: Attempt = { sent: false, abandoned: false };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      attempt.abandoned = true;
      const outcome = attempt.sent ? "unknown" : "refused";
      const what = attempt.sent ? "sent, but no publisher confirm" : "not sent (the connection had no room)";
      reject(new PublishError(`${what} within ${timeoutMs} ms for ${queue}`, { outcome }));
    }, timeoutMs);
  });
  try {
    await Promise.race([sendAndConfirm(channel, queue, content, options, attempt), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
