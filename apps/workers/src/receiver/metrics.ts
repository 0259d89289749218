import { Counter } from "prom-client";
import { createWorkerMetrics } from "../lib/worker-metrics";

/** The receiver's Prometheus metrics. */
export function createReceiverMetrics() {
  const metrics = createWorkerMetrics("receiver", "user.registration", [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]);
  return {
    ...metrics,
    stored: new Counter({
      name: "receiver_registrations_total",
      help: "Registrations handled, by result (created, duplicate email, redelivered message)",
      labelNames: ["result"] as const,
      registers: [metrics.registry],
    }),
  };
}
