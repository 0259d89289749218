import { EmailSendV1, UserRegistrationV1, createEnvelope } from "@userstream/contracts";
import { createPrismaClient } from "@userstream/db";
import { createPublisher, startConsumer } from "@userstream/messaging";
import { startHealthServer } from "../lib/health-server";
import { databaseCheck } from "../lib/worker-metrics";
import { createLogger } from "../lib/logger";
import { createShutdown } from "../lib/shutdown";
import type { ReceiverEnv } from "./env";
import { createReceiverMetrics } from "./metrics";
import { storeRegistration } from "./store-registration";

/**
 * The receiver process: connect to the database and the broker, serve health and metrics, then
 * consume `user.registration`. Returns the shutdown, so tests can run it in-process.
 */
export async function startReceiver(env: ReceiverEnv) {
  const logger = createLogger("receiver", env.LOG_LEVEL);
  const metrics = createReceiverMetrics();
  const db = createPrismaClient(env.DATABASE_URL);
  const shutdown = createShutdown(logger, env.SHUTDOWN_TIMEOUT_MS);
  const publisher = createPublisher(env.AMQP_URL, { logger });

  const consumer = await startConsumer({
    url: env.AMQP_URL,
    contract: UserRegistrationV1,
    prefetch: env.RECEIVER_PREFETCH,
    retryDelaysMs: env.RETRY_DELAYS_MS,
    logger,
    async handle(message, { attempt }) {
      const registrationId = message.payload.registrationId;
      const { outcome, pendingWelcome } = await storeRegistration(db, message);
      metrics.stored.inc({ result: outcome });
      logger.info({ registrationId, messageId: message.id, attempt, result: outcome }, "registration stored");
      if (pendingWelcome) {
        // After the commit, before the ack: if this fails the registration is redelivered and
        // the still-queued welcome email is handed over again (the sender sends it once).
        const payload = { notificationId: pendingWelcome.notificationId, kind: "welcome" as const, registrationId };
        await publisher.publish(EmailSendV1, createEnvelope(EmailSendV1, payload));
        logger.info({ registrationId, notificationId: pendingWelcome.notificationId }, "welcome email queued");
      }
    },
    ...metrics.consumerHooks,
    logFields: (message) => ({ registrationId: message.payload.registrationId }),
  });

  metrics.measureQueueDepth(consumer);

  const server = await startHealthServer({
    port: env.RECEIVER_PORT,
    registry: metrics.registry,
    checks: {
      database: databaseCheck(db),
      broker: async () => consumer.isReady(),
    },
  });

  shutdown.add("stop consuming and finish in-flight messages", () => consumer.stop());
  shutdown.add("close the publisher", () => publisher.close());
  shutdown.add("close the health server", () => new Promise((resolve) => server.close(resolve)));
  shutdown.add("disconnect the database", () => db.$disconnect());
  logger.info({ port: env.RECEIVER_PORT }, "receiver started");
  return { shutdown, server, logger };
}
