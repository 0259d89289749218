import { Counter, Histogram } from "prom-client";
import { createWorkerMetrics } from "../lib/worker-metrics";

/**
 * The sender's Prometheus metrics. Every result of the configured provider is exported from the
 * start (at 0), so a dashboard or a test reading one never mistakes "not yet" for "no such series".
 */
export function createSenderMetrics(provider: string) {
  const metrics = createWorkerMetrics("sender", "email.send", [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]);
  const deliveries = new Counter({
    name: "sender_emails_total",
    help: "Emails handled, by result (sent, failed, bounced, suppressed, already-done)",
    labelNames: ["result", "provider"] as const,
    registers: [metrics.registry],
  });
  for (const result of ["sent", "failed", "bounced", "suppressed", "already-done"]) deliveries.inc({ result, provider }, 0);
  const webhooks = new Counter({
    name: "sender_webhooks_total",
    help: "Webhook delivery attempts, by result (delivered, retry, dead, failed, already-done)",
    labelNames: ["result"] as const,
    registers: [metrics.registry],
  });
  for (const result of ["delivered", "retry", "dead", "failed", "already-done"]) webhooks.inc({ result }, 0);
  return {
    ...metrics,
    deliveries,
    webhooks,
    sendLatency: new Histogram({
      name: "sender_send_seconds",
      help: "Time the mail provider took to accept (or refuse) one email, by result",
      labelNames: ["result", "provider"] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [metrics.registry],
    }),
  };
}
