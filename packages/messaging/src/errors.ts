/** Publishing failed: the broker is away, refused the message, or did not confirm in time. */
export class PublishError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PublishError";
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
