import { EmailSendV1 } from "@userstream/contracts";
import { createPool } from "@userstream/db/pool";
import { startConsumer } from "@userstream/messaging";
import { databaseCheck, logListening, startService } from "@userstream/runtime";
import { deliverEmail } from "./deliver-email";
import type { SenderEnv } from "./env";
import { createSenderMetrics } from "./metrics";
import { notificationLogs } from "./notification-logs";
import type { EmailProvider } from "./providers/email-provider";
import { createResendProvider } from "./providers/resend";
import { createSmtpProvider } from "./providers/smtp";
import { startWebhookDelivery } from "./webhooks/start-webhook-delivery";

function createProvider(env: SenderEnv): EmailProvider {
  if (env.EMAIL_PROVIDER === "resend") {
    return createResendProvider({ apiKey: env.RESEND_API_KEY ?? "", baseUrl: env.RESEND_BASE_URL });
  }
  return createSmtpProvider({
    url: env.SMTP_URL,
    poolSize: env.SMTP_POOL_SIZE,
    rejectUnauthorized: env.SMTP_TLS_REJECT_UNAUTHORIZED,
    ca: env.SMTP_TLS_CA,
    timeoutMs: env.SEND_TIMEOUT_MS,
    allowPlaintext: env.SMTP_ALLOW_PLAINTEXT,
  });
}

/**
 * The sender process: check the mail provider, serve health and metrics, connect to the database
 * and the broker, then consume `email.send`. Returns the shutdown, so tests can run it in-process.
 */
export async function startSender(env: SenderEnv) {
  // First, before anything is opened: a provider that cannot work stops the start (EXIT_CONFIG).
  const provider = createProvider(env);
  await provider.start?.().catch(async (err: unknown) => {
    await provider.close();
    throw err;
  });
  const metrics = createSenderMetrics(env.EMAIL_PROVIDER);
  const { logger, shutdown, health } = await startService({
    service: "sender",
    env,
    port: env.SENDER_PORT,
    registry: metrics.registry,
    checks: { [provider.name]: () => provider.check() },
    pending: ["database", "broker"],
  });
  // The sender's only connections (plain SQL, notification-logs.ts and webhooks/); a connection cut
  // mid-statement fails that statement (retried as the message, or the "sent" record again), never
  // the process. Two more than emails alone need: the webhook relay holds one while it publishes.
  const pool = createPool(env.DATABASE_URL, { max: 6, logger });
  health.setCheck(
    "database",
    databaseCheck(() => pool.query("SELECT 1")),
  );
  const deps = {
    pool,
    notifications: notificationLogs(pool, env.SEND_LEASE_MS),
    provider,
    logger,
    from: env.EMAIL_FROM,
    appUrl: env.APP_URL,
    confirmationSecret: env.CONFIRMATION_TOKEN_SECRET,
    confirmationTtlMs: env.CONFIRMATION_TOKEN_TTL_HOURS * 3_600_000,
    manageTtlMs: env.MANAGE_TOKEN_TTL_DAYS * 86_400_000,
    sendTimeoutMs: env.SEND_TIMEOUT_MS,
    observeSend: (result: "sent" | "failed", seconds: number) =>
      metrics.sendLatency.observe({ result, provider: provider.name }, seconds),
  };

  const consumer = await startConsumer({
    url: env.AMQP_URL,
    contract: EmailSendV1,
    prefetch: env.SENDER_PREFETCH,
    retryDelaysMs: env.RETRY_DELAYS_MS,
    logger,
    async handle(message, context) {
      const result = await deliverEmail(message, context, deps);
      metrics.deliveries.inc({ result, provider: provider.name });
    },
    ...metrics.consumerHooks,
    logFields: (message) => ({ registrationId: message.payload.registrationId, notificationId: message.payload.notificationId }),
  });

  const webhooks = await startWebhookDelivery({
    env,
    pool,
    logger,
    counted: (result) => metrics.webhooks.inc({ result }),
  });

  metrics.measureQueueDepth(consumer);
  health.setCheck("broker", async () => consumer.isReady() && webhooks.consumer.isReady());

  shutdown.add("stop consuming and finish in-flight emails", () => consumer.stop());
  shutdown.add("stop relaying and finish in-flight webhooks", () => webhooks.stop());
  shutdown.add("close the mail provider", () => provider.close());
  shutdown.add("close the health server", () => health.close());
  shutdown.add("disconnect the database", () => pool.end());
  logListening(logger, health.server, { provider: provider.name }, "sender started");
  return { shutdown, server: health.server, logger };
}
