/**
 * What a failed publish means for its message:
 * - `refused`: the broker does not have it and never will (nothing was sent: the broker could not be
 *   reached, the publisher is closing or the connection is blocked by a resource alarm; or the broker
 *   nacked or returned it). Publishing it again is the only way it arrives.
 * - `unknown`: it was sent but not confirmed (no confirm in time, or the connection was lost after
 *   sending). The broker may still store it, e.g. once a resource alarm clears.
 */
export type PublishOutcome = "refused" | "unknown";

/** Publishing failed: the broker is away, refused the message, or did not confirm in time. */
export class PublishError extends Error {
  readonly outcome: PublishOutcome;
  constructor(message: string, options: { outcome: PublishOutcome; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = "PublishError";
    this.outcome = options.outcome;
  }
}

/**
 * Thrown by a handler when retrying cannot help (the message itself is wrong): the message is
 * dead-lettered at once with this error's message as the reason.
 */
export class PermanentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentError";
  }
}

/**
 * Thrown by a handler that knows when trying again makes sense (e.g. a provider's Retry-After):
 * the retry waits at least `delayMs`, and longer if the backoff says so.
 */
export class RetryLaterError extends Error {
  readonly delayMs: number;
  constructor(message: string, delayMs: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RetryLaterError";
    this.delayMs = delayMs;
  }
}
