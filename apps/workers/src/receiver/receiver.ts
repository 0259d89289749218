import { EmailSendV1, UserRegistrationV1, createEnvelope, type UserRegistrationMessage } from "@userstream/contracts";
import { createPool } from "@userstream/db/pool";
import { createPublisher, startBatchConsumer } from "@userstream/messaging";
import { databaseCheck, logListening, startService } from "@userstream/runtime";
import type { ReceiverEnv } from "./env";
import { createReceiverMetrics } from "./metrics";
import { storeRegistration, storeRegistrations, type StoreResult } from "./store-registrations";

/**
 * The receiver process: serve health and metrics, connect to the database and the broker, then
 * consume `user.registration`. Returns the shutdown, so tests can run it in-process.
 */
export async function startReceiver(env: ReceiverEnv) {
  const metrics = createReceiverMetrics();
  const { logger, shutdown, health } = await startService({
    service: "receiver",
    env,
    port: env.RECEIVER_PORT,
    registry: metrics.registry,
    pending: ["database", "broker"],
  });
  // The receiver's only connections (plain SQL, store-registrations.ts): two, so two batches are
  // stored at once (see `concurrency`). One cut mid-batch (PostgreSQL restarted) fails that batch,
  // never the process.
  const pool = createPool(env.DATABASE_URL, { max: 2, logger });
  health.setCheck(
    "database",
    databaseCheck(() => pool.query("SELECT 1")),
  );
  const publisher = createPublisher(env.AMQP_URL, { logger });

  /** After the commit, before the ack: records the outcome and hands a pending welcome email to the sender. */
  async function settleStored(message: UserRegistrationMessage, { outcome, pendingWelcome }: StoreResult, attempt: number) {
    const registrationId = message.payload.registrationId;
    metrics.stored.inc({ result: outcome });
    if (pendingWelcome) {
      // If this fails the registration is redelivered and the still-queued welcome email is
      // handed over again (the sender sends it once).
      const payload = { notificationId: pendingWelcome.notificationId, kind: "welcome" as const, registrationId };
      await publisher.publish(EmailSendV1, createEnvelope(EmailSendV1, payload));
    }
    // One line per registration: at thousands a second, each line costs.
    logger.info(
      { registrationId, messageId: message.id, attempt, result: outcome, welcomeQueued: pendingWelcome?.notificationId },
      "registration stored",
    );
  }

  const consumer = await startBatchConsumer({
    url: env.AMQP_URL,
    contract: UserRegistrationV1,
    prefetch: env.RECEIVER_PREFETCH,
    maxBatch: env.RECEIVER_BATCH_SIZE,
    lingerMs: env.RECEIVER_BATCH_LINGER_MS,
    // Two batches are stored (the pool's two connections) while another waits for its hand-offs'
    // confirms: with two at once, a slow confirm held the next batch back (p99 at 1,000/s 2.5x
    // the baseline's, against 0.8x with three; docs/benchmarks.md).
    concurrency: 3,
    retryDelaysMs: env.RETRY_DELAYS_MS,
    logger,
    async handleBatch(messages) {
      const results = await storeRegistrations(pool, messages);
      // The hand-offs of one batch are confirmed together, pipelined on the publisher's channel.
      await Promise.all(messages.map((message, i) => settleStored(message, results[i] as StoreResult, 1)));
    },
    async handle(message, { attempt }) {
      await settleStored(message, await storeRegistration(pool, message), attempt);
    },
    ...metrics.consumerHooks,
    logFields: (message) => ({ registrationId: message.payload.registrationId }),
  });

  metrics.measureQueueDepth(consumer);
  health.setCheck("broker", async () => consumer.isReady());

  shutdown.add("stop consuming and finish in-flight messages", () => consumer.stop());
  shutdown.add("close the publisher", () => publisher.close());
  shutdown.add("close the health server", () => health.close());
  shutdown.add("disconnect the database", () => pool.end());
  logListening(logger, health.server, {}, "receiver started");
  return { shutdown, server: health.server, logger };
}
