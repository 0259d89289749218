import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The receiver's Prometheus metrics. */
export function createReceiverMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    consumed: new Counter({
      name: "receiver_messages_total",
      help: "Registration messages settled, by outcome (acked, retried, dead-lettered)",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    stored: new Counter({
      name: "receiver_registrations_total",
      help: "Registrations handled, by result (created, duplicate email, redelivered message)",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: "receiver_handler_seconds",
      help: "Time from delivery to settlement of a registration message",
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}
