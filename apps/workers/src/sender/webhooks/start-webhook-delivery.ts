import { WebhookDeliverV1 } from "@userstream/contracts";
import { PermanentError, createPublisher, startConsumer } from "@userstream/messaging";
import type { PinoLogger as Logger } from "@userstream/runtime";
import type pg from "pg";
import type { SenderEnv } from "../env";
import { deliverWebhook, type WebhookOutcome } from "./deliver-webhook";
import { startWebhookRelay } from "./webhook-relay";

/**
 * The sender's second job: outgoing webhooks. Its outbox relay publishes recorded deliveries to
 * `webhook.deliver`, and a consumer of that queue (the same loop, retries and dead letters as
 * `email.send`) delivers them. Returns what to stop, in order.
 */
export async function startWebhookDelivery(options: {
  env: SenderEnv;
  pool: pg.Pool;
  logger: Logger;
  counted(outcome: WebhookOutcome): void;
}) {
  const { env, pool, logger } = options;
  const deps = {
    pool,
    logger,
    post: {
      allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      userAgent: "UserStream-Webhooks/1",
    },
    secretsKey: env.CONFIRMATION_TOKEN_SECRET,
    leaseMs: env.WEBHOOK_TIMEOUT_MS + 60_000,
    disableAfter: env.WEBHOOK_DISABLE_AFTER_FAILURES,
  };
  const consumer = await startConsumer({
    url: env.AMQP_URL,
    contract: WebhookDeliverV1,
    prefetch: env.WEBHOOK_PREFETCH,
    retryDelaysMs: env.RETRY_DELAYS_MS,
    logger,
    async handle(message, context) {
      try {
        options.counted(await deliverWebhook(message, context, deps));
      } catch (err) {
        options.counted(err instanceof PermanentError ? "dead" : "retry");
        throw err;
      }
    },
    logFields: (message) => ({ deliveryId: message.payload.deliveryId }),
  });
  const publisher = createPublisher(env.AMQP_URL, { logger, retryDelaysMs: env.RETRY_DELAYS_MS });
  const relay = startWebhookRelay({ pool, publisher, logger, intervalMs: env.WEBHOOK_RELAY_INTERVAL_MS });
  return {
    consumer,
    async stop() {
      await relay.stop();
      await consumer.stop();
      await publisher.close();
    },
  };
}
