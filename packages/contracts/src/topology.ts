import type { RetryPolicy } from "./retry-policy";

/** Queue names that tools outside the code rely on: keep them stable. */
export const QUEUES = {
  registration: "user.registration",
  emailSend: "email.send",
  reportGenerate: "report.generate",
  webhookDeliver: "webhook.deliver",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Exchange the broker dead-letters into when a quorum queue's delivery limit is reached. */
export const DEAD_LETTER_EXCHANGE = "userstream.dead-letter";

/** Headers a dead-lettered message carries, so an operator can see why it was parked. */
export const DEAD_LETTER_HEADERS = {
  reason: "x-userstream-reason",
  error: "x-userstream-error",
  queue: "x-userstream-queue",
  attempts: "x-userstream-attempts",
} as const;

/**
 * Why a message was parked (`x-userstream-reason`): it could not be read against its contract
 * (`malformed`), it is a version of its type this consumer does not handle (`unsupported_version`),
 * the handler said retrying cannot help (`rejected`), or its last retry failed (`retries-exhausted`).
 */
export const DEAD_LETTER_REASONS = {
  malformed: "malformed",
  unsupportedVersion: "unsupported_version",
  rejected: "rejected",
  retriesExhausted: "retries-exhausted",
} as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[keyof typeof DEAD_LETTER_REASONS];

/** Header on a retried message: how many attempts have failed so far. */
export const ATTEMPTS_HEADER = "x-userstream-attempts";

/** The queue where messages of `queue` that can never succeed are parked, with their reason. */
export function deadLetterQueue(queue: QueueName): string {
  return `${queue}.dead`;
}

/** One delay queue per retry level, so messages with different delays never wait behind each other. */
export function retryQueue(queue: QueueName, level: number): string {
  return `${queue}.retry.${level}`;
}

/** One queue of the topology, as the broker holds it and the pipeline view lists it. */
export interface TopologyQueue {
  name: string;
  /** The work queue it belongs to. */
  workQueue: QueueName;
  kind: "work" | "retry" | "dead";
  /** For a delay queue: how long a message waits there before it goes back to the work queue. */
  delayMs?: number;
}

/** The queues one work queue needs under `policy`, in order: itself, one delay queue per retry, its dead letters. */
export function queueTopology(queue: QueueName, policy: RetryPolicy): TopologyQueue[] {
  return [
    { name: queue, workQueue: queue, kind: "work" },
    ...policy.delaysMs.map((delayMs, i) => ({
      name: retryQueue(queue, i + 1),
      workQueue: queue,
      kind: "retry" as const,
      delayMs,
    })),
    { name: deadLetterQueue(queue), workQueue: queue, kind: "dead" },
  ];
}
