/** Queue names that tools outside the code rely on: keep them stable. */
export const QUEUES = {
  registration: "user.registration",
  emailSend: "email.send",
  reportGenerate: "report.generate",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Exchange the broker dead-letters into when a quorum queue's delivery limit is reached. */
export const DEAD_LETTER_EXCHANGE = "userstream.dead-letter";

/** Waits before each retry of a failed message; after the last one the message is dead-lettered. */
export const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000] as const;

/** Deliveries after which the broker itself dead-letters a message (a guard against crash loops). */
export const DELIVERY_LIMIT = 20;

/** Headers a dead-lettered message carries, so an operator can see why it was parked. */
export const DEAD_LETTER_HEADERS = {
  reason: "x-userstream-reason",
  error: "x-userstream-error",
  queue: "x-userstream-queue",
  attempts: "x-userstream-attempts",
} as const;

/** Header on a retried message: how many attempts have failed so far. */
export const ATTEMPTS_HEADER = "x-userstream-attempts";

export function deadLetterQueue(queue: QueueName): string {
  return `${queue}.dead`;
}

/** One delay queue per retry level, so messages with different delays never wait behind each other. */
export function retryQueue(queue: QueueName, level: number): string {
  return `${queue}.retry.${level}`;
}
