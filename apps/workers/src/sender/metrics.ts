import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The sender's Prometheus metrics. */
export function createSenderMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    consumed: new Counter({
      name: "sender_messages_total",
      help: "email.send messages settled, by outcome (acked, retried, dead-lettered)",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    deliveries: new Counter({
      name: "sender_emails_total",
      help: "Emails handled, by result (sent, failed, already-done)",
      labelNames: ["result", "provider"] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: "sender_handler_seconds",
      help: "Time from delivery to settlement of an email.send message",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}
