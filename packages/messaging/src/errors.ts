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
