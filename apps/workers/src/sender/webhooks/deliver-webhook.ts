import type { WebhookDeliverMessage } from "@userstream/contracts";
import { decryptWebhookSecret } from "@userstream/contracts/webhook-secret";
import { PermanentError, RetryLaterError, type DeliveryContext } from "@userstream/messaging";
import type { PinoLogger as Logger } from "@userstream/runtime";
import type pg from "pg";
import { postWebhook, type PostOptions, type WebhookAnswer } from "./post-webhook";
import { recordAttempt } from "./webhook-attempts";
import { findLeaseState, untilLeaseEnds } from "../leases";
import { claimDelivery, recordDelivered, recordUndelivered, type ClaimedDelivery } from "./webhook-deliveries";
import { recordEndpointFailure, recordEndpointSuccess } from "./webhook-endpoints";

export interface DeliverWebhookDeps {
  pool: pg.Pool;
  logger: Logger;
  post: PostOptions;
  /** CONFIRMATION_TOKEN_SECRET, from which the key of the stored endpoint secrets is derived. */
  secretsKey: string;
  leaseMs: number;
  /** WEBHOOK_DISABLE_AFTER_FAILURES: failed attempts in a row that disable an endpoint. */
  disableAfter: number;
}

/** What became of one `webhook.deliver` message. */
export type WebhookOutcome = "delivered" | "retry" | "dead" | "failed" | "already-done";

/** The request's body, Standard Webhooks' shape: the same bytes on every attempt of a delivery. */
export function webhookBody(delivery: Pick<ClaimedDelivery, "eventType" | "occurredAt" | "data">): string {
  return JSON.stringify({ type: delivery.eventType, timestamp: delivery.occurredAt.toISOString(), data: delivery.data });
}

/**
 * Delivers one event to one endpoint: claims the delivery (one sender at a time), signs and POSTs
 * it, records the attempt (status code, duration) and the delivery's new state. A 2xx delivers it;
 * any other answer, or none, is retried with the queue's backoff, and after the last retry the
 * delivery is `dead` and its message dead-lettered (replayable from the admin page). An address
 * refused as private is not retried. Every failed attempt counts towards disabling the endpoint;
 * the attempt that disables it ends its delivery (`failed`), and deliveries to a disabled endpoint
 * are not attempted.
 */
export async function deliverWebhook(
  message: WebhookDeliverMessage,
  context: DeliveryContext,
  deps: DeliverWebhookDeps,
): Promise<WebhookOutcome> {
  const { pool, logger } = deps;
  const { deliveryId } = message.payload;
  const log = { deliveryId, messageId: message.id, attempt: context.attempt };
  const delivery = await claimDelivery(pool, deliveryId, deps.leaseMs);
  if (!delivery) {
    const row = await findLeaseState(pool, "webhook_deliveries", deliveryId);
    if (row?.status === "sending") {
      throw new RetryLaterError("another sender is delivering this webhook", untilLeaseEnds(row));
    }
    // Gone with its endpoint, already delivered, or not yet published again after a replay.
    logger.info({ ...log, status: row?.status ?? "deleted" }, "webhook delivery already handled; nothing to do");
    return "already-done";
  }
  const endpointLog = { ...log, endpointId: delivery.endpoint.id, eventType: delivery.eventType };
  if (delivery.endpoint.disabled) {
    await recordUndelivered(pool, deliveryId, { status: "failed", error: "the endpoint is disabled" });
    logger.info(endpointLog, "webhook not delivered: the endpoint is disabled");
    return "failed";
  }

  let answer: WebhookAnswer;
  try {
    const secret = decryptWebhookSecret(delivery.endpoint.secretCiphertext, deps.secretsKey);
    answer = await postWebhook(
      { url: delivery.endpoint.url, secret, messageId: `msg_${delivery.id}`, body: webhookBody(delivery) },
      deps.post,
    );
  } catch (err) {
    // The stored secret cannot be read (CONFIRMATION_TOKEN_SECRET changed): no retry will read it.
    answer = { error: (err as Error).message, durationMs: 0, refused: true };
  }
  await recordAttempt(pool, { deliveryId, attempt: delivery.attempts, ...answer });

  if (!answer.error && answer.statusCode !== undefined) {
    await recordDelivered(pool, deliveryId, answer.statusCode);
    await recordEndpointSuccess(pool, delivery.endpoint.id);
    logger.info(
      { ...endpointLog, statusCode: answer.statusCode, durationMs: Math.round(answer.durationMs) },
      "webhook delivered",
    );
    return "delivered";
  }

  const error = answer.error ?? "no answer";
  const { failures, disabledNow } = await recordEndpointFailure(pool, delivery.endpoint.id, {
    disableAfter: deps.disableAfter,
    reason: `disabled after ${deps.disableAfter} failed attempts in a row; the last: ${error}`,
  });
  if (disabledNow) {
    logger.error(
      { ...endpointLog, url: delivery.endpoint.url, failures, error },
      "webhook endpoint disabled after a run of failed attempts; an admin can enable it again at /admin/webhooks",
    );
  }
  const status = answer.refused || disabledNow ? "failed" : context.retriesLeft > 0 ? "queued" : "dead";
  await recordUndelivered(pool, deliveryId, { status, statusCode: answer.statusCode, error });
  logger.warn({ ...endpointLog, status, statusCode: answer.statusCode, error }, "webhook not delivered");
  if (status === "failed") return "failed";
  if (status === "dead") throw new PermanentError(`gave up after ${delivery.attempts} attempts: ${error}`);
  throw new RetryLaterError(error, 0);
}
