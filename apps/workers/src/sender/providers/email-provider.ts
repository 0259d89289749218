/** A mailbox as the providers take it: never a concatenated "Name <address>" string. */
export interface Mailbox {
  name: string;
  address: string;
}

export interface OutgoingEmail {
  from: Mailbox;
  to: Mailbox;
  subject: string;
  text: string;
  html: string;
  /** Stable per email: the provider's idempotency key, and the SMTP Message-ID. */
  idempotencyKey: string;
}

export interface EmailProvider {
  readonly name: "smtp" | "resend";
  /** Resolves with the provider's id for the message; rejects with EmailDeliveryError. */
  send(email: OutgoingEmail): Promise<{ providerMessageId: string }>;
  /** Called once before the sender consumes; throws ConfigurationError for a setup that cannot work. */
  start?(): Promise<void>;
  /** Whether the provider can be reached right now (for /readyz). */
  check(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * A failed send, classified: temporary failures (timeouts, SMTP 4xx, HTTP 429 and 5xx, no
 * connection) are retried later; permanent ones (invalid recipient, other 4xx) are not.
 */
export class EmailDeliveryError extends Error {
  readonly temporary: boolean;
  /** The recipient or the message was refused for good (SMTP 5xx on RCPT TO or DATA): a hard bounce. */
  readonly bounced: boolean;
  /** The provider asked us to wait at least this long (HTTP Retry-After). */
  readonly retryAfterMs?: number;
  constructor(message: string, options: { temporary: boolean; bounced?: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = "EmailDeliveryError";
    this.temporary = options.temporary;
    this.bounced = options.bounced ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}
